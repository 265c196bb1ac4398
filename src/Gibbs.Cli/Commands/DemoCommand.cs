// `gibbs demo`: the main job on the embedded default — a TAP2 (extended mean-field) RBM on binarised
// mnist10k, its test log-likelihood by AIS, filters and samples, in about two minutes on 2 cores.
using System.CommandLine;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.Models.Rbm;
using Gibbs.Optim;

namespace Gibbs.Cli.Commands;

public static class DemoCommand
{
    public static Command Build()
    {
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "reports/demo" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 20 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units", DefaultValueFactory = _ => 500 };
        var betas = new Option<int>("--ais-betas") { Description = "AIS inverse temperatures", DefaultValueFactory = _ => 14500 };
        var cmd = new Command("demo", "Train a TAP2 RBM on mnist10k (~2 min on 2 cores), report its test log-likelihood by AIS, write filters and samples.")
        {
            output, epochs, hidden, betas,
        };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var dir = parse.GetValue(output)!;
            Directory.CreateDirectory(dir);
            var options = new RbmTrainingOptions
            {
                Solver = RbmSolver.Tap2,
                Epochs = parse.GetValue(epochs),
                BatchSize = 100,
                LearningRate = 0.01f,
                Momentum = 0.5f,
                Decay = DecayKind.L1,
                DecayRate = 1e-3f,
                TapIterations = 3,
                Binarize = BinarizeMode.Threshold,
                Seed = ctx.Seed,
            };
            var ais = RbmCommand.AisSchedule(100, parse.GetValue(betas));
            var run = new TrainRun(ctx, "mnist10k", null, VisibleKind.Bernoulli, parse.GetValue(hidden), options, 1f, false, 0,
                Path.Combine(dir, "rbm.safetensors"), dir, resume: false);
            return run.Execute((rbm, train) =>
            {
                var test = Datasets.Load("mnist10k", DatasetSplit.Test);
                using var scope = TensorScope.Begin();
                var x = Tensor.FromArray(Binarize.Threshold(test.X), [test.Count, test.Features], rbm.Device);
                var baseRate = Tensor.FromArray(Binarize.Threshold(train.X), [train.Count, train.Features], rbm.Device);
                var s = Progress.Run("AIS log Z", report => RbmEvaluation.Evaluate(rbm, x, LogZMethod.Ais, ais, baseRate, ctx.Seed, (k, n) => report(k, n, null)));
                RbmCommand.Print(ctx, s, "mnist10k test (binarised)");
                var json = RbmCommand.ScoresJson(s);
                json["command"] = "demo";
                return new JsonObject { ["test"] = json, ["test_log_likelihood"] = json["mean_log_likelihood"]?.DeepClone() };
            });
        });
        return cmd;
    }
}
