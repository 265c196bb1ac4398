// `gibbs repro list` shows every seed figure and claim the project can regenerate (or plans to);
// `gibbs repro ID [--quick]` regenerates one into reports/ID/ (pictures, metrics.json, README.md).
using System.CommandLine;
using System.Text.Json.Nodes;
using Gibbs.Cli.Repro;

namespace Gibbs.Cli.Commands;

public static class ReproCommand
{
    public static Command Build()
    {
        var cmd = new Command("repro", "Regenerate a seed paper's figure or claim, numbers beside the paper's (see `gibbs repro list`).");
        var list = new Command("list", "List the seed figures and claims, with their status.");
        list.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var arr = new JsonArray();
            foreach (var e in ReproEntry.All)
            {
                ctx.Say($"{e.Id,-22} {e.Status,-20} {e.Title}");
                ctx.Say($"{"",-22} {"",-20} seed: {e.Seed}; claim: {e.Claim}");
                arr.Add(new JsonObject { ["id"] = e.Id, ["status"] = e.Status, ["title"] = e.Title, ["seed"] = e.Seed, ["claim"] = e.Claim });
            }
            ctx.Result(new JsonObject { ["command"] = "repro list", ["entries"] = arr });
            return 0;
        });
        cmd.Add(list);
        foreach (var e in ReproEntry.All)
        {
            var quick = new Option<bool>("--quick") { Description = "A reduced run that finishes in minutes on 2 cores" };
            var output = new Option<string?>("--out") { Description = $"Report folder (default: reports/{e.Id})" };
            var seeds = new Option<int>("--seeds") { Description = "Seeds per cell (default: 3, or 2 with --quick)" }.AtLeast(0);
            var reportOnly = new Option<bool>("--report-only") { Description = "Write the report from the cells already in --out (an interrupted or partial run), training nothing more" };
            var onlyCells = new Option<string?>("--only") { Description = "Train only the cells whose DATA|CONFIG name contains this text (e.g. 'fashion-mnist|tap3/persistent'); the report covers every cell in --out" };
            var sub = new Command(e.Id, $"{e.Title} — {e.Seed}. Claim: {e.Claim}. Status: {e.Status}.") { quick, output, seeds, reportOnly, onlyCells };
            var entry = e;
            sub.SetAction(parse =>
            {
                var ctx = Context.From(parse);
                if (entry.Run is null) throw new GibbsException($"{entry.Id} is not runnable yet: it is {entry.Status}; `gibbs repro list` shows what runs now");
                bool q = parse.GetValue(quick);
                int n = parse.GetValue(seeds) is > 0 and var s ? s : q ? 2 : 3;
                var dir = parse.GetValue(output) ?? Path.Combine("reports", entry.Id);
                bool only = parse.GetValue(reportOnly);
                if (only && !File.Exists(Path.Combine(dir, "cells.jsonl")))
                    throw new GibbsException($"--report-only: {Path.Combine(dir, "cells.jsonl")} does not exist; run `gibbs repro {entry.Id}` first (with the same --out and --quick)");
                var filter = parse.GetValue(onlyCells);
                if (filter is { Length: 0 }) throw new GibbsException("--only: give part of a cell name, e.g. --only 'fashion-mnist|tap3/persistent'");
                OutputPaths.CheckDirectory(dir, "--out");
                return entry.Run(new ReproRun(ctx, dir, q, n, only, filter));
            });
            cmd.Add(sub);
        }
        return cmd;
    }
}
