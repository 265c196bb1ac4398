// `gibbs rbm train`: trains an RBM, checkpointing every epoch (atomically), and writes the model and a
// report folder (metrics.json, curves.png, filters.png, samples.png).
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.IO;
using Gibbs.Models.Rbm;
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Cli.Commands;

public static partial class RbmCommand
{
    private static Command BuildTrain()
    {
        var data = new Option<string>("--data") { Description = "Dataset name or file", DefaultValueFactory = _ => "mnist10k" };
        var visible = new Option<string>("--visible") { Description = "bernoulli (binary data) or gaussian (real-valued data)", DefaultValueFactory = _ => "bernoulli" };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units", DefaultValueFactory = _ => 256 };
        var solver = new Option<string>("--solver") { Description = "cd, pcd, naive, tap2 or tap3", DefaultValueFactory = _ => "pcd" };
        var k = new Option<int>("--k") { Description = "Gibbs sweeps per update (CD-k/PCD-k)", DefaultValueFactory = _ => 1 };
        var chains = new Option<int>("--chains") { Description = "Persistent chains / TAP magnetisation rows (0 = batch size)" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (in total, counting resumed ones)", DefaultValueFactory = _ => 20 };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size", DefaultValueFactory = _ => 100 };
        var lr = new Option<float>("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 0.01f };
        var momentum = new Option<float>("--momentum") { Description = "Momentum", DefaultValueFactory = _ => 0.5f };
        var decay = new Option<string>("--decay") { Description = "Weight decay on W: none, l1 or l2", DefaultValueFactory = _ => "none" };
        var decayRate = new Option<float>("--decay-rate") { Description = "Weight-decay strength", DefaultValueFactory = _ => 0.01f };
        var beta = new Option<float>("--beta") { Description = "Inverse temperature of the TAP expansion", DefaultValueFactory = _ => 1f };
        var tapIter = new Option<int>("--tap-iterations") { Description = "Damped fixed-point iterations per update (TAP solvers)", DefaultValueFactory = _ => 3 };
        var binarize = new Option<string>("--binarize") { Description = "none, threshold (x > 0.5) or dynamic (Bernoulli draw per batch)", DefaultValueFactory = _ => "none" };
        var sigma = new Option<float>("--sigma") { Description = "σ of Gaussian visibles", DefaultValueFactory = _ => 1f };
        var learnSigma = new Option<bool>("--learn-sigma") { Description = "Learn σ of Gaussian visibles" };
        var limit = new Option<int>("--limit") { Description = "Use only the first N training samples (0 = all)" };
        var output = new Option<string>("--out") { Description = "Model file (safetensors)", DefaultValueFactory = _ => "rbm.safetensors" };
        var report = new Option<string?>("--report") { Description = "Report folder (default: <out>-report)" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint <out>.ckpt" };
        var cmd = new Command("train", "Train an RBM by CD-k, PCD-k or TAP (naive/tap2/tap3) and write the model and a report.")
        {
            data, visible, hidden, solver, k, chains, epochs, batch, lr, momentum, decay, decayRate, beta, tapIter, binarize, sigma, learnSigma, limit, output, report, resume,
        };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var kind = Parse<VisibleKind>(parse.GetValue(visible)!, "--visible");
            var options = new RbmTrainingOptions
            {
                Solver = Parse<RbmSolver>(parse.GetValue(solver)!, "--solver"),
                K = parse.GetValue(k),
                Chains = parse.GetValue(chains),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr),
                Momentum = parse.GetValue(momentum),
                Decay = Parse<DecayKind>(parse.GetValue(decay)!, "--decay"),
                DecayRate = parse.GetValue(decayRate),
                Beta = parse.GetValue(beta),
                TapIterations = parse.GetValue(tapIter),
                Binarize = Parse<BinarizeMode>(parse.GetValue(binarize)!, "--binarize"),
                Seed = ctx.Seed,
            }.Validate();
            int nHidden = parse.GetValue(hidden);
            if (nHidden < 1) throw new GibbsException($"--hidden must be at least 1, got {nHidden}");
            var run = new TrainRun(ctx, parse.GetValue(data)!, parse.GetValue(DataCommand.DataDir), kind, nHidden, options,
                parse.GetValue(sigma), parse.GetValue(learnSigma), parse.GetValue(limit), parse.GetValue(output)!, parse.GetValue(report), parse.GetValue(resume));
            return run.Execute();
        });
        return cmd;
    }
}
