// One `gibbs rbm train` run: check the output paths, load the data, build or resume the model (the resumed
// checkpoint must have been written with the same settings, or --force), train with a progress bar and a
// checkpoint of the whole training state per epoch, then write the model and the report folder (with the
// whole history, also after a resume). Also drives `gibbs demo` and the RBM entries of `gibbs repro`.
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.IO;
using Gibbs.Models.Rbm;
using Gibbs.Rng;
using Gibbs.Training;

namespace Gibbs.Cli.Commands;

/// <summary>What to train, from the command line (or a demo / repro entry).</summary>
internal sealed record TrainRequest(string Data, string? DataDir, VisibleKind Kind, int Hidden, RbmTrainingOptions Options,
                                    float Sigma, bool LearnSigma, int Limit, string Output, string? ReportDir, bool Resume, bool Force);

internal sealed class TrainRun(Context ctx, TrainRequest req)
{
    private static readonly string[] ReportFiles = ["metrics.json", "curves.png", "free-energy.png", "filters.png", "samples.png", "samples-long.png", "chains.png"];

    /// <summary>Settings that cannot change on resume, even with --force (they change the model or its data).</summary>
    private static readonly HashSet<string> Fixed = ["dataset", "visible", "hidden", "solver"];

    public string CheckpointPath => req.Output + ".ckpt";
    public string ReportDir => req.ReportDir ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(req.Output)) ?? ".", Path.GetFileNameWithoutExtension(req.Output) + "-report");

    public Rbm? Model { get; private set; }
    public Dataset? Train { get; private set; }
    public Dataset? Validation { get; private set; }
    public RbmTrainer? Trainer { get; private set; }

    /// <summary>Mean free energy of the report's Gibbs chains: at the held-out rows they start from, after 100 and after 1,000 sweeps.</summary>
    public (double Start, double After100, double After1000)? ChainDiagnostic { get; private set; }

    public int Execute(Func<Rbm, Dataset, JsonObject>? extraMetrics = null)
    {
        OutputPaths.CheckFile(req.Output, "--out");
        OutputPaths.CheckFile(CheckpointPath, "the checkpoint");
        OutputPaths.CheckDirectory(ReportDir, "--report");
        OutputPaths.CheckFilesIn(ReportDir, ReportFiles);
        using var checkpoint = req.Resume ? LoadCheckpoint() : null;
        LoadData();
        var x = RbmCommand.Prepare(Train!, req.Kind, req.Options.Binarize);
        var xv = Validation is null ? null : RbmCommand.Prepare(Validation, req.Kind, req.Options.Binarize);
        if (req.Kind == VisibleKind.Bernoulli && req.Options.Binarize == BinarizeMode.None) RbmCommand.RequireBinary(Train!, x, "training");
        if (xv is not null && req.Kind == VisibleKind.Bernoulli && req.Options.Binarize == BinarizeMode.None && !Validation!.IsBinary()) xv = null;

        using var rbm = CreateModel(Train!.Features);
        Model = rbm;
        using var trainer = new RbmTrainer(rbm, req.Options, x, xv);
        Trainer = trainer;
        if (checkpoint is not null)
        {
            trainer.RestoreState(checkpoint);
            if (req.Force) trainer.Optimizer.LearningRate = req.Options.LearningRate;
            ctx.Say($"resuming from {CheckpointPath} at epoch {trainer.Epoch}");
        }
        ctx.Say($"training {Describe(rbm)} on {Train.Name} ({Train.Count} samples) with {SolverText()}, {req.Options.Epochs} epochs, batch {req.Options.BatchSize}, lr {req.Options.LearningRate}, on {rbm.Device} ({Engine.Backend(rbm.Device).Description})");
        var meta = Metadata(rbm);
        bool wroteCheckpoint = false;
        Progress.Run("training", report =>
        {
            try
            {
                trainer.Fit(onEpoch: r =>
                {
                    using (var state = trainer.CaptureState()) state.Save(CheckpointPath, meta);
                    wroteCheckpoint = true;
                    ctx.Say(EpochLine(r));
                    if (r.Warning is not null) Console.Error.WriteLine($"gibbs: warning: epoch {r.Epoch}: {r.Warning}");
                }, onBatch: (b, n) => report(trainer.Epoch + (double)b / n, req.Options.Epochs, $"epoch {trainer.Epoch + 1}/{req.Options.Epochs}"));
            }
            catch (GibbsException e) when (e.Message.Contains("diverged", StringComparison.Ordinal))
            {
                throw new GibbsException((wroteCheckpoint || req.Resume) && File.Exists(CheckpointPath)
                    ? $"{e.Message}; the last good checkpoint (epoch {trainer.Epoch}) is {CheckpointPath} — continue from it with --resume --force and a smaller --lr"
                    : e.Message);
            }
            return 0;
        });
        RbmFile.Save(rbm, req.Output, meta);
        ctx.Say($"wrote {req.Output} (checkpoint {CheckpointPath})");
        var metrics = WriteReport(rbm, trainer, extraMetrics);
        ctx.Result(metrics);
        return 0;
    }

    private void LoadData()
    {
        var isNamed = Datasets.Names.Contains(req.Data.ToLowerInvariant());
        Train = Datasets.Load(req.Data, isNamed ? DatasetSplit.Train : DatasetSplit.All, req.DataDir);
        if (req.Limit > 0) Train = Train.Take(req.Limit);
        Validation = isNamed ? Datasets.Load(req.Data, DatasetSplit.Test, req.DataDir) : null;
    }

    private TrainingState LoadCheckpoint() => CheckpointedFit.Load(CheckpointPath, ctx.Device, req.Options.Epochs, CheckConfig);

    // Every setting that shapes the run must match the checkpoint's, unless --force (and some never may differ).
    private void CheckConfig(TrainingState state)
    {
        foreach (var (key, value) in Config())
        {
            var saved = state.TryMeta("config." + key);
            if (saved is null || saved == value) continue;
            string flag = "--" + key.Replace('_', '-');
            if (Fixed.Contains(key))
                throw new GibbsException($"--resume: {CheckpointPath} was trained with {flag} {saved}, this run asks for {value}; {flag} cannot change on resume — pass {flag} {saved}, or start a new model without --resume");
            if (!req.Force)
                throw new GibbsException($"--resume: {CheckpointPath} was trained with {flag} {saved}, this run asks for {value}; pass {flag} {saved}, or add --force to continue with the new value");
            ctx.Say($"--force: continuing with {flag} {value} (the checkpoint used {saved})");
        }
    }

    private Rbm CreateModel(int features) => req.Kind == VisibleKind.Gaussian
        ? new GaussianBernoulliRbm(features, req.Hidden, req.Sigma, req.LearnSigma, ctx.Device)
        : new BernoulliRbm(features, req.Hidden, ctx.Device);

    private string SolverText() => req.Options.IsTap
        ? $"{req.Options.Solver.ToString().ToLowerInvariant()} (magnetisations from {(req.Options.TapInit == TapInit.Data ? "each mini-batch" : req.Options.PersistAfter > 0 ? $"the data for {req.Options.PersistAfter} epochs, then persistent" : "persistent rows")})"
        : req.Options.Solver.ToString().ToLowerInvariant();

    private static string Describe(Rbm r) => $"{(r.Kind == VisibleKind.Gaussian ? "Gaussian" : "Bernoulli")} RBM {r.NVisible}×{r.NHidden}";

    private static string EpochLine(RbmEpochReport r) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {r.Epoch,3}  {r.Seconds,6:F2}s  {(double.IsNaN(r.PseudoLikelihood) ? "" : $"pseudo-LL {r.PseudoLikelihood,9:F3}  ")}recon {r.ReconstructionError:F4}  F(train) {r.FreeEnergyTrain:F2}  F gap {r.FreeEnergyGap:F3}  |W| {r.WeightNorm:F2}{(double.IsNaN(r.ChainDistinct) ? "" : $"  chains {r.ChainDistinct:F0} distinct, distance {r.ChainDistance:F3}")}");

    /// <summary>The settings that define the run (checked on resume), as strings.</summary>
    private Dictionary<string, string> Config()
    {
        var o = req.Options;
        string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        var c = new Dictionary<string, string>
        {
            ["dataset"] = Train?.Name ?? req.Data.ToLowerInvariant(), ["visible"] = req.Kind.ToString().ToLowerInvariant(),
            ["hidden"] = req.Hidden.ToString(CultureInfo.InvariantCulture), ["solver"] = o.Solver.ToString().ToLowerInvariant(),
            ["k"] = o.K.ToString(CultureInfo.InvariantCulture), ["chains"] = o.Chains.ToString(CultureInfo.InvariantCulture),
            ["batch"] = o.BatchSize.ToString(CultureInfo.InvariantCulture), ["lr"] = F(o.LearningRate), ["momentum"] = F(o.Momentum),
            ["decay"] = o.Decay.ToString().ToLowerInvariant(), ["decay_rate"] = F(o.DecayRate), ["beta"] = F(o.Beta),
            ["tap_iterations"] = o.TapIterations.ToString(CultureInfo.InvariantCulture), ["tap_init"] = o.TapInit.ToString().ToLowerInvariant(),
            ["persist_after"] = o.PersistAfter.ToString(CultureInfo.InvariantCulture), ["binarize"] = o.Binarize.ToString().ToLowerInvariant(),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture), ["limit"] = req.Limit.ToString(CultureInfo.InvariantCulture),
        };
        if (req.Kind == VisibleKind.Gaussian)
        {
            c["sigma"] = F(req.Sigma);
            c["learn_sigma"] = req.LearnSigma ? "true" : "false";
            c["standardize"] = o.Standardize ? "true" : "false";
        }
        return c;
    }

    private Dictionary<string, string> Metadata(Rbm rbm)
    {
        var m = RbmFile.Metadata(rbm);
        foreach (var (k, v) in Config()) m["config." + k] = v;
        return m;
    }

    private JsonObject OptionsJson()
    {
        var o = new JsonObject();
        foreach (var (k, v) in Config()) o[k] = v;
        o["epochs"] = req.Options.Epochs;
        return o;
    }

    private JsonObject WriteReport(Rbm rbm, RbmTrainer trainer, Func<Rbm, Dataset, JsonObject>? extra)
    {
        var history = trainer.History;
        var epochs = new JsonArray();
        foreach (var e in history)
            epochs.Add(new JsonObject
            {
                ["epoch"] = e.Epoch, ["seconds"] = e.Seconds, ["pseudo_likelihood"] = Num(e.PseudoLikelihood), ["reconstruction_error"] = Num(e.ReconstructionError),
                ["free_energy_train"] = Num(e.FreeEnergyTrain), ["free_energy_validation"] = Num(e.FreeEnergyValidation), ["free_energy_gap"] = Num(e.FreeEnergyGap),
                ["weight_norm"] = Num(e.WeightNorm), ["chain_distinct"] = Num(e.ChainDistinct), ["chain_distance"] = Num(e.ChainDistance),
                ["data_distance"] = Num(e.DataDistance), ["warning"] = e.Warning,
            });
        var metrics = new JsonObject
        {
            ["command"] = "rbm train",
            ["model"] = Path.GetFullPath(req.Output),
            ["checkpoint"] = Path.GetFullPath(CheckpointPath),
            ["report"] = ReportDir,
            ["dataset"] = Train!.Name,
            ["samples"] = Train.Count,
            ["visible"] = rbm.NVisible,
            ["hidden"] = rbm.NHidden,
            ["options"] = OptionsJson(),
            ["epochs"] = epochs,
        };
        if (history.Count > 0)
        {
            var last = history[^1];
            metrics["pseudo_likelihood"] = Num(last.PseudoLikelihood);
            metrics["reconstruction_error"] = Num(last.ReconstructionError);
            metrics["seconds_per_epoch"] = history.Average(e => e.Seconds);
        }
        if (extra is not null) foreach (var (key, value) in extra(rbm, Train)) metrics[key] = value?.DeepClone();
        if (WritePictures(rbm, history) is { } chains)
        {
            metrics["sample_chains"] = chains;
            ChainDiagnostic = ((double)chains["free_energy_start"]!, (double)chains["free_energy_100"]!, (double)chains["free_energy_1000"]!);
        }
        OutputPaths.WriteJson(Path.Combine(ReportDir, "metrics.json"), metrics);
        var files = Directory.GetFiles(ReportDir).Select(Path.GetFileName).Where(f => ReportFiles.Contains(f)).Order();
        ctx.Say($"report: {ReportDir} ({string.Join(", ", files)})");
        return metrics;
    }

    internal static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>Writes the pictures; returns the Gibbs-chain diagnostic (free energies after 100 and 1,000 sweeps vs the rows they started from).</summary>
    private JsonObject? WritePictures(Rbm rbm, IReadOnlyList<RbmEpochReport> history)
    {
        if (history.Count > 0)
        {
            Pictures.Curves(Path.Combine(ReportDir, "curves.png"), "pseudo-log-likelihood per epoch", "nats", [("pseudo-log-likelihood", history.Select(e => e.PseudoLikelihood).ToArray())]);
            Pictures.Curves(Path.Combine(ReportDir, "free-energy.png"), "mean free energy (train vs held-out)", "F(v)",
                [("train", history.Select(e => e.FreeEnergyTrain).ToArray()), ("held-out", history.Select(e => e.FreeEnergyValidation).ToArray())]);
            if (history.Any(e => !double.IsNaN(e.ChainDistance)))
                Pictures.Curves(Path.Combine(ReportDir, "chains.png"), "persistent rows: mean pairwise distance per unit", "distance",
                    [("chains", history.Select(e => e.ChainDistance).ToArray()), ("data rows", history.Select(e => e.DataDistance).ToArray())]);
        }
        int? side = RbmCommand.ImageSide(rbm.NVisible);
        if (side is { } s) Pictures.FiltersOf(Path.Combine(ReportDir, "filters.png"), rbm, s);
        // Block-Gibbs chains from held-out rows (training rows when there are none), evenly spaced: data sets are often sorted by class.
        var source = Validation ?? Train!;
        var gen = new Generator(ctx.Seed).Fork(0x73616d70);
        using var scope = TensorScope.Begin();
        int n = Math.Min(100, source.Count);
        var rows = source.Subset(Enumerable.Range(0, n).Select(i => (int)((long)i * source.Count / n)).ToArray());
        var start = Tensor.FromArray(RbmCommand.Prepare(rows, rbm.Kind, req.Options.Binarize == BinarizeMode.None ? BinarizeMode.None : BinarizeMode.Threshold), [n, rows.Features], rbm.Device);
        double fStart = rbm.MeanFreeEnergy(start);
        var v100 = rbm.Gibbs(start, 100, gen);
        double f100 = rbm.MeanFreeEnergy(v100);
        var v1000 = rbm.Gibbs(v100, 900, gen);
        double f1000 = rbm.MeanFreeEnergy(v1000);
        if (side is { } t)
        {
            using var _ = Tensor.NoGrad();
            Pictures.GridClamped(Path.Combine(ReportDir, "samples.png"), rbm.VisibleMean(rbm.HiddenProbabilities(v100)).ToArray(), n, t, t, "E[v|h] after 100 Gibbs sweeps from held-out rows");
            Pictures.GridClamped(Path.Combine(ReportDir, "samples-long.png"), rbm.VisibleMean(rbm.HiddenProbabilities(v1000)).ToArray(), n, t, t, "E[v|h] after 1,000 Gibbs sweeps from held-out rows");
        }
        return new JsonObject { ["free_energy_start"] = fStart, ["free_energy_100"] = f100, ["free_energy_1000"] = f1000 };
    }
}
