// `gibbs gm train`: trains a Gibbs machine with a progress bar and a checkpoint of the whole training state per epoch
// (atomic; `--resume` continues bit-identically), then writes the model and a report folder: metrics.json, curves.png
// (training objective and held-out bound per epoch), samples.png (creative regime), reconstructions.png, traverse.png.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.IO;
using Gibbs.Models.Gm;
using Gibbs.Models.Rbm;
using Gibbs.Training;

namespace Gibbs.Cli.Commands;

public static partial class GmCommand
{
    private static readonly string[] ReportFiles = ["metrics.json", "curves.png", "samples.png", "reconstructions.png", "traverse.png"];

    /// <summary>Settings that cannot change on resume, even with --force.</summary>
    private static readonly HashSet<string> FixedOnResume = ["dataset", "arch", "latent", "reconstruction", "symmetry", "distort"];

    private static Command BuildTrain()
    {
        var data = new Option<string>("--data") { Description = "Dataset name (see `gibbs data list`) or file", DefaultValueFactory = _ => "mnist10k" };
        var arch = new Option<string>("--arch") { Description = "Layer sizes input-…-latent-…-output (the latent in the middle)", DefaultValueFactory = _ => "784-700-400-700-784" };
        var latent = new Option<string>("--latent") { Description = $"Latent family: {string.Join(", ", LatentFamilies.Names)}", DefaultValueFactory = _ => "laplace" };
        var recon = new Option<string>("--reconstruction") { Description = "bernoulli (binary data) or gaussian (real-valued data)", DefaultValueFactory = _ => "bernoulli" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (in total, counting resumed ones)", DefaultValueFactory = _ => 20 }.AtLeast(0);
        var batch = new Option<int>("--batch") { Description = "Mini-batch size", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var lr = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 2e-4f }.Positive();
        var decay = new Option<float>("--decay-epochs") { Description = "Time constant τ of the learning-rate decay η₀·exp(−epoch/τ) (the seed's \"decay = 500 epochs\"; 0 = none)", DefaultValueFactory = _ => 500f }.Positive(allowZero: true);
        var objective = new Option<string>("--objective") { Description = "bound (B = D_gen − log L_rec, eq. 3.8), iwae (importance-weighted, --k draws) or dvar (B − σ_ε²/2, §3.8)", DefaultValueFactory = _ => "bound" };
        var draws = new Option<int>("--draws") { Description = "Latent draws per observation for bound/dvar (L)", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var k = new Option<int>("--k") { Description = "Importance samples per observation for --objective iwae", DefaultValueFactory = _ => 5 }.AtLeast(2);
        var binarize = new Option<string>("--binarize") { Description = "dynamic (a fresh Bernoulli draw each epoch), threshold (x > 0.5 once) or none", DefaultValueFactory = _ => "dynamic" };
        var limit = new Option<int>("--limit") { Description = "Use only the first N training samples (0 = all)" }.AtLeast(0, "0 = all");
        var symmetry = new Option<string?>("--symmetry")
        {
            Description = "Add the symmetry statistics h, v, r and angle of each image as four latents (means computed, scales learned; §4): canonical (the default when bare: the seed's recipe — the net reads and draws un-shifted, un-scaled, un-rotated images and the output is warped back by the sampled statistics) or latents (fed to the decoder with the other latents)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var nllK = new Option<int>("--nll-k") { Description = "After training: importance-sampled test NLL with this many draws (0 = skip; `gibbs gm eval` for the full k = 5000)" }.AtLeast(0);
        var nllLimit = new Option<int>("--nll-limit") { Description = "Rows of the test split for --nll-k (evenly spaced)", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var output = new Option<string>("--out") { Description = "Model file (safetensors)", DefaultValueFactory = _ => "gm.safetensors" };
        var report = new Option<string?>("--report") { Description = "Report folder (default: <out>-report)" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint <out>.ckpt (same settings)" };
        var force = new Option<bool>("--force") { Description = "With --resume: continue even if --lr, --batch, --objective … differ from the checkpoint's" };
        var cmd = new Command("train", "Train a Gibbs machine (bound, iwae or dvar objective) and write the model and a report.")
        {
            data, arch, latent, recon, epochs, batch, lr, decay, objective, draws, k, binarize, limit, symmetry, DistortOption, nllK, nllLimit, output, report, resume, force,
        };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var obj = RbmCommand.Parse<GmObjective>(parse.GetValue(objective)!, "--objective");
            var options = new GmTrainingOptions
            {
                Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                DecayEpochs = parse.GetValue(decay), Objective = obj, Draws = obj == GmObjective.Iwae ? parse.GetValue(k) : parse.GetValue(draws),
                Binarize = RbmCommand.Parse<BinarizeMode>(parse.GetValue(binarize)!, "--binarize"), Seed = ctx.Seed,
            }.Validate();
            var run = new GmTrainRun(ctx, parse, parse.GetValue(data)!, GmArchitecture.Parse(parse.GetValue(arch)!), LatentFamilies.Get(parse.GetValue(latent)!),
                RbmCommand.Parse<ReconstructionKind>(parse.GetValue(recon)!, "--reconstruction"), options, parse.GetValue(limit),
                parse.GetValue(output)!, parse.GetValue(report), parse.GetValue(resume), parse.GetValue(force), parse.GetValue(nllK), parse.GetValue(nllLimit),
                SymmetryMode(parse, symmetry), ParseDistortion(parse));
            if (run.Force && !run.Resume) throw new GibbsException("--force only applies with --resume");
            return run.Execute();
        });
        return cmd;
    }

    // --symmetry absent: none; bare: canonical; or the mode named.
    private static GmSymmetryMode? SymmetryMode(ParseResult parse, Option<string?> option)
    {
        if (parse.GetResult(option) is null) return null;
        return parse.GetValue(option) is { } text ? RbmCommand.Parse<GmSymmetryMode>(text, "--symmetry") : GmSymmetryMode.Canonical;
    }

    private sealed record GmTrainRun(Context Ctx, ParseResult Parse, string Data, GmArchitecture Arch, ILatentFamily Latent, ReconstructionKind Reconstruction,
                                     GmTrainingOptions Options, int Limit, string Output, string? ReportOption, bool Resume, bool Force, int NllK, int NllLimit,
                                     GmSymmetryMode? Symmetry, (double Shift, double Degrees)? Distortion)
    {
        private string CheckpointPath => Output + ".ckpt";
        private string ReportDir => ReportOption ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Output)) ?? ".", Path.GetFileNameWithoutExtension(Output) + "-report");

        public int Execute()
        {
            OutputPaths.CheckFile(Output, "--out");
            OutputPaths.CheckFile(CheckpointPath, "the checkpoint");
            OutputPaths.CheckDirectory(ReportDir, "--report");
            OutputPaths.CheckFilesIn(ReportDir, ReportFiles);
            bool named = DataCommand.IsNamed(Data);
            var train = DataCommand.Load(Data, DatasetSplit.Train, Parse);
            if (Limit > 0) train = train.Take(Limit);
            var test = named ? DataCommand.Load(Data, DatasetSplit.Test, Parse) : null;
            Arch.CheckWidth(train.Features);
            train = Distorted(train, Distortion, DatasetSplit.Train);
            if (test is not null) test = Distorted(test, Distortion, DatasetSplit.Test);
            using var checkpoint = Resume ? LoadCheckpoint(train.Name) : null;
            using var model = new GibbsMachine(Arch, Latent, Reconstruction, Gen(Ctx, 0x696e6974), Ctx.Device, Symmetry is { } mode ? GmSymmetry.Fit(train.X, train.Features, mode) : null);
            using var trainer = new GibbsMachineTrainer(model, Options, train.X, test?.X);
            if (checkpoint is not null)
            {
                trainer.RestoreState(checkpoint);
                Ctx.Say($"resuming from {CheckpointPath} at epoch {trainer.Epoch}");
            }
            Ctx.Say($"training a Gibbs machine {Arch} ({Latent.Name} latents: {Latent.Description}; {Reconstruction.ToString().ToLowerInvariant()} reconstruction) on {train.Name} ({train.Count} rows, {Options.Binarize.ToString().ToLowerInvariant()} binarisation), objective {Describe(Options)}, {Options.Epochs} epochs, batch {Options.BatchSize}, Adam lr {Options.LearningRate}{(Options.DecayEpochs > 0 ? $"·exp(−epoch/{Options.DecayEpochs})" : "")}, on {model.Device}");
            var meta = Metadata(train.Name);
            CheckpointedFit.Run(Options.Epochs, () => trainer.Epoch, trainer.CaptureState, CheckpointPath, meta, Resume, "--resume --force",
                (checkpoint, batch) => trainer.Fit(onEpoch: r =>
                {
                    checkpoint();
                    Ctx.Say(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {r.Epoch,4}  {r.Seconds,6:F2}s  objective {r.Loss,9:F3}  D_gen {r.GenerativeError,8:F3}  −log L_rec {r.ReconstructionError,9:F3}{(double.IsNaN(r.ValidationBound) ? "" : $"  held-out bound {r.ValidationBound,9:F3}")}"));
                }, onBatch: batch));
            GmFile.Save(model, Output, meta);
            Ctx.Say($"wrote {Output} (checkpoint {CheckpointPath})");
            var metrics = WriteReport(model, trainer, train, test);
            Ctx.Result(metrics);
            return 0;
        }

        private static string Describe(GmTrainingOptions o) => o.Objective switch
        {
            GmObjective.Iwae => $"iwae (k = {o.Draws})",
            GmObjective.Dvar => $"dvar (B − σ_ε²/2, {o.Draws} draws)",
            _ => $"bound (B = D_gen − log L_rec, {o.Draws} draw{(o.Draws == 1 ? "" : "s")})",
        };

        private Dictionary<string, string> Config(string dataset) => new()
        {
            ["dataset"] = dataset, ["arch"] = Arch.ToString(), ["latent"] = Latent.Name, ["reconstruction"] = Reconstruction.ToString().ToLowerInvariant(),
            ["binarize"] = Options.Binarize.ToString().ToLowerInvariant(), ["batch"] = Options.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["lr"] = Options.LearningRate.ToString("R", CultureInfo.InvariantCulture), ["decay_epochs"] = Options.DecayEpochs.ToString("R", CultureInfo.InvariantCulture),
            ["objective"] = Options.Objective.ToString().ToLowerInvariant(), ["draws"] = Options.Draws.ToString(CultureInfo.InvariantCulture),
            ["limit"] = Limit.ToString(CultureInfo.InvariantCulture), ["seed"] = Ctx.Seed.ToString(CultureInfo.InvariantCulture),
            ["symmetry"] = Symmetry?.ToString().ToLowerInvariant() ?? "none", ["distort"] = DistortText(Distortion),
        };

        private Dictionary<string, string> Metadata(string dataset) => Config(dataset).ToDictionary(kv => "run." + kv.Key, kv => kv.Value)
            .Append(new KeyValuePair<string, string>("binarize", Options.Binarize.ToString().ToLowerInvariant()))
            .Append(new KeyValuePair<string, string>("distort", DistortText(Distortion))).ToDictionary();

        private TrainingState LoadCheckpoint(string dataset) => CheckpointedFit.Load(CheckpointPath, Ctx.Device, Options.Epochs, state =>
        {
            foreach (var (key, value) in Config(dataset))
            {
                if (key == "seed" && !Force && state.TryMeta("run.seed") is { } s0 && s0 != value)
                    throw new GibbsException($"--resume: {CheckpointPath} was trained with --seed {s0}, this run asks for {value}; pass --seed {s0} (the seed fixes the batch order)");
                var saved = state.TryMeta("run." + key);
                if (saved is null || saved == value || key == "seed") continue;
                string flag = "--" + key.Replace('_', '-');
                if (FixedOnResume.Contains(key))
                    throw new GibbsException($"--resume: {CheckpointPath} was trained with {flag} {saved}, this run asks for {value}; {flag} cannot change on resume — pass {flag} {saved}, or start a new model without --resume");
                if (!Force) throw new GibbsException($"--resume: {CheckpointPath} was trained with {flag} {saved}, this run asks for {value}; pass {flag} {saved}, or add --force to continue with the new value");
                Ctx.Say($"--force: continuing with {flag} {value} (the checkpoint used {saved})");
            }
        });

        private JsonObject WriteReport(GibbsMachine model, GibbsMachineTrainer trainer, Dataset train, Dataset? test)
        {
            var history = trainer.History;
            var metrics = new JsonObject
            {
                ["command"] = "gm train", ["model"] = Path.GetFullPath(Output), ["checkpoint"] = Path.GetFullPath(CheckpointPath), ["report"] = ReportDir,
                ["dataset"] = train.Name, ["samples"] = train.Count, ["arch"] = Arch.ToString(), ["latent"] = Latent.Name,
                ["reconstruction"] = Reconstruction.ToString().ToLowerInvariant(), ["objective"] = Options.Objective.ToString().ToLowerInvariant(),
                ["draws"] = Options.Draws, ["binarize"] = Options.Binarize.ToString().ToLowerInvariant(),
                ["epochs"] = new JsonArray(history.Select(e => (JsonNode)new JsonObject
                {
                    ["epoch"] = e.Epoch, ["seconds"] = e.Seconds, ["lr"] = e.LearningRate, ["objective"] = Num(e.Loss),
                    ["generative_error"] = Num(e.GenerativeError), ["reconstruction_error"] = Num(e.ReconstructionError), ["heldout_bound"] = Num(e.ValidationBound),
                }).ToArray()),
            };
            if (history.Count > 0)
            {
                metrics["seconds_per_epoch"] = history.Average(e => e.Seconds);
                Pictures.Curves(Path.Combine(ReportDir, "curves.png"), "Gibbs machine: objective and held-out bound per epoch", "nats",
                    [("training objective", history.Select(e => e.Loss).ToArray()), ("held-out bound B", history.Select(e => e.ValidationBound).ToArray())]);
            }
            var eval = test ?? train;
            var mode = Options.Binarize;
            using var scope = TensorScope.Begin();
            var x = Rows(eval, model, mode, model.Device, SpreadRows(eval.Count, NllLimit));
            metrics["active_units"] = model.ActiveUnits(x).Length;
            metrics["latent_units"] = model.LatentSize;
            if (NllK > 0)
            {
                var lik = Progress.Run("importance sampling", report => model.ImportanceSampledNll(x, NllK, Gen(Ctx, 0x6e6c6c)));
                metrics["test_rows"] = x.Dim(0);
                metrics["test_bound"] = lik.MeanBound;
                metrics["test_nll"] = lik.MeanNll;
                metrics["test_nll_se"] = lik.MeanNllStdErr;
                metrics["nll_k"] = NllK;
                metrics["variational_error"] = lik.MeanVariationalError;
                Ctx.Say(string.Create(CultureInfo.InvariantCulture,
                    $"{(test is null ? "training" : "test")} rows ({x.Dim(0)}): bound B {lik.MeanBound:F2}, importance-sampled NLL (k = {NllK}) {lik.MeanNll:F2} ± {lik.MeanNllStdErr:F2} nats, D_var = B − NLL {lik.MeanVariationalError:F2}, active units {(int)metrics["active_units"]!}/{model.LatentSize}"));
            }
            if (RbmCommand.ImageSide(model.Features) is { } side) WritePictures(model, x, side, ReportDir);
            OutputPaths.WriteJson(Path.Combine(ReportDir, "metrics.json"), metrics);
            Ctx.Say($"report: {ReportDir} ({string.Join(", ", Directory.GetFiles(ReportDir).Select(Path.GetFileName).Where(f => ReportFiles.Contains(f)).Order())})");
            return metrics;
        }

        private void WritePictures(GibbsMachine model, Tensor x, int side, string dir)
        {
            using var scope = TensorScope.Begin();
            Pictures.Grid(Path.Combine(dir, "samples.png"), model.SamplePrior(100, Gen(Ctx, 0x73616d70)).ToArray(), 100, side, side, "creative regime: E[x|z], z ~ p(z)");
            int n = Math.Min(50, x.Dim(0)), f = model.Features;
            var all = x.ToArray();
            var originals = new float[n * f];
            for (int i = 0; i < n; i++) Array.Copy(all, (long)i * x.Dim(0) / n * f, originals, i * f, f); // spread: test splits are sorted by class
            var pick = Tensor.FromArray(originals, [n, f], model.Device);
            float[] recon;
            using (Tensor.NoGrad()) recon = model.Forward(pick).ToArray();
            var tiles = new float[2 * n * model.Features];
            for (int i = 0; i < n; i++)
            {
                int row = i / 10, col = i % 10;
                Array.Copy(originals, i * model.Features, tiles, ((2 * row) * 10 + col) * model.Features, model.Features);
                Array.Copy(recon, i * model.Features, tiles, ((2 * row + 1) * 10 + col) * model.Features, model.Features);
            }
            Pictures.Grid(Path.Combine(dir, "reconstructions.png"), tiles, 2 * n, side, side, "held-out rows and, below each row, E[x|μ(x)]", columns: 10);
            var units = RankByGenerativeError(model, x, out _).Take(Math.Min(10, model.LatentSize)).ToArray();
            Pictures.Grid(Path.Combine(dir, "traverse.png"), Traversal(model, units, 30, 6f), units.Length * 30, side, side,
                "latent traversals −6…6, one row per unit (largest D_gen first)", columns: 30);
        }

        private static JsonNode? Num(double v) => TrainRun.Num(v);
    }
}
