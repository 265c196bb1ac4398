// `gibbs therml`: TherML (001_ada2633fde8fc741.txt). `toy` trains App. H's 184-parameter model on the toy data for a
// preset or explicit multipliers (several seeds: mean ± s.d. and the finite-vs-exact gaps), with the Fig. 5-style panel;
// `sweep` traces the frontier on a (δ, γ, σ) grid and measures its thermodynamics (ThermlSweep.cs).
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Models.Therml;

namespace Gibbs.Cli.Commands;

public static class ThermlCommand
{
    public static Command Build()
    {
        var cmd = new Command("therml", "TherML (seed 001): the objective ρR + δD + γC + σS on App. H's toy, its presets, and the frontier's thermodynamics.");
        cmd.Add(BuildToy());
        cmd.Add(ThermlSweep.Build());
        cmd.Add(ThermlTrain.Build());
        return cmd;
    }

    internal static readonly Option<string?> Preset = new("--preset") { Description = $"A special case of §3 / App. H: {string.Join(", ", ThermlPresets.Names)}" };
    internal static readonly Option<double?> Rho = new("--rho") { Description = "ρ, the multiplier of the rate R (overrides the preset's)" };
    internal static readonly Option<double?> Delta = new("--delta") { Description = "δ, the multiplier of the distortion D" };
    internal static readonly Option<double?> Gamma = new("--gamma") { Description = "γ, the multiplier of the classification error C" };
    internal static readonly Option<double?> Sigma = new("--sigma") { Description = "σ, the multiplier of the parameter entropy S (the temperature with --route langevin)" };

    /// <summary>The multipliers from --preset and the explicit flags (which override the preset's).</summary>
    internal static (Multipliers Multipliers, string Name) MultipliersOf(ParseResult parse)
    {
        var preset = parse.GetValue(Preset) is { } name ? ThermlPresets.Get(name) : null;
        double? rho = parse.GetValue(Rho), delta = parse.GetValue(Delta), gamma = parse.GetValue(Gamma), sigma = parse.GetValue(Sigma);
        if (preset is null && rho is null && delta is null && gamma is null && sigma is null)
            throw new GibbsException($"give --preset NAME or the multipliers --rho --delta --gamma --sigma (unset ones are 0); the presets are: {string.Join(", ", ThermlPresets.Names)}");
        var p = preset?.Multipliers;
        var m = new Multipliers(rho ?? p?.Rho ?? 0, delta ?? p?.Delta ?? 0, gamma ?? p?.Gamma ?? 0, sigma ?? p?.Sigma ?? 0);
        string label = preset is null ? m.ToString() : (m == p ? preset.Name : $"{preset.Name} with {m}");
        return (m, label);
    }

    private static Command BuildToy()
    {
        var steps = new Option<int>("--steps") { Description = "Gradient steps (App. H: 10,000)", DefaultValueFactory = _ => 10_000 }.AtLeast(1);
        var lr = new Option<float>("--lr") { Description = "Adam's rate (noise route) or SGLD's step (langevin)", DefaultValueFactory = _ => 0.03f }.Positive();
        var examples = new Option<int>("--examples") { Description = "N, the finite data set's size", DefaultValueFactory = _ => 50 }.AtLeast(1);
        var infinite = new Option<bool>("--infinite") { Description = "Train on the exact p(x, y) instead of N examples" };
        var route = new Option<string>("--route") { Description = "noise: S from the encoder weights' log-normal noise; langevin: σ as SGLD's temperature", DefaultValueFactory = _ => "noise" };
        var draws = new Option<int>("--draws") { Description = "Noise draws of the encoder weights per step", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var anneal = new Option<bool>("--anneal") { Description = "Cosine-anneal the rate to 1 % over the steps (converged end points)" };
        var seeds = new Option<int>("--seeds") { Description = "Runs with seeds seed, seed+1, …: mean ± s.d. (each seed its own 50 examples and initialisation)", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var output = new Option<string?>("--out") { Description = "Report folder: panel.png (Fig. 5 style with the training history, first seed), metrics.json, model.safetensors" };
        var cmd = new Command("toy", "Train App. H's 184-parameter model on the toy data (Z ~ Ber(0.7), x = 30 bins, I(x; Z) = 0.5 nats) for a preset or multipliers.")
        {
            Preset, Rho, Delta, Gamma, Sigma, steps, lr, examples, infinite, route, draws, anneal, seeds, output,
        };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var (m, label) = MultipliersOf(parse);
            var routeKind = parse.GetValue(route) switch
            {
                "noise" => ThermlRoute.Noise,
                "langevin" => ThermlRoute.Langevin,
                var r => throw new GibbsException($"--route '{r}' is not known; use noise or langevin"),
            };
            string? outDir = parse.GetValue(output);
            if (outDir is not null) { OutputPaths.CheckDirectory(outDir, "--out"); OutputPaths.CheckFilesIn(outDir, "panel.png", "metrics.json", "model.safetensors"); }
            var options = new ThermlToyOptions
            {
                Multipliers = m, Steps = parse.GetValue(steps), LearningRate = parse.GetValue(lr), Examples = parse.GetValue(examples),
                Infinite = parse.GetValue(infinite), Route = routeKind, Draws = parse.GetValue(draws), Anneal = parse.GetValue(anneal), Seed = ctx.Seed,
            }.Validate();
            var data = ToyData.AppendixH;
            int n = parse.GetValue(seeds);
            ctx.Say($"TherML toy: {label}; {(options.Infinite ? "infinite data (exact p(x, y))" : $"{options.Examples} examples")}, {options.Steps} steps, route {routeKind.ToString().ToLowerInvariant()}, {n} seed(s) from {ctx.Seed}");
            var runs = Progress.Run("therml toy", report =>
            {
                var list = new List<ThermlToyRun>();
                for (int s = 0; s < n; s++)
                {
                    int k = s;
                    list.Add(ThermlToyTrainer.Train(options with { Seed = ctx.Seed + (ulong)s }, data, new SyncProgress(row => report(k * options.Steps + row.Step, n * options.Steps, $"seed {k + 1}/{n}"))));
                }
                return list;
            });
            var json = ThermlReport.Summary(runs, label);
            foreach (var line in ThermlReport.Table(runs)) ctx.Say(line);
            if (outDir is not null)
            {
                ThermlReport.Write(outDir, runs[0], label);
                OutputPaths.WriteJson(Path.Combine(outDir, "metrics.json"), (JsonObject)json.DeepClone());
                ctx.Say($"wrote {outDir}/panel.png, metrics.json, model.safetensors");
            }
            ctx.Result(json);
            return 0;
        });
        return cmd;
    }

    /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    internal sealed class SyncProgress(Action<ThermlToyStep> report) : IProgress<ThermlToyStep>
    {
        public void Report(ThermlToyStep value) => report(value);
    }

    internal static string F(double v, string format = "F4") => double.IsNaN(v) ? "—" : v.ToString(format, CultureInfo.InvariantCulture);
}
