// `gibbs gm sample` (the creative regime, §3.3: z ~ p(z), then E[x|z] or a binary draw) and `gibbs gm traverse`
// (Fig. 4's 30-point grid −6…6 along the latent units ranked by their generative error, and interpolation between
// two held-out images through their posterior locations).
using System.CommandLine;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.IO;

namespace Gibbs.Cli.Commands;

public static partial class GmCommand
{
    private static Command BuildSample()
    {
        var model = ModelOption();
        var n = new Option<int>("--n") { Description = "Number of samples", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var binary = new Option<bool>("--binary") { Description = "Draw binary x ~ p_rec(x|z) instead of showing the mean E[x|z]" };
        var output = new Option<string>("--out") { Description = "PNG (image grid) or .npy (raw samples)", DefaultValueFactory = _ => "gm-samples.png" };
        var cmd = new Command("sample", "Sample in the creative regime: z from the prior, then the decoder.") { model, n, binary, output };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var path = parse.GetValue(output)!;
            OutputPaths.CheckFile(path, "--out");
            var (m, _) = LoadModel(parse.GetValue(model)!, ctx);
            using var _m = m;
            bool npy = path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
            int side = npy ? 0 : Side(m, "--out " + path + " (write .npy instead)");
            int count = parse.GetValue(n);
            using var scope = TensorScope.Begin();
            var gen = Gen(ctx, 0x73616d70);
            var mean = m.SamplePrior(count, gen);
            var x = parse.GetValue(binary) && m.Reconstruction == Models.Gm.ReconstructionKind.Bernoulli ? Tensor.Bernoulli(mean, gen) : mean;
            if (npy) Npy.Save(path, x);
            else Pictures.GridClamped(path, x.ToArray(), count, side, side, $"{count} samples, z ~ p(z) ({m.Latent.Name})");
            ctx.Say($"wrote {path} ({count} samples from the prior)");
            ctx.Result(new JsonObject { ["command"] = "gm sample", ["out"] = Path.GetFullPath(path), ["n"] = count });
            return 0;
        });
        return cmd;
    }

    private static Command BuildTraverse()
    {
        var model = ModelOption();
        var data = new Option<string>("--data") { Description = "Dataset for ranking units and for --interpolate", DefaultValueFactory = _ => "mnist10k" };
        var units = new Option<int>("--units") { Description = "Latent units to traverse (largest mean generative error first)", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var steps = new Option<int>("--steps") { Description = "Grid points per unit", DefaultValueFactory = _ => 30 }.AtLeast(2);
        var range = new Option<float>("--range") { Description = "The grid runs from −range to +range", DefaultValueFactory = _ => 6f }.Positive();
        var interpolate = new Option<string?>("--interpolate") { Description = "Also interpolate between two test rows, e.g. 3,1500 (written beside --out as *-interpolation.png)" };
        var output = new Option<string>("--out") { Description = "PNG", DefaultValueFactory = _ => "gm-traverse.png" };
        var symmetry = new Option<bool>("--symmetry") { Description = "Traverse the symmetry latents h, v, r and angle (rotation for a canonical model) — a model trained with --symmetry; canonical models give shifted, scaled and turned replicas" };
        var cmd = new Command("traverse", "Latent traversals (a grid −range…range per unit, the rest of z at 0) and interpolation between two images.")
        {
            model, data, units, steps, range, interpolate, symmetry, output,
        };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var path = parse.GetValue(output)!;
            OutputPaths.CheckFile(path, "--out");
            var (m, meta) = LoadModel(parse.GetValue(model)!, ctx);
            using var _m = m;
            int side = Side(m, "a traversal");
            (int A, int B)? pair = null;
            if (parse.GetValue(interpolate) is { } text)
            {
                var p = text.Split(',');
                if (p.Length != 2 || !int.TryParse(p[0], out int a) || !int.TryParse(p[1], out int b) || a < 0 || b < 0)
                    throw new GibbsException($"--interpolate '{text}': give two row numbers of the test split, e.g. --interpolate 3,1500");
                pair = (a, b);
            }
            var ds = LoadData(parse.GetValue(data)!, DatasetSplit.Test, parse, m);
            if (pair is { } q && Math.Max(q.A, q.B) >= ds.Count) throw new GibbsException($"--interpolate: {ds.Name} has {ds.Count} rows (0…{ds.Count - 1})");
            using var scope = TensorScope.Begin();
            var x = Rows(ds, m, BinarizeOf(meta, null), ctx.Device, SpreadRows(ds.Count, 1000));
            var ranked = RankByGenerativeError(m, x, out var err).Take(Math.Min(parse.GetValue(units), m.LatentSize)).ToArray();
            if (parse.GetValue(symmetry))
            {
                if (m.Symmetry is null) throw new GibbsException($"--symmetry: {parse.GetValue(model)} has no symmetry latents; train with `gibbs gm train --symmetry`");
                ranked = Enumerable.Range(m.Architecture.Latent, Models.Gm.GmSymmetry.Units).ToArray(); // h, v, r, angle
            }
            int st = parse.GetValue(steps);
            Pictures.Grid(path, Traversal(m, ranked, st, parse.GetValue(range)), ranked.Length * st, side, side,
                $"traversals −{parse.GetValue(range)}…{parse.GetValue(range)}: units {string.Join(", ", ranked)} (mean D_gen {string.Join(", ", ranked.Select(j => err[j].ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))})", columns: st);
            var json = new JsonObject { ["command"] = "gm traverse", ["out"] = Path.GetFullPath(path), ["units"] = new JsonArray(ranked.Select(j => (JsonNode)j).ToArray()) };
            if (pair is { } ab)
            {
                var ipath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + "-interpolation.png");
                var both = Rows(ds, m, BinarizeOf(meta, null), ctx.Device, [ab.A, ab.B]);
                Pictures.Grid(ipath, Interpolation(m, both, 0, 1, st), st, side, side, $"test rows {ab.A} → {ab.B} through their posterior locations", columns: st);
                json["interpolation"] = ipath;
                ctx.Say($"wrote {ipath}");
            }
            ctx.Say($"wrote {path} (units {string.Join(", ", ranked)})");
            ctx.Result(json);
            return 0;
        });
        return cmd;
    }
}
