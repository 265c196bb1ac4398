// `gibbs rbm train`: trains an RBM, checkpointing the whole training state every epoch (atomically), and
// writes the model and a report folder (metrics.json, curves.png, filters.png, samples.png).
using System.CommandLine;
using Gibbs.Models.Rbm;
using Gibbs.Optim;

namespace Gibbs.Cli.Commands;

public static partial class RbmCommand
{
    private static Command BuildTrain()
    {
        var data = new Option<string>("--data") { Description = "Dataset name (see `gibbs data list`) or file", DefaultValueFactory = _ => "mnist10k" };
        var visible = new Option<string>("--visible") { Description = "bernoulli (binary data) or gaussian (real-valued data)", DefaultValueFactory = _ => "bernoulli" };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units", DefaultValueFactory = _ => 256 }.AtLeast(1);
        var solver = new Option<string>("--solver") { Description = "cd, pcd, naive, tap2 or tap3", DefaultValueFactory = _ => "pcd" };
        var k = new Option<int>("--k") { Description = "Gibbs sweeps per update (CD-k/PCD-k)", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var chains = new Option<int>("--chains") { Description = "Persistent chains / magnetisation rows (0 = batch size)" }.AtLeast(0, "0 = batch size");
        var epochs = new Option<int>("--epochs") { Description = "Epochs (in total, counting resumed ones)", DefaultValueFactory = _ => 20 }.AtLeast(0);
        var batch = new Option<int>("--batch") { Description = "Mini-batch size", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var lr = new Option<float>("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 0.01f }.Positive();
        var momentum = new Option<float>("--momentum") { Description = "Momentum in [0, 1)", DefaultValueFactory = _ => 0.5f };
        var decay = new Option<string>("--decay") { Description = "Weight decay on W: none, l1 or l2", DefaultValueFactory = _ => "none" };
        var decayRate = new Option<float>("--decay-rate") { Description = "Weight-decay strength", DefaultValueFactory = _ => 0.01f }.Positive(allowZero: true);
        var beta = new Option<float>("--beta") { Description = "Inverse temperature of the TAP expansion", DefaultValueFactory = _ => 1f }.Positive();
        var tapIter = new Option<int>("--tap-iterations") { Description = "Damped fixed-point iterations per update (TAP solvers)", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var tapInit = new Option<string>("--tap-init") { Description = "TAP magnetisations start from the mini-batch each update (data) or persist (persistent)", DefaultValueFactory = _ => "data" };
        var persistAfter = new Option<int>("--persist-after") { Description = "With --tap-init persistent: restart from data for this many epochs first" }.AtLeast(0);
        var binarize = new Option<string>("--binarize") { Description = "none, threshold (x > 0.5) or dynamic (Bernoulli draw per batch)", DefaultValueFactory = _ => "none" };
        var sigma = new Option<float>("--sigma") { Description = "σ of Gaussian visibles (in standardised units unless --no-standardize)", DefaultValueFactory = _ => 1f }.Positive();
        var learnSigma = new Option<bool>("--learn-sigma") { Description = "Learn σ of Gaussian visibles (log σ², kept in [0.05, 10])" };
        var noStandardize = new Option<bool>("--no-standardize") { Description = "Gaussian visibles: do not standardise the inputs" };
        var limit = new Option<int>("--limit") { Description = "Use only the first N training samples (0 = all)" }.AtLeast(0, "0 = all");
        var output = new Option<string>("--out") { Description = "Model file (safetensors)", DefaultValueFactory = _ => "rbm.safetensors" };
        var report = new Option<string?>("--report") { Description = "Report folder (default: <out>-report)" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint <out>.ckpt (same settings)" };
        var force = new Option<bool>("--force") { Description = "With --resume: continue even if settings differ from the checkpoint's (not the model's size, data or solver)" };
        var cmd = new Command("train", "Train an RBM by CD-k, PCD-k or TAP (naive/tap2/tap3) and write the model and a report.")
        {
            data, visible, hidden, solver, k, chains, epochs, batch, lr, momentum, decay, decayRate, beta, tapIter, tapInit, persistAfter, binarize,
            sigma, learnSigma, noStandardize, limit, output, report, resume, force,
        };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
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
                TapInit = Parse<TapInit>(parse.GetValue(tapInit)!, "--tap-init"),
                PersistAfter = parse.GetValue(persistAfter),
                Binarize = Parse<BinarizeMode>(parse.GetValue(binarize)!, "--binarize"),
                Standardize = !parse.GetValue(noStandardize),
                Seed = ctx.Seed,
            }.Validate();
            var request = new TrainRequest(parse.GetValue(data)!, DataCommand.GetDataDir(parse), Parse<VisibleKind>(parse.GetValue(visible)!, "--visible"),
                parse.GetValue(hidden), options, parse.GetValue(sigma), parse.GetValue(learnSigma), parse.GetValue(limit),
                parse.GetValue(output)!, parse.GetValue(report), parse.GetValue(resume), parse.GetValue(force));
            if (request.Force && !request.Resume) throw new GibbsException("--force only applies with --resume");
            return new TrainRun(ctx, request).Execute();
        });
        return cmd;
    }
}
