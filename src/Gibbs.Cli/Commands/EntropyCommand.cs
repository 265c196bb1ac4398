// `gibbs entropy`: observation entropies (000_c7b547386cdeff84.txt §1.4–1.5): the negative Gaussian log-likelihoods of
// a data set's rows, or of a classifier layer's activations, under their empirical covariance; a Q-Q plot against the
// exact Gaussian-data law (Beta; → χ²_rank) as reference (Figs. 1 and 8 left), the 30 lowest- and highest-entropy images (the intricates; Fig. 3),
// projections on the conjugates of the most and least intricate rows (Fig. 2) and metrics.json in a report folder.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.Models.Ace;
using Gibbs.Plots;

namespace Gibbs.Cli.Commands;

public static class EntropyCommand
{
    public static Command Build()
    {
        var data = new Option<string>("--data") { Description = "Dataset name or file", DefaultValueFactory = _ => "mnist10k" };
        var split = DataCommand.SplitOption(DatasetSplit.Test);
        var cls = new Option<int?>("--class") { Description = "Only the rows of this class (e.g. 8 for Fig. 3)" };
        var limit = new Option<int>("--limit") { Description = "At most N rows, spread evenly through the selection (0 = all)" }.AtLeast(0, "0 = all");
        var model = new Option<string?>("--model") { Description = "A classifier (`gibbs classify|ace train`) whose layer to measure instead of the raw data" };
        var layer = new Option<string>("--layer") { Description = "With --model: input, hidden0…, or logits", DefaultValueFactory = _ => "hidden1" };
        var output = new Option<string>("--out") { Description = "Report folder", DefaultValueFactory = _ => "entropy-report" };
        var cmd = new Command("entropy", "Observation entropies (seed 000 §1.4): Gaussian negative log-likelihoods under the empirical covariance, Q-Q plot against the Gaussian-data law, intricates.")
        {
            data, split, cls, limit, model, layer, output, DataCommand.DataDir,
        };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            string outDir = parse.GetValue(output)!;
            OutputPaths.CheckDirectory(outDir, "--out");
            var ds = DataCommand.Load(parse.GetValue(data)!, parse.GetValue(split), parse);
            var rows = Enumerable.Range(0, ds.Count).ToArray();
            if (parse.GetValue(cls) is { } c)
            {
                if (ds.Labels is null) throw new GibbsException($"--class: {ds.Name} has no labels");
                if (c < 0 || c >= ds.Classes) throw new GibbsException($"--class {c}: {ds.Name} has classes 0…{ds.Classes - 1}");
                rows = rows.Where(i => ds.Labels[i] == c).ToArray();
            }
            if (parse.GetValue(limit) > 0) rows = GmCommand.SpreadRows(rows.Length, parse.GetValue(limit)).Select(i => rows[i]).ToArray();
            var sel = ds.Subset(rows);
            float[] z = sel.X;
            int dims = sel.Features;
            string what = sel.Name;
            if (parse.GetValue(model) is { } path)
            {
                if (!File.Exists(path)) throw new GibbsException($"--model '{path}' does not exist: pass a file written by `gibbs classify train` or `gibbs ace train`");
                // A generative ACE's layers are its classifier's (the auto-encoder branch has its own encoder).
                using Gibbs.Nn.Module owner = AceFile.IsGenerative(path) ? AceFile.LoadGenerative(path, ctx.Device).Model : AceFile.Load(path, ctx.Device).Model;
                var m = owner as AceClassifier ?? ((GenerativeAce)owner).Classifier;
                string l = parse.GetValue(layer)!;
                if (!m.LayerNames.Contains(l)) throw new GibbsException($"--layer '{l}' does not exist in {path}; its layers are {string.Join(", ", m.LayerNames)}");
                if (sel.Features != m.Features) throw new GibbsException($"{sel.Name} has {sel.Features} features but the model takes {m.Features}: use the data it was trained on");
                using var scope = TensorScope.Begin();
                // One batch for the whole selection: the seed's batch normalisation then uses its statistics (as Fig. 1's 10,000 test rows).
                var a = m.Layer(Tensor.FromArray(z, [sel.Count, sel.Features], ctx.Device), l);
                dims = a.Dim(1);
                z = a.ToArray();
                what = $"{sel.Name}, layer {l} of {Path.GetFileName(path)}";
            }
            var json = Report(ctx, sel, rows, z, dims, what, outDir, pictures: parse.GetValue(model) is null);
            ctx.Result(json);
            return 0;
        });
        return cmd;
    }


    /// <summary>Measures observations z [sel.Count × dims] of the rows <paramref name="rows"/> of their data set and writes
    /// qq.png, conjugates-*.png, intricates.png (when <paramref name="pictures"/> and the rows are square images) and
    /// metrics.json into <paramref name="outDir"/>; returns the metrics.</summary>
    internal static JsonObject Report(Context ctx, Dataset sel, int[] rows, float[] z, int dims, string what, string outDir, bool pictures)
    {
        var oe = Progress.Run("covariance and pseudo-inverse", _ => new ObservationEntropy(z, sel.Count, dims));
        Directory.CreateDirectory(outDir);
        if (sel.Count - oe.Rank - 1 < 1)
            throw new GibbsException($"{what}: {sel.Count} observations span {oe.Rank} dimensions, so every squared distance is the same; use more rows than dimensions (drop --class or --limit)");
        var (theory, observed) = oe.Quantiles();
        LinePlot.Save(Path.Combine(outDir, "qq.png"), $"Q-Q, squared Mahalanobis distances: {what} (rank {oe.Rank}, {sel.Count} rows)", "Gaussian-data quantile", "observed",
            [new Series("observations", theory, observed), new Series("y = x", [theory[0], theory[^1]], [theory[0], theory[^1]])]);
        var order = oe.ByEntropy();
        int side = RbmCommand.ImageSide(sel.Features) ?? 0;
        pictures &= side > 0;
        if (pictures)
        {
            int k = Math.Min(30, sel.Count / 2);
            var pick = order.Take(k).Concat(order.Reverse().Take(k).Reverse()).ToArray();
            var images = pick.SelectMany(i => sel.X.Skip(i * sel.Features).Take(sel.Features)).ToArray();
            Pictures.Grid(Path.Combine(outDir, "intricates.png"), images, pick.Length, side, side,
                $"top: the {k} lowest-entropy (most intricate) rows; bottom: the {k} highest — {what}", columns: Math.Min(k, 15));
        }
        // Fig. 2: every observation projected on the conjugates of the two most intricate and of the two most
        // vanilla observations, coloured by class, with the excess kurtosis of each projection (0 for Gaussian data).
        // Rows at the bound m = (P − 1)²/P are alone in some direction of the data (a pixel only they use): their
        // conjugate sees only themselves, so the intricate pair is taken among the others, and they are counted.
        double bound = (sel.Count - 1.0) * (sel.Count - 1.0) / sel.Count;
        var isolated = order.Where(i => oe.Mahalanobis[i] >= 0.99 * bound).ToArray();
        var conjugates = new JsonObject { ["isolated_rows"] = isolated.Length };
        foreach (var (tag, pick) in new[] { ("intricate", order.Except(isolated).Take(2).ToArray()), ("vanilla", order.Reverse().Take(2).ToArray()) })
        {
            var proj = oe.Project(pick);
            var xy = new float[2 * sel.Count];
            for (int i = 0; i < sel.Count; i++) { xy[2 * i] = (float)proj[i, 0]; xy[2 * i + 1] = (float)proj[i, 1]; }
            ScatterPlot.Save(Path.Combine(outDir, $"conjugates-{tag}.png"), xy, sel.Count,
                $"{what}: projections on the conjugates of the {(tag == "intricate" ? "two most intricate" : "two highest-entropy")} rows", sel.Labels);
            conjugates[tag] = new JsonObject
            {
                ["rows"] = new JsonArray(pick.Select(i => (JsonNode)rows[i]).ToArray()),
                ["excess_kurtosis"] = new JsonArray(Enumerable.Range(0, 2).Select(c => (JsonNode)ExcessKurtosis(Enumerable.Range(0, sel.Count).Select(i => proj[i, c]).ToArray())).ToArray()),
            };
        }
        var nll = oe.NegativeLogLikelihood;
        double mean = nll.Average(), sd = Math.Sqrt(nll.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, nll.Length - 1));
        double m4 = oe.Mahalanobis.Average(v => v * v);
        var json = new JsonObject
        {
            ["command"] = "entropy", ["observations"] = what, ["rows"] = sel.Count, ["dims"] = dims, ["rank"] = oe.Rank, ["constant"] = oe.Constant,
            ["nll_mean"] = mean, ["nll_sd"] = sd,
            // Mardia's multivariate kurtosis b₂ = mean m² (r(r+2) for Gaussian data); the seed's "fatness" proxy (§1.4).
            ["kurtosis"] = m4, ["kurtosis_gaussian"] = oe.Rank * (oe.Rank + 2.0),
            ["most_intricate_rows"] = new JsonArray(order.Take(30).Select(i => (JsonNode)rows[i]).ToArray()),
            ["conjugate_projections"] = conjugates,
            ["report"] = Path.GetFullPath(outDir),
        };
        OutputPaths.WriteJson(Path.Combine(outDir, "metrics.json"), json);
        ctx.Say(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {sel.Count} observations × {dims}, covariance rank {oe.Rank}; −log p_G {mean:F2} ± {sd:F2} nats; kurtosis {m4:F1} (Gaussian {oe.Rank * (oe.Rank + 2.0):F1}); wrote {outDir} (qq.png{(pictures ? ", intricates.png" : "")}, conjugates-intricate.png, conjugates-vanilla.png, metrics.json)"));
        return json;
    }

    private static double ExcessKurtosis(double[] v)
    {
        double m = v.Average(), m2 = v.Average(x => (x - m) * (x - m)), m4 = v.Average(x => Math.Pow(x - m, 4));
        return m2 > 0 ? m4 / (m2 * m2) - 3 : double.NaN;
    }
}
