// `gibbs classify train|eval` (the seed's standard classifier) and `gibbs ace train|eval|sample` (non-generative ACE,
// 000_c7b547386cdeff84.txt §5.1, and generative ACE, §5.2): the same classifier and trainer, with and without the dual
// reconstruction error of eq. 5.1, and beside a class-conditional auto-encoder. Training writes a checkpoint of the whole state per epoch (atomic; `--resume` continues bit-identically),
// the model, and a report folder: metrics.json and curves.png (training target and held-out error per epoch).
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.Models.Ace;
using Gibbs.Rng;
using Gibbs.Training;

namespace Gibbs.Cli.Commands;

public static class AceCommand
{
    private static readonly string[] ReportFiles = ["metrics.json", "curves.png", "bound.png"];

    /// <summary>`gibbs classify`: the standard classifier.</summary>
    public static Command BuildClassify()
    {
        var cmd = new Command("classify", "The seed's standard classifier (784-700-700-700-10, two-unit maxout, the seed's batch normalisation, dropout; App. A): train and evaluate.");
        cmd.Add(DataCommand.DataDir);
        cmd.Add(BuildTrain("classify", fixedMode: AceMode.Classifier));
        cmd.Add(BuildEval("classify"));
        return cmd;
    }

    /// <summary>`gibbs ace`: the auto-classifier-encoder.</summary>
    public static Command BuildAce()
    {
        var cmd = new Command("ace", "ACE, the auto-classifier-encoder (seed 000 §5): the classifier plus the dual reconstruction error (--mode nongen, §5.1) or plus per-class generative decoders (--mode gen, §5.2); train, evaluate, sample.");
        cmd.Add(DataCommand.DataDir);
        cmd.Add(BuildTrain("ace", fixedMode: null));
        cmd.Add(BuildEval("ace"));
        cmd.Add(AceSample.Build());
        return cmd;
    }

