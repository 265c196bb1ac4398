// `gibbs selftest`: runs the engine's self-test on the chosen device and exits non-zero on any failure.
using System.CommandLine;
using System.Text.Json.Nodes;
using Gibbs.Diagnostics;
using Spectre.Console;

namespace Gibbs.Cli.Commands;

public static class SelfTestCommand
{
    public static Command Build()
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "List every check, not only failures" };
        var cmd = new Command("selftest", "Gradient-check every op against float64 references, check GEMM, RNG reproducibility, model-file round trips and memory; non-zero exit on any failure.");
        cmd.Add(verbose);
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            bool all = parse.GetValue(verbose);
            var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            SelfTestReport report = null!;
            int total = OpCatalog.All.Count;
            err.Progress().AutoClear(true).Start(p =>
            {
                var task = p.AddTask($"selftest on {ctx.Device}", maxValue: total + 8);
                report = SelfTest.Run(ctx.Device, c =>
                {
                    task.Increment(1);
                    if (!c.Passed || all) ctx.Say($"{(c.Passed ? "ok  " : "FAIL")} {c.Group}/{c.Name}: {c.Detail}");
                });
                task.Value = task.MaxValue;
            });
            foreach (var g in report.Checks.GroupBy(c => c.Group))
                ctx.Say($"{g.Key,-9} {g.Count(c => c.Passed)}/{g.Count()} passed");
            ctx.Say($"selftest on {ctx.Device}: {report.Passed} passed, {report.Failed} failed");
            var checks = new JsonArray();
            foreach (var c in report.Checks)
                checks.Add(new JsonObject { ["group"] = c.Group, ["name"] = c.Name, ["passed"] = c.Passed, ["detail"] = c.Detail });
            ctx.Result(new JsonObject
            {
                ["command"] = "selftest",
                ["device"] = ctx.Device.ToString(),
                ["ok"] = report.Ok,
                ["passed"] = report.Passed,
                ["failed"] = report.Failed,
                ["checks"] = checks,
            });
            return report.Ok ? 0 : 1;
        });
        return cmd;
    }
}
