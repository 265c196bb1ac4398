// What `gibbs therml toy` prints and writes: the functionals on the training distribution and the exact one over seeds
// (mean ± s.d.) with the overfitting gaps, and the Fig. 5-style panel of 001_ada2633fde8fc741.txt App. H.
using System.Text.Json.Nodes;
using Gibbs.Models.Therml;
using Gibbs.Plots;

namespace Gibbs.Cli.Commands;

internal static class ThermlReport
{
    private static readonly (string Name, Func<Functionals, double> Get)[] Fields =
        [("R", f => f.R), ("D", f => f.D), ("C", f => f.C), ("S", f => f.S)];

    /// <summary>Mean and sample s.d. (0 for one value).</summary>
    public static (double Mean, double Sd) Spread(IReadOnlyList<double> v)
    {
        double mean = v.Average();
        double sd = v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1)) : 0;
        return (mean, sd);
    }

    public static JsonObject Summary(IReadOnlyList<ThermlToyRun> runs, string label)
    {
        var o = runs[0].Options;
        var m = o.Multipliers;
        var perSeed = new JsonArray();
        foreach (var r in runs)
            perSeed.Add(new JsonObject { ["seed"] = r.Options.Seed, ["train"] = Json(r.OnTrain), ["exact"] = Json(r.OnExact), ["objective"] = Finite(r.Objective) });
        var summary = new JsonObject();
        foreach (var (where, get) in new (string, Func<ThermlToyRun, Functionals>)[] { ("train", r => r.OnTrain), ("exact", r => r.OnExact) })
            foreach (var (name, field) in Fields)
            {
                var (mean, sd) = Spread(runs.Select(r => field(get(r))).ToList());
                summary[$"{where}_{name}"] = new JsonObject { ["mean"] = Finite(mean), ["sd"] = Finite(sd) };
            }
        foreach (var (name, field) in Fields.Take(3))
        {
            var (mean, sd) = Spread(runs.Select(r => field(r.OnExact) - field(r.OnTrain)).ToList());
            summary[$"gap_{name}"] = new JsonObject { ["mean"] = Finite(mean), ["sd"] = Finite(sd) };
        }
        return new JsonObject
        {
            ["model"] = "therml-toy",
            ["label"] = label,
            ["multipliers"] = new JsonObject { ["rho"] = m.Rho, ["delta"] = m.Delta, ["gamma"] = m.Gamma, ["sigma"] = m.Sigma },
            ["infinite"] = o.Infinite,
            ["examples"] = o.Examples,
            ["steps"] = o.Steps,
            ["route"] = o.Route.ToString().ToLowerInvariant(),
            ["learning_rate"] = o.LearningRate,
            ["seeds"] = runs.Count,
            ["separation"] = ToyData.AppendixH.Separation,
            ["summary"] = summary,
            ["runs"] = perSeed,
        };
    }

    public static IEnumerable<string> Table(IReadOnlyList<ThermlToyRun> runs)
    {
        string Cell(Func<ThermlToyRun, double> get, string format = "F3")
        {
            var (mean, sd) = Spread(runs.Select(get).ToList());
            return runs.Count > 1 ? $"{ThermlCommand.F(mean, format)} ± {ThermlCommand.F(sd, format)}" : ThermlCommand.F(mean, format);
        }
        int w = runs.Count > 1 ? 17 : 9;
        yield return new string(' ', 22) + string.Concat(Fields.Select(f => f.Name.PadLeft(w)));
        bool infinite = runs[0].Options.Infinite;
        yield return $"{(infinite ? "training (= exact)" : "training data"),-22}" + string.Concat(Fields.Select(f => Cell(r => f.Get(r.OnTrain)).PadLeft(w)));
        if (!infinite)
        {
            yield return $"{"exact distribution",-22}" + string.Concat(Fields.Select(f => Cell(r => f.Get(r.OnExact)).PadLeft(w)));
            yield return $"{"gap (exact − training)",-22}" + string.Concat(Fields.Take(3).Select(f => Cell(r => f.Get(r.OnExact) - f.Get(r.OnTrain)).PadLeft(w)));
        }
    }

    /// <summary>panel.png (with the training history) and model.safetensors of one run.</summary>
    public static void Write(string dir, ThermlToyRun run, string label)
    {
        Panel.Save(Path.Combine(dir, "panel.png"), $"{label} — training {run.OnTrain}; exact R={run.OnExact.R:F3} D={run.OnExact.D:F3} C={run.OnExact.C:F3}",
            PanelOf(run.Channels, run.Train, run.Exact, run.History), columns: 3);
        var m = run.Options.Multipliers;
        Gibbs.IO.ModuleFile.Save(run.Model, Path.Combine(dir, "model.safetensors"), new Dictionary<string, string>
        {
            ["rho"] = m.Rho.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["delta"] = m.Delta.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["gamma"] = m.Gamma.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["sigma"] = m.Sigma.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["steps"] = run.Options.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["infinite"] = run.Options.Infinite ? "true" : "false",
            ["seed"] = run.Options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, "gibbs-therml-toy");
    }

    /// <summary>Fig. 5's panel: (i) p(x), the training p̂(x), g(x), d(x); (ii) q(z), e(z), e(z|Z=0), e(z|Z=1); (iii) q(z|x); (iv) q(x|z); (v) q(x′|x).</summary>
    public static IReadOnlyList<PanelCell?> PanelOf(TabularChannels t, double[,] train, double[,] exact, IReadOnlyList<ThermlToyStep>? history = null)
    {
        int xs = t.Inputs, ks = t.Latents;
        double[] Column(double[,] p, int y) => Enumerable.Range(0, xs).Select(x => p[x, y]).ToArray();
        double[] Rows(double[,] p) => Enumerable.Range(0, xs).Select(x => p[x, 0] + p[x, 1]).ToArray();
        double[] Normalised(double[] v) { double s = v.Sum(); return v.Select(x => s > 0 ? x / s : 0).ToArray(); }
        var px = Rows(exact);
        var phat = Rows(train);
        var xAxis = Enumerable.Range(0, xs).Select(i => (double)i).ToArray();
        var zAxis = Enumerable.Range(0, ks).Select(i => (double)i).ToArray();
        var dataSpace = new List<Series> { new("p(x)", xAxis, px) };
        if (!SameRows(px, phat)) dataSpace.Add(new Series("training p̂(x)", xAxis, phat));
        dataSpace.Add(new Series("g(x)", xAxis, t.Generative()));
        dataSpace.Add(new Series("d(x)", xAxis, t.Reconstruction(phat)));
        var latent = new List<Series>
        {
            new("q(z)", zAxis, t.Marginal),
            new("e(z)", zAxis, t.Induced(phat)),
            new("e(z|Z=0)", zAxis, t.Induced(Normalised(Column(train, 0)))),
            new("e(z|Z=1)", zAxis, t.Induced(Normalised(Column(train, 1)))),
        };
        var decoder = new double[ks, xs];
        for (int z = 0; z < ks; z++) for (int x = 0; x < xs; x++) decoder[z, x] = t.Decoder[z, x];
        return
        [
            new PanelCell.Lines("(i) data space", "x", "probability", dataSpace, new LinePlotOptions { Markers = true }),
            new PanelCell.Lines("(ii) latent space", "z", "probability", latent, new LinePlotOptions { Markers = true }),
            history is null ? null : new PanelCell.Lines("training: R, D, C on the training data", "step", "nats per example",
            [
                new Series("R", history.Select(h => (double)h.Step).ToArray(), history.Select(h => h.R).ToArray()),
                new Series("D", history.Select(h => (double)h.Step).ToArray(), history.Select(h => h.D).ToArray()),
                new Series("C", history.Select(h => (double)h.Step).ToArray(), history.Select(h => h.C).ToArray()),
            ]),
            new PanelCell.Matrix("(iii) q(z|x): rows x", t.Encoder, "z", "x"),
            new PanelCell.Matrix("(iv) q(x|z): rows z", decoder, "x", "z"),
            new PanelCell.Matrix("(v) q(x′|x): rows x", t.Transition(), "x′", "x"),
        ];
    }

    private static bool SameRows(double[] a, double[] b) => a.Zip(b).All(p => Math.Abs(p.First - p.Second) < 1e-12);

    private static JsonObject Json(Functionals f) => new() { ["R"] = Finite(f.R), ["D"] = Finite(f.D), ["C"] = Finite(f.C), ["S"] = Finite(f.S) };

    private static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
