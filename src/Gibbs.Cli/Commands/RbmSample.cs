// `gibbs rbm sample`: block-Gibbs chains from noise or from data, written as an image grid.
using System.CommandLine;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.IO;
using Gibbs.Models.Rbm;
using Gibbs.Rng;

namespace Gibbs.Cli.Commands;

public static partial class RbmCommand
{
    private static Command BuildSample()
    {
        var model = new Option<string>("--model") { Description = "Model file", Required = true };
        var n = new Option<int>("--n") { Description = "Number of chains", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var steps = new Option<int>("--steps") { Description = "Gibbs sweeps", DefaultValueFactory = _ => 1000 }.AtLeast(0);
        var from = new Option<string>("--from") { Description = "noise or data", DefaultValueFactory = _ => "noise" };
        var data = new Option<string>("--data") { Description = "Dataset for --from data", DefaultValueFactory = _ => "mnist10k" };
        var output = new Option<string>("--out") { Description = "PNG (image grid) or .npy/.safetensors (raw samples)", DefaultValueFactory = _ => "samples.png" };
        var cmd = new Command("sample", "Draw samples with block-Gibbs chains and write them as a picture or an array.") { model, n, steps, from, data, output };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var path = parse.GetValue(output)!;
            OutputPaths.CheckFile(path, "--out");
            using var rbm = RbmFile.Load(parse.GetValue(model)!, ctx.Device);
            int count = parse.GetValue(n), sweeps = parse.GetValue(steps);
            bool picture = !path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
            if (picture && ImageSide(rbm.NVisible) is null)
                throw new GibbsException($"{rbm.NVisible} visible units do not form a square image: write --out samples.npy instead");
            var gen = new Generator(ctx.Seed);
            using var scope = TensorScope.Begin();
            Tensor start;
            var fromValue = parse.GetValue(from)!.ToLowerInvariant();
            if (fromValue == "data")
            {
                var ds = Datasets.Load(parse.GetValue(data)!, DatasetSplit.Test, DataCommand.GetDataDir(parse));
                if (ds.Features != rbm.NVisible) throw new GibbsException($"{ds.Name} has {ds.Features} features but the model has {rbm.NVisible} visible units");
                var rows = ds.Take(count);
                start = Tensor.FromArray(rows.X, [rows.Count, rows.Features], ctx.Device);
                if (rbm is BernoulliRbm) start = Tensor.Bernoulli(start, gen);
            }
            else if (fromValue == "noise")
                start = rbm.Sample(count, 0, gen);
            else throw new GibbsException($"--from '{fromValue}' must be noise or data");
            var samples = Progress.Run("sampling", report =>
            {
                var v = start;
                const int chunk = 50;
                for (int done = 0; done < sweeps; done += chunk)
                {
                    int s = Math.Min(chunk, sweeps - done);
                    var next = rbm.Gibbs(v, s, gen, meanLast: done + s >= sweeps);
                    if (v != start) v.Dispose(); // memory stays flat however many sweeps
                    v = next;
                    report(done + s, sweeps, null);
                }
                return v;
            });
            if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) Npy.Save(path, samples);
            else if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) SafeTensors.Save(path, new Dictionary<string, Tensor> { ["X"] = samples });
            else
            {
                int side = ImageSide(rbm.NVisible)!.Value;
                Pictures.GridClamped(path, samples.ToArray(), samples.Dim(0), side, side, $"{sweeps} Gibbs sweeps from {fromValue}");
            }
            ctx.Say($"wrote {samples.Dim(0)} samples after {sweeps} sweeps to {path}");
            ctx.Result(new JsonObject { ["command"] = "rbm sample", ["out"] = Path.GetFullPath(path), ["n"] = samples.Dim(0), ["steps"] = sweeps });
            return 0;
        });
        return cmd;
    }
}
