// `gibbs ace sample` for a generative ACE (000_c7b547386cdeff84.txt §1.6, §1.7.3, Figs. 4–5): one row per class —
//  • prior (default): the creative regime, z ~ p(z) through each class's decoder;
//  • traverse: Fig. 4, a grid −range…range (30 points) along each class's dominant latent unit (the one whose posterior
//    location varies most over that class's rows of --data; the only one when N_lat = 1), the other units at 0;
//  • mixture: test-time sampling (Fig. 5's dashed line) for rows of --data: c ~ ω(x) from the classifier, z ~ p(z|x, c),
//    shown under the rows themselves.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.Models.Ace;
using Gibbs.Rng;

namespace Gibbs.Cli.Commands;

public static class AceSample
{
    public static Command Build()
    {
        var model = new Option<string>("--model") { Description = "A generative ACE written by `gibbs ace train --mode gen`", Required = true };
        var how = new Option<string>("--how") { Description = "prior (z ~ p(z) per class), traverse (Fig. 4: each class's dominant unit over −range…range), mixture (c ~ ω(x), z ~ p(z|x,c) for rows of --data)", DefaultValueFactory = _ => "prior" };
        var n = new Option<int>("--n") { Description = "prior: samples per class; mixture: rows", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var steps = new Option<int>("--steps") { Description = "traverse: grid points per class", DefaultValueFactory = _ => 30 }.AtLeast(2);
        var range = new Option<float>("--range") { Description = "traverse: the grid runs from −range to +range", DefaultValueFactory = _ => 6f }.Positive();
        var data = new Option<string>("--data") { Description = "traverse: rows that pick each class's dominant unit; mixture: the rows to sample for", DefaultValueFactory = _ => "mnist10k" };
        var split = DataCommand.SplitOption(DatasetSplit.Test);
        var output = new Option<string>("--out") { Description = "PNG", DefaultValueFactory = _ => "ace-samples.png" };
        var cmd = new Command("sample", "Pictures from a generative ACE: prior samples per class, Fig. 4's traversals, or test-time mixture samples.") { model, how, n, steps, range, data, split, output };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            string path = parse.GetValue(output)!, modelPath = parse.GetValue(model)!;
            OutputPaths.CheckFile(path, "--out");
            string mode = parse.GetValue(how)!;
            if (mode is not ("prior" or "traverse" or "mixture")) throw new GibbsException($"--how '{mode}' is not one of: prior, traverse, mixture");
            if (!File.Exists(modelPath)) throw new GibbsException($"--model '{modelPath}' does not exist: pass a file written by `gibbs ace train --mode gen --out …`");
            if (!AceFile.IsGenerative(modelPath)) throw new GibbsException($"--model {modelPath} is a classifier or a non-generative ACE, which has no decoders; train one with `gibbs ace train --mode gen`");
            var (m, _) = AceFile.LoadGenerative(modelPath, ctx.Device);
            using var _m = m;
            int side = (int)Math.Round(Math.Sqrt(m.Features));
            if (side * side != m.Features) throw new GibbsException($"the model's {m.Features} features are not a square image; `ace sample` draws image grids");
            var gen = new Generator(ctx.Seed).Fork(0x61736d70);
            var ae = m.AutoEncoder;
            using var scope = TensorScope.Begin();
            float[] images;
            int count, columns;
            string title;
            if (mode == "prior")
            {
                columns = parse.GetValue(n);
                images = Enumerable.Range(0, m.Classes).SelectMany(c => ae.SamplePrior(columns, c, gen).ToArray()).ToArray();
                count = columns * m.Classes;
                title = $"z ~ p(z) ({ae.Latent.Name}), one row per class";
            }
            else if (mode == "traverse")
            {
                columns = parse.GetValue(steps);
                var units = DominantUnits(m, DataCommand.Load(parse.GetValue(data)!, parse.GetValue(split), parse));
                images = Enumerable.Range(0, m.Classes).SelectMany(c => ae.MeanAt(Grid(ae.LatentSize, units[c], columns, parse.GetValue(range), m.Device), c).ToArray()).ToArray();
                count = columns * m.Classes;
                title = string.Create(CultureInfo.InvariantCulture, $"each class's dominant unit from −{parse.GetValue(range)} to {parse.GetValue(range)} (units {string.Join(",", units)})");
            }
            else
            {
                var ds = DataCommand.Load(parse.GetValue(data)!, parse.GetValue(split), parse);
                columns = Math.Min(parse.GetValue(n), ds.Count);
                var sub = ds.Subset(GmCommand.SpreadRows(ds.Count, columns));
                using var t = new AceTrainer(m, new AceTrainingOptions { Epochs = 0, BatchSize = Math.Max(2, columns) }, sub.X, sub.Labels!, classPrior: false);
                var omega = t.ClassProbabilities(sub.X, sub.Labels!).Select(v => (float)v).ToArray();
                var xb = Tensor.FromArray(Models.Gm.GibbsMachineTrainer.TestBinarization(sub.X), [columns, m.Features], m.Device);
                var (classes, mean) = m.SampleMixture(xb, omega, gen);
                images = [.. sub.X, .. mean.ToArray()];
                count = 2 * columns;
                title = $"top: test rows; bottom: c ~ ω(x), z ~ p(z|x,c) (classes {string.Join("", classes)})";
            }
            Pictures.Grid(path, images, count, side, side, title, columns: columns);
            ctx.Say($"wrote {path} ({mode}, {count} images)");
            ctx.Result(new JsonObject { ["command"] = "ace sample", ["out"] = Path.GetFullPath(path), ["how"] = mode, ["images"] = count });
            return 0;
        });
        return cmd;
    }

    /// <summary>Per class, the latent unit whose posterior location μ_c varies most over the class's rows (0 when N_lat = 1).</summary>
    public static int[] DominantUnits(GenerativeAce m, Dataset ds)
    {
        if (ds.Labels is null) throw new GibbsException($"{ds.Name} has no labels; the traversal ranks each class's units on its own rows");
        var ae = m.AutoEncoder;
        var units = new int[m.Classes];
        if (ae.LatentSize == 1) return units;
        var xb = Models.Gm.GibbsMachineTrainer.TestBinarization(ds.X);
        for (int c = 0; c < m.Classes; c++)
        {
            var rows = Enumerable.Range(0, ds.Count).Where(r => ds.Labels[r] == c).Take(1000).ToArray();
            if (rows.Length < 2) continue;
            using var scope = TensorScope.Begin();
            using var _ = Tensor.NoGrad();
            var x = Tensor.FromArray(rows.SelectMany(r => xb.AsSpan(r * m.Features, m.Features).ToArray()).ToArray(), [rows.Length, m.Features], m.Device);
            var mu = ae.Head(ae.Hidden(x), c).Mu;
            var variance = (mu - mu.Mean(0, keepDim: true)).Square().Mean(0).ToArray();
            units[c] = Array.IndexOf(variance, variance.Max());
        }
        return units;
    }

    /// <summary>[steps×latent]: unit j on an equally spaced grid −range…range, the other units 0.</summary>
    public static Tensor Grid(int latent, int unit, int steps, float range, Backends.Device device)
    {
        var z = new float[steps * latent];
        for (int s = 0; s < steps; s++) z[s * latent + unit] = -range + 2 * range * s / (steps - 1);
        return Tensor.FromArray(z, [steps, latent], device);
    }
}
