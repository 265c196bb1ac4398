// `gibbs demo`: the main job on the embedded default — a TAP2 (extended mean-field) RBM on binarised
// mnist10k with magnetisations restarted from each mini-batch (the EMF code's recipe), its held-out
// log-likelihood by AIS beside the independent-pixel baseline, filters and samples, in under two minutes on
// 2 cores. Exits 1 if the model does not beat the baseline by the margin the demo promises.
using System.CommandLine;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.Models.Baselines;
using Gibbs.Models.Rbm;
using Gibbs.Optim;

namespace Gibbs.Cli.Commands;

public static class DemoCommand
{
    /// <summary>How far (nats) the demo's model must beat the independent-pixel baseline.</summary>
    public const double Margin = 60;

    public static Command Build()
    {
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "reports/demo" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 30 }.AtLeast(1);
        var hidden = new Option<int>("--hidden") { Description = "Hidden units", DefaultValueFactory = _ => 500 }.AtLeast(1);
        var betas = new Option<int>("--ais-betas") { Description = "AIS inverse temperatures", DefaultValueFactory = _ => 14500 }.AtLeast(3);
        var cmd = new Command("demo", "Train a TAP2 RBM on mnist10k (under 2 min on 2 cores), report its test log-likelihood by AIS beside the independent-pixel baseline, write filters and samples.")
        {
            output, epochs, hidden, betas,
        };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var dir = parse.GetValue(output)!;
            var options = Options(parse.GetValue(epochs), ctx.Seed);
            var ais = RbmCommand.AisSchedule(100, parse.GetValue(betas));
            double? model = null, baseline = null;
            var run = new TrainRun(ctx, new TrainRequest("mnist10k", null, VisibleKind.Bernoulli, parse.GetValue(hidden), options, 1f, false, 0,
                Path.Combine(dir, "rbm.safetensors"), dir, Resume: false, Force: false));
            int code = run.Execute((rbm, train) =>
            {
                var test = Datasets.Load("mnist10k", DatasetSplit.Test);
                var xTrain = Binarize.Threshold(train.X);
                var xTest = Binarize.Threshold(test.X);
                using var scope = TensorScope.Begin();
                var x = Tensor.FromArray(xTest, [test.Count, test.Features], rbm.Device);
                var baseRate = Tensor.FromArray(xTrain, [train.Count, train.Features], rbm.Device);
                var s = Progress.Run("AIS log Z", report => RbmEvaluation.Evaluate(rbm, x, LogZMethod.Ais, ais, baseRate, ctx.Seed, (k, n) => report(k, n, null)));
                RbmCommand.Print(ctx, s, "mnist10k test (binarised)");
                baseline = IndependentModels.BernoulliLogLikelihood(xTrain, xTest, test.Features);
                model = s.MeanLogLikelihood;
                ctx.Say($"independent-pixel baseline: {baseline:F3} nats; the RBM is {model - baseline:F1} nats better (the demo asks for ≥ {Margin:F0})");
                var json = RbmCommand.ScoresJson(s);
                json["command"] = "demo";
                return new JsonObject
                {
                    ["test"] = json,
                    ["test_log_likelihood"] = json["mean_log_likelihood"]?.DeepClone(),
                    ["baseline_log_likelihood"] = baseline,
                    ["margin_over_baseline"] = model - baseline,
                };
            });
            if (code != 0) return code;
            if (run.ChainDiagnostic is { } c)
                ctx.Say(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Gibbs chains from held-out digits: mean free energy {c.Start:F1} at the start, {c.After100:F1} after 100 sweeps, {c.After1000:F1} after 1,000 (samples.png, samples-long.png); a much lower value means the chains fell into a mode the data do not occupy"));
            if (model - baseline < Margin)
                throw new GibbsException($"the demo's RBM beat the independent-pixel baseline by {model - baseline:F1} nats, less than the {Margin:F0} it promises");
            return 0;
        });
        return cmd;
    }

    /// <summary>The demo's training settings (also `gibbs repro 003-rbm-samples`).</summary>
    public static RbmTrainingOptions Options(int epochs, ulong seed) => new()
    {
        Solver = RbmSolver.Tap2,
        TapInit = TapInit.Data,
        Epochs = epochs,
        BatchSize = 100,
        LearningRate = 0.005f,
        Momentum = 0.5f,
        Decay = DecayKind.L1,
        DecayRate = 1e-4f,
        TapIterations = 3,
        Binarize = BinarizeMode.Threshold,
        Seed = seed,
    };
}
