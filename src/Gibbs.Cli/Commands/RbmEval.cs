// `gibbs rbm eval`: log Z (exact / AIS / TAP), mean test log-likelihood in nats, pseudo-likelihood,
// reconstruction error and the EMF score of a model on a dataset.
using System.CommandLine;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.Models.Rbm;

namespace Gibbs.Cli.Commands;

public static partial class RbmCommand
{
    private static Command BuildEval()
    {
        var model = new Option<string>("--model") { Description = "Model file (safetensors with W, b_v, b_h[, sigma])", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset name or file", DefaultValueFactory = _ => "mnist10k" };
        var split = DataCommand.SplitOption(DatasetSplit.Test);
        var logz = new Option<string>("--logz") { Description = "auto, exact (a layer ≤ 20 units), ais or tap", DefaultValueFactory = _ => "auto" };
        var runs = new Option<int>("--ais-runs") { Description = "AIS runs", DefaultValueFactory = _ => 100 }.AtLeast(2);
        var betas = new Option<int>("--ais-betas") { Description = "AIS inverse temperatures (split 500:4000:10000 like Salakhutdinov & Murray)", DefaultValueFactory = _ => 14500 };
        var binarize = new Option<string>("--binarize") { Description = "none, threshold or dynamic (a fixed Bernoulli draw)", DefaultValueFactory = _ => "none" };
        var limit = new Option<int>("--limit") { Description = "Evaluate on the first N samples (0 = all)" }.AtLeast(0, "0 = all");
        var cmd = new Command("eval", "Evaluate an RBM: log Z, its error, mean log-likelihood (nats), pseudo-likelihood.") { model, data, split, logz, runs, betas, binarize, limit };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            using var rbm = RbmFile.Load(parse.GetValue(model)!, ctx.Device);
            var ds = Datasets.Load(parse.GetValue(data)!, parse.GetValue(split), DataCommand.GetDataDir(parse));
            if (parse.GetValue(limit) > 0) ds = ds.Take(parse.GetValue(limit));
            if (ds.Features != rbm.NVisible)
                throw new GibbsException($"{ds.Name} has {ds.Features} features but the model has {rbm.NVisible} visible units: evaluate it on the data it was trained for");
            var mode = Parse<BinarizeMode>(parse.GetValue(binarize)!, "--binarize");
            var x = EvalRows(ds, rbm, mode, ctx.Seed);
            var method = Parse<LogZMethod>(parse.GetValue(logz)!, "--logz");
            var ais = AisSchedule(parse.GetValue(runs), parse.GetValue(betas));
            using var scope = TensorScope.Begin();
            var t = Tensor.FromArray(x, [ds.Count, ds.Features], ctx.Device);
            var s = Progress.Run("log Z", report => RbmEvaluation.Evaluate(rbm, t, method, ais, seed: ctx.Seed, progress: (k, n) => report(k, n, null)));
            Print(ctx, s, ds.Name);
            var json = ScoresJson(s);
            json["command"] = "rbm eval";
            json["dataset"] = ds.Name;
            if (Baseline(parse.GetValue(data)!, DataCommand.GetDataDir(parse), rbm, mode, ctx.Seed, x, ds.Features) is { } b)
            {
                ctx.Say($"{b.Name} baseline (fitted to the training split): {b.LogLikelihood:F3} nats; the RBM is {s.MeanLogLikelihood - b.LogLikelihood:F1} nats {(s.MeanLogLikelihood >= b.LogLikelihood ? "better" : "worse")}");
                json["baseline"] = b.Name;
                json["baseline_log_likelihood"] = b.LogLikelihood;
            }
            ctx.Result(json);
            return 0;
        });
        return cmd;
    }

    /// <summary>The independent-unit baseline on the same rows, fitted to the named dataset's training split (null for files).</summary>
    private static (string Name, double LogLikelihood)? Baseline(string name, string? dataDir, Rbm rbm, BinarizeMode mode, ulong seed, float[] x, int features)
    {
        if (!Datasets.Names.Contains(name.Trim().ToLowerInvariant())) return null;
        var train = Datasets.Load(name, DatasetSplit.Train, dataDir);
        return rbm.Kind == VisibleKind.Gaussian
            ? ("diagonal Gaussian", Models.Baselines.IndependentModels.GaussianLogLikelihood(train.X, x, features))
            : ("independent-pixel", Models.Baselines.IndependentModels.BernoulliLogLikelihood(EvalRows(train, rbm, mode, seed), x, features));
    }

    internal static AisOptions AisSchedule(int runs, int betas)
    {
        if (betas < 3) throw new GibbsException($"--ais-betas must be at least 3, got {betas}");
        int a = Math.Max(1, (int)Math.Round(betas * 500.0 / 14500)), b = Math.Max(1, (int)Math.Round(betas * 4000.0 / 14500));
        return new AisOptions { Runs = runs, Betas = [a, b, Math.Max(1, betas - a - b)] };
    }

    internal static float[] EvalRows(Dataset ds, Rbm rbm, BinarizeMode mode, ulong seed)
    {
        if (rbm.Kind == VisibleKind.Gaussian) return ds.X;
        float[] x = mode switch
        {
            BinarizeMode.Threshold => Binarize.Threshold(ds.X),
            BinarizeMode.Dynamic => DynamicOnce(ds.X, seed),
            _ => ds.X,
        };
        RequireBinary(ds, x, "evaluation");
        return x;
    }

    private static float[] DynamicOnce(float[] p, ulong seed)
    {
        var u = new float[p.Length];
        Rng.Philox.Fill(Backends.RandomKind.Uniform, new Rng.Generator(seed).Fork(0x6576616c).Seed, 0, 0, u, 0f, 1f);
        var y = new float[p.Length];
        Binarize.Sample(p, u, y);
        return y;
    }

    internal static void Print(Context ctx, RbmScores s, string dataset)
    {
        static string B(double v) => double.IsFinite(v) ? v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "undefined";
        string err = double.IsNaN(s.LogZStdErr) ? "" : s.LogZStdErr > 0 ? $" ± {s.LogZStdErr:F3} (3σ: [{B(s.LogZLow)}, {B(s.LogZHigh)}])" : " (exact)";
        if (s.LogZStdErr > 0.5) err += " — the AIS weights are dominated by a few runs: use more --ais-betas/--ais-runs before trusting it";
        ctx.Say($"log Z ({s.Method}): {s.LogZ:F3}{err}");
        ctx.Say($"mean log-likelihood on {dataset} ({s.Samples} samples): {s.MeanLogLikelihood:F3} nats");
        if (!double.IsNaN(s.PseudoLikelihood)) ctx.Say($"pseudo-log-likelihood: {s.PseudoLikelihood:F3}   EMF (TAP2) score: {s.TapScore:F3}");
        ctx.Say($"reconstruction error (MSE): {s.ReconstructionError:F4}   mean free energy: {s.MeanFreeEnergy:F3}");
    }

    internal static JsonObject ScoresJson(RbmScores s)
    {
        static JsonNode? N(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
        return new JsonObject
        {
            ["logz_method"] = s.Method, ["logz"] = N(s.LogZ), ["logz_stderr"] = N(s.LogZStdErr), ["logz_low"] = N(s.LogZLow), ["logz_high"] = N(s.LogZHigh),
            ["mean_log_likelihood"] = N(s.MeanLogLikelihood), ["log_likelihood_low"] = N(s.LogLikelihoodLow), ["log_likelihood_high"] = N(s.LogLikelihoodHigh),
            ["mean_free_energy"] = N(s.MeanFreeEnergy), ["pseudo_likelihood"] = N(s.PseudoLikelihood), ["reconstruction_error"] = N(s.ReconstructionError),
            ["emf_score"] = N(s.TapScore), ["samples"] = s.Samples,
        };
    }
}