    private static Command BuildTrain(string verb, AceMode? fixedMode)
    {
        var data = new Option<string>("--data") { Description = "Labelled dataset name (mnist10k, fashion-mnist) or file", DefaultValueFactory = _ => "mnist10k" };
        var arch = new Option<string>("--arch") { Description = "Layer sizes input-hidden…-classes", DefaultValueFactory = _ => "784-700-700-700-10" };
        var mode = new Option<string>("--mode") { Description = "nongen: the classifier plus the dual reconstruction error (eq. 5.1); gen: plus a class-conditional auto-encoder (§5.2)", DefaultValueFactory = _ => "nongen" };
        var aeArch = new Option<string>("--ae-arch") { Description = "gen: one class's auto-encoder input-encoder…-latent-decoder…-input (the seed's 784-700-(100×10)-(700×10)-(784×10) is 784-700-100-700-784)", DefaultValueFactory = _ => "784-700-100-700-784" };
        var latent = new Option<string>("--latent") { Description = "gen: latent family (laplace, gaussian)", DefaultValueFactory = _ => "laplace" };
        var aeLr = new Option<float?>("--ae-lr") { Description = "gen: the auto-encoder branch's Adam learning rate (default: --lr; the seed's Fig. 9 right uses 0.0002)" };
        var noDual = new Option<bool>("--no-dual") { Description = "gen: leave the dual reconstruction error (eq. 5.1) out of the target (the seed's Fig. 9 left adds it)" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (in total, counting resumed ones)", DefaultValueFactory = _ => 20 }.AtLeast(0);
        var batch = new Option<int>("--batch") { Description = "Mini-batch size (the seed's 10,000; at least 2 for the batch normalisation)", DefaultValueFactory = _ => 10_000 }.AtLeast(2);
        var lr = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 0.0015f }.Positive();
        var decay = new Option<float>("--decay-epochs") { Description = "Time constant τ of the learning-rate decay η₀·exp(−epoch/τ) (the seed's \"decay = 500 epochs\"; 0 = none)", DefaultValueFactory = _ => 500f }.Positive(allowZero: true);
        var maxout = new Option<int>("--maxout") { Description = "Units per maxout group", DefaultValueFactory = _ => 2 }.AtLeast(1);
        var inDrop = new Option<float>("--input-dropout") { Description = "Dropout probability on the input", DefaultValueFactory = _ => 0.2f }.Positive(allowZero: true);
        var hidDrop = new Option<float>("--hidden-dropout") { Description = "Dropout probability on the hidden layers", DefaultValueFactory = _ => 0.5f }.Positive(allowZero: true);
        var limit = new Option<int>("--limit") { Description = "Use only N training samples, spread evenly through the split (0 = all)" }.AtLeast(0, "0 = all");
        var output = new Option<string>("--out") { Description = "Model file (safetensors)", DefaultValueFactory = _ => verb + ".safetensors" };
        var report = new Option<string?>("--report") { Description = "Report folder (default: <out>-report)" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint <out>.ckpt (same settings)" };
        var cmd = new Command("train", fixedMode == AceMode.Classifier
            ? "Train the standard classifier; reports the held-out error per epoch."
            : "Train ACE; reports the held-out error and the dual reconstruction error per epoch.")
        {
            data, arch, epochs, batch, lr, decay, maxout, inDrop, hidDrop, limit, output, report, resume,
        };
        if (fixedMode is null) { cmd.Add(mode); cmd.Add(aeArch); cmd.Add(latent); cmd.Add(aeLr); cmd.Add(noDual); }
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var m = fixedMode ?? parse.GetValue(mode) switch
            {
                "nongen" => AceMode.NonGenerative,
                "gen" => AceMode.Generative,
                var other => throw new GibbsException($"--mode '{other}' is not one of: nongen, gen"),
            };
            var options = new AceTrainingOptions
            {
                Mode = m, Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                DecayEpochs = parse.GetValue(decay), Seed = ctx.Seed, AeLearningRate = parse.GetValue(aeLr), Dual = !parse.GetValue(noDual),
            }.Validate();
            bool generative = m == AceMode.Generative;
            var aeArchitecture = generative ? Gibbs.Models.Gm.GmArchitecture.Parse(parse.GetValue(aeArch)!) : null;
            var latentFamily = generative ? Gibbs.Models.Gm.LatentFamilies.Get(parse.GetValue(latent)!) : null;
            string outPath = parse.GetValue(output)!, ckpt = outPath + ".ckpt";
            string reportDir = parse.GetValue(report) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath)) ?? ".", Path.GetFileNameWithoutExtension(outPath) + "-report");
            OutputPaths.CheckFile(outPath, "--out");
            OutputPaths.CheckFile(ckpt, "the checkpoint");
            OutputPaths.CheckDirectory(reportDir, "--report");
            OutputPaths.CheckFilesIn(reportDir, ReportFiles);
            string name = parse.GetValue(data)!;
            bool named = DataCommand.IsNamed(name);
            var train = DataCommand.Load(name, DatasetSplit.Train, parse);
            // Rows spread evenly through the split, not its first N: the named splits are in class order.
            if (parse.GetValue(limit) > 0) train = train.Subset(GmCommand.SpreadRows(train.Count, parse.GetValue(limit)));
            var test = named ? DataCommand.Load(name, DatasetSplit.Test, parse) : null;
            var gen = new Generator(ctx.Seed);
            // The classifier's weights come first from their own stream: the same seed gives the same classifier in every mode.
            var model = new AceClassifier(parse.GetValue(arch)!, gen.Fork(0x696e6974), gen.Fork(0x64726f70), parse.GetValue(maxout),
                parse.GetValue(inDrop), parse.GetValue(hidDrop), ctx.Device);
            if (train.Features != model.Features)
            {
                model.Dispose();
                throw new GibbsException($"{train.Name} has {train.Features} features but --arch {string.Join('-', model.Sizes)} takes {model.Features}: make the first size {train.Features}");
            }
            if (aeArchitecture is not null && aeArchitecture.Input != train.Features)
            {
                model.Dispose();
                throw new GibbsException($"{train.Name} has {train.Features} features but --ae-arch {aeArchitecture} takes {aeArchitecture.Input}: make its first and last sizes {train.Features}");
            }
            using Gibbs.Nn.Module root = generative
                ? new GenerativeAce(model, new ClassAutoEncoder(aeArchitecture!, model.Classes, latentFamily!, gen.Fork(0x61657769), ctx.Device), ctx.Device)
                : model;
            var gace = root as GenerativeAce;
            (float[] X, int[] Labels)? heldOut = test is null ? null : (test.X, test.Labels!);
            using var trainer = gace is null ? new AceTrainer(model, options, train.X, train.Labels!, heldOut) : new AceTrainer(gace, options, train.X, train.Labels!, heldOut);
            var meta = new Dictionary<string, string>
            {
                ["run.dataset"] = train.Name, ["run.mode"] = m.ToString().ToLowerInvariant(), ["run.batch"] = options.BatchSize.ToString(CultureInfo.InvariantCulture),
                ["run.lr"] = options.LearningRate.ToString("R", CultureInfo.InvariantCulture), ["run.decay_epochs"] = options.DecayEpochs.ToString("R", CultureInfo.InvariantCulture),
                ["run.seed"] = ctx.Seed.ToString(CultureInfo.InvariantCulture), ["run.limit"] = parse.GetValue(limit).ToString(CultureInfo.InvariantCulture),
            };
            if (generative)
            {
                meta["run.ae_lr"] = (options.AeLearningRate ?? options.LearningRate).ToString("R", CultureInfo.InvariantCulture);
                meta["run.dual"] = options.Dual ? "yes" : "no";
            }
            if (parse.GetValue(resume))
            {
                if (!File.Exists(ckpt)) throw new GibbsException($"--resume: no checkpoint at {ckpt}; run without --resume to start a new model");
                using var state = TrainingState.Load(ckpt, ctx.Device);
                foreach (var (k, v) in meta)
                    if (state.TryMeta(k) is { } saved && saved != v)
                        throw new GibbsException($"--resume: {ckpt} was trained with {k["run.".Length..].Replace('_', '-')} {saved}, this run asks for {v}; pass the same settings");
                trainer.RestoreState(state);
                ctx.Say($"resuming from {ckpt} at epoch {trainer.Epoch}");
            }
            string what = m switch
            {
                AceMode.Classifier => "the standard classifier",
                AceMode.NonGenerative => "non-generative ACE (classifier + dual reconstruction, eq. 5.1)",
                _ => $"generative ACE (classifier + {aeArchitecture} ×{model.Classes} {latentFamily!.Name} auto-encoder{(options.Dual ? " + dual reconstruction" : "")}, ae lr {options.AeLearningRate ?? options.LearningRate})",
            };
            ctx.Say($"training {what} {string.Join('-', model.Sizes)} on {train.Name} ({train.Count} rows), {options.Epochs} epochs, batch {options.BatchSize}, Adam lr {options.LearningRate}{(options.DecayEpochs > 0 ? $"·exp(−epoch/{options.DecayEpochs})" : "")}, on {model.Device}");
            Progress.Run("training", progress =>
            {
                trainer.Fit(onEpoch: r =>
                {
                    using (var state = trainer.CaptureState()) state.Save(ckpt, meta);
                    ctx.Say(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {r.Epoch,4}  {r.Seconds,6:F2}s  target {r.Loss,8:F4}  −log L_C {r.CrossEntropy,7:F4}{(r.DualReconstruction == 0 ? "" : $"  −log L′ {r.DualReconstruction,9:F3}")}{(double.IsNaN(r.Bound) ? "" : $"  B {r.Bound,8:F3}")}{(double.IsNaN(r.HeldOutError) ? "" : $"  held-out error {100 * r.HeldOutError,6:F2}%")}{(double.IsNaN(r.HeldOutBound) ? "" : $"  held-out Σω·B {r.HeldOutBound,8:F3}")}"));
                }, onBatch: (b, n) => progress(trainer.Epoch + (double)b / n, options.Epochs, $"epoch {trainer.Epoch + 1}/{options.Epochs}"));
                return 0;
            });
            if (gace is not null) AceFile.Save(gace, outPath, meta);
            else AceFile.Save(model, outPath, meta);
            Directory.CreateDirectory(reportDir);
            var history = trainer.History;
            var metrics = new JsonObject
            {
                ["command"] = verb + " train", ["model"] = Path.GetFullPath(outPath), ["checkpoint"] = Path.GetFullPath(ckpt), ["report"] = reportDir,
                ["dataset"] = train.Name, ["samples"] = train.Count, ["arch"] = string.Join('-', model.Sizes), ["mode"] = m.ToString().ToLowerInvariant(),
                ["epochs"] = new JsonArray(history.Select(e => (JsonNode)new JsonObject
                {
                    ["epoch"] = e.Epoch, ["seconds"] = e.Seconds, ["lr"] = e.LearningRate, ["target"] = TrainRun.Num(e.Loss), ["cross_entropy"] = TrainRun.Num(e.CrossEntropy),
                    ["dual_reconstruction"] = TrainRun.Num(e.DualReconstruction), ["heldout_error"] = TrainRun.Num(e.HeldOutError),
                    ["bound"] = TrainRun.Num(e.Bound), ["heldout_mixture_bound"] = TrainRun.Num(e.HeldOutBound),
                }).ToArray()),
            };
            if (history.Count > 0)
            {
                metrics["seconds_per_epoch"] = history.Average(e => e.Seconds);
                Pictures.Curves(Path.Combine(reportDir, "curves.png"), $"{what}: held-out error per epoch", "error (%)",
                    [("held-out error", history.Select(e => 100 * e.HeldOutError).ToArray()), ("training cross-entropy × 100", history.Select(e => 100 * e.CrossEntropy).ToArray())]);
                if (gace is not null)
                    Pictures.Curves(Path.Combine(reportDir, "bound.png"), $"generative ACE: the auto-encoder's bound per epoch", "nats",
                        [("training B at the true class", history.Select(e => e.Bound).ToArray()), ("held-out Σ_c ω_c B_c (seed's mixture bound)", history.Select(e => e.HeldOutBound).ToArray())]);
            }
            if (test is not null)
            {
                var ev = trainer.Evaluate(test.X, test.Labels!);
                metrics["test_rows"] = ev.Rows;
                metrics["test_error"] = ev.Error;
                metrics["test_cross_entropy"] = ev.CrossEntropy;
                ctx.Say(string.Create(CultureInfo.InvariantCulture, $"test ({ev.Rows} rows): error {100 * ev.Error:F2}%, cross-entropy {ev.CrossEntropy:F4}"));
            }
            OutputPaths.WriteJson(Path.Combine(reportDir, "metrics.json"), metrics);
            ctx.Say($"wrote {outPath} (checkpoint {ckpt}); report: {reportDir}");
            ctx.Result(metrics);
            return 0;
        });
        return cmd;
    }

    internal static JsonObject DensityJson(AceDensity d) => new()
    {
        ["rows"] = d.Rows, ["k_per_class"] = d.K, ["seed_mixture_bound"] = d.SeedMixtureBound, ["mixture_generative_error"] = d.MixtureGenerativeError,
        ["true_class_bound"] = d.TrueClassBound, ["uniform_prior_bound"] = d.UniformPriorBound, ["uniform_prior_nll"] = d.UniformPriorNll,
        ["uniform_prior_nll_stderr"] = d.UniformPriorNllStdErr, ["empirical_prior_bound"] = d.EmpiricalPriorBound, ["empirical_prior_nll"] = d.EmpiricalPriorNll,
    };

    private static Command BuildEval(string verb)
    {
        var model = new Option<string>("--model") { Description = $"Model file written by `gibbs {verb} train` (or its .ckpt)", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled dataset name or file", DefaultValueFactory = _ => "mnist10k" };
        var split = DataCommand.SplitOption(DatasetSplit.Test);
        var batch = new Option<int>("--batch") { Description = "Evaluation batch (the seed's batch normalisation uses each batch's statistics; default: the training batch)" }.AtLeast(0, "0 = the training batch");
        var k = new Option<int>("--k") { Description = "Generative ACE: importance samples per row and class for the NLL", DefaultValueFactory = _ => 1000 }.AtLeast(2);
        var rows = new Option<int>("--rows") { Description = "Generative ACE: rows for the density results, spread through the split (0 = all)", DefaultValueFactory = _ => 500 }.AtLeast(0, "0 = all");
        var cmd = new Command("eval", "Classification error and cross-entropy on a labelled split (in batches: the seed's batch normalisation uses the test batch); for generative ACE also the density results: the seed's mixture bound, and the bounds and importance-sampled NLLs of the fixed model with a uniform and an empirical class prior.") { model, data, split, batch };
        if (verb == "ace") { cmd.Add(k); cmd.Add(rows); }
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            string path = parse.GetValue(model)!;
            if (!File.Exists(path)) throw new GibbsException($"--model '{path}' does not exist: pass a file written by `gibbs {verb} train --out …`");
            bool generative = verb == "ace" && AceFile.IsGenerative(path);
            GenerativeAce? gace = null;
            AceClassifier m;
            IReadOnlyDictionary<string, string> meta;
            if (generative)
            {
                (gace, meta) = AceFile.LoadGenerative(path, ctx.Device);
                m = gace.Classifier;
            }
            else (m, meta) = AceFile.Load(path, ctx.Device);
            using Gibbs.Nn.Module _m = (Gibbs.Nn.Module?)gace ?? m;
            var ds = DataCommand.Load(parse.GetValue(data)!, parse.GetValue(split), parse);
            if (ds.Features != m.Features) throw new GibbsException($"{ds.Name} has {ds.Features} features but the model takes {m.Features}: use the data it was trained on");
            int bs = parse.GetValue(batch) > 0 ? parse.GetValue(batch) : int.TryParse(meta.GetValueOrDefault("run.batch"), out int b) ? b : 10_000;
            var evalOptions = new AceTrainingOptions { Mode = AceMode.Classifier, Epochs = 0, BatchSize = Math.Max(2, bs) };
            using var trainer = gace is null ? new AceTrainer(m, evalOptions, ds.X, ds.Labels!) : new AceTrainer(gace, evalOptions, ds.X, ds.Labels!, classPrior: false);
            var ev = trainer.Evaluate(ds.X, ds.Labels!);
            ctx.Say(string.Create(CultureInfo.InvariantCulture, $"{ds.Name} ({ev.Rows} rows, batches of {Math.Min(bs, ev.Rows)}): error {100 * ev.Error:F2}%, cross-entropy {ev.CrossEntropy:F4}"));
            var result = new JsonObject { ["command"] = verb + " eval", ["model"] = Path.GetFullPath(path), ["dataset"] = ds.Name, ["rows"] = ev.Rows, ["batch"] = Math.Min(bs, ev.Rows), ["error"] = ev.Error, ["cross_entropy"] = ev.CrossEntropy };
            if (gace is not null)
            {
                // The density rows: spread through the split; ω from the classifier on those rows as one evaluation set.
                int n = parse.GetValue(rows) is > 0 and var r && r < ds.Count ? r : ds.Count;
                var sub = n < ds.Count ? ds.Subset(GmCommand.SpreadRows(ds.Count, n)) : ds;
                var d = Progress.Run("density", _ => trainer.EvaluateDensity(sub.X, sub.Labels!, parse.GetValue(k), new Generator(ctx.Seed).Fork(0x6e6c6c)));
                ctx.Say(string.Create(CultureInfo.InvariantCulture, $"density on {d.Rows} rows, k = {d.K} per class: seed's mixture bound Σω·B {d.SeedMixtureBound:F2} (generative error {d.MixtureGenerativeError:F2}); B at the true class {d.TrueClassBound:F2}"));
                ctx.Say(string.Create(CultureInfo.InvariantCulture, $"fixed model Σ_c π_c p(x|c): uniform π — bound {d.UniformPriorBound:F2}, IS-NLL {d.UniformPriorNll:F2} ± {d.UniformPriorNllStdErr:F2}; empirical π — bound {d.EmpiricalPriorBound:F2}, IS-NLL {d.EmpiricalPriorNll:F2}"));
                result["density"] = DensityJson(d);
            }
            ctx.Result(result);
            return 0;
        });
        return cmd;
    }
}
