// One `gibbs rbm train` run: load data, build or resume the model, train with a progress bar and a
// checkpoint per epoch, then write the model and the report folder. Also drives `gibbs demo`.
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.IO;
using Gibbs.Models.Rbm;
using Gibbs.Rng;

namespace Gibbs.Cli.Commands;

internal sealed class TrainRun(Context ctx, string dataName, string? dataDir, VisibleKind kind, int nHidden, RbmTrainingOptions options,
                               float sigma, bool learnSigma, int limit, string output, string? reportDir, bool resume)
{
    public string CheckpointPath => output + ".ckpt";
    public string ReportDir => reportDir ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output)) ?? ".", Path.GetFileNameWithoutExtension(output) + "-report");

    public Rbm? Model { get; private set; }
    public Dataset? Train { get; private set; }
    public Dataset? Validation { get; private set; }
    public IReadOnlyList<RbmEpochReport> Epochs => _epochs;

    private readonly List<RbmEpochReport> _epochs = new();

    public int Execute(Func<Rbm, Dataset, JsonObject>? extraMetrics = null)
    {
        var outDir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (outDir is not null) Directory.CreateDirectory(outDir);
        var isNamed = Datasets.Names.Contains(dataName.ToLowerInvariant());
        Train = Datasets.Load(dataName, isNamed ? DatasetSplit.Train : DatasetSplit.All, dataDir);
        if (limit > 0) Train = Train.Take(limit);
        Validation = isNamed ? Datasets.Load(dataName, DatasetSplit.Test, dataDir) : null;
        var x = RbmCommand.Prepare(Train, kind, options.Binarize, "training");
        var xv = Validation is null ? null : RbmCommand.Prepare(Validation, kind, options.Binarize, "validation");
        if (kind == VisibleKind.Bernoulli && options.Binarize == BinarizeMode.None) RbmCommand.RequireBinary(Train, x, "training");
        if (xv is not null && kind == VisibleKind.Bernoulli && options.Binarize == BinarizeMode.None && !Validation!.IsBinary()) xv = null;

        using var checkpoint = resume ? LoadCheckpoint() : null;
        var rbm = checkpoint is not null ? RbmFile.FromFile(checkpoint, ctx.Device) : NewModel(x);
        Model = rbm;
        if (rbm.NVisible != Train.Features)
            throw new GibbsException($"{CheckpointPath} has {rbm.NVisible} visible units but {Train.Name} has {Train.Features} features");
        using var trainer = new RbmTrainer(rbm, options, x, xv);
        if (checkpoint is not null)
        {
            trainer.Restore(checkpoint);
            ctx.Say($"resuming from {CheckpointPath} at epoch {trainer.Epoch}");
        }
        ctx.Say($"training {Describe(rbm)} on {Train.Name} ({Train.Count} samples) with {options.Solver.ToString().ToLowerInvariant()}, {options.Epochs} epochs, batch {options.BatchSize}, lr {options.LearningRate}, on {rbm.Device} ({Engine.Backend(rbm.Device).Description})");
        Progress.Run("training", report =>
        {
            try
            {
                trainer.Fit(onEpoch: r =>
                {
                    _epochs.Add(r);
                    RbmFile.Save(rbm, CheckpointPath, Metadata(trainer), trainer.StateTensors());
                    ctx.Say(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {r.Epoch,3}  {r.Seconds,6:F2}s  {(double.IsNaN(r.PseudoLikelihood) ? "" : $"pseudo-LL {r.PseudoLikelihood,9:F3}  ")}recon {r.ReconstructionError:F4}  F(train) {r.FreeEnergyTrain:F2}  F gap {r.FreeEnergyGap:F3}  |W| {r.WeightNorm:F2}"));
                }, onBatch: (b, n) => report(trainer.Epoch + (double)b / n, options.Epochs, $"epoch {trainer.Epoch + 1}/{options.Epochs}"));
            }
            catch (GibbsException e) when (e.Message.Contains("diverged", StringComparison.Ordinal))
            {
                throw new GibbsException((_epochs.Count > 0 || resume) && File.Exists(CheckpointPath)
                    ? $"{e.Message}; the last good checkpoint (epoch {trainer.Epoch}) is {CheckpointPath} — continue from it with --resume and a smaller --lr"
                    : e.Message);
            }
            return 0;
        });
        RbmFile.Save(rbm, output, Metadata(trainer));
        ctx.Say($"wrote {output} (checkpoint {CheckpointPath})");
        var metrics = WriteReport(rbm, trainer, extraMetrics);
        ctx.Result(metrics);
        return 0;
    }

    private SafeTensorsFile LoadCheckpoint()
    {
        if (!File.Exists(CheckpointPath)) throw new GibbsException($"--resume: no checkpoint at {CheckpointPath}; run without --resume to start a new model");
        return SafeTensors.Load(CheckpointPath, ctx.Device);
    }

    private Rbm NewModel(float[] x)
    {
        var gen = new Generator(ctx.Seed).Fork(0x696e6974);
        using var scope = TensorScope.Begin();
        var all = Tensor.FromArray(x, [x.Length / Train!.Features, Train.Features], ctx.Device);
        if (kind == VisibleKind.Gaussian)
        {
            var g = new GaussianBernoulliRbm(Train.Features, nHidden, sigma, learnSigma, ctx.Device);
            g.InitializeWeights(gen);
            g.InitializeFromData(all, setSigma: learnSigma);
            return g;
        }
        var b = new BernoulliRbm(Train.Features, nHidden, ctx.Device);
        b.InitializeWeights(gen);
        b.InitializeVisibleBiasFromData(all);
        return b;
    }

    private static string Describe(Rbm r) => $"{(r.Kind == VisibleKind.Gaussian ? "Gaussian" : "Bernoulli")} RBM {r.NVisible}×{r.NHidden}";

    private Dictionary<string, string> Metadata(RbmTrainer t)
    {
        var m = t.StateMetadata();
        m["train.dataset"] = Train!.Name;
        m["train.options"] = OptionsJson().ToJsonString();
        return m;
    }

    private JsonObject OptionsJson() => new()
    {
        ["solver"] = options.Solver.ToString().ToLowerInvariant(),
        ["k"] = options.K,
        ["chains"] = options.Chains,
        ["epochs"] = options.Epochs,
        ["batch"] = options.BatchSize,
        ["lr"] = options.LearningRate,
        ["momentum"] = options.Momentum,
        ["decay"] = options.Decay.ToString().ToLowerInvariant(),
        ["decay_rate"] = options.DecayRate,
        ["beta"] = options.Beta,
        ["tap_iterations"] = options.TapIterations,
        ["binarize"] = options.Binarize.ToString().ToLowerInvariant(),
        ["seed"] = options.Seed,
        ["hidden"] = nHidden,
        ["visible"] = kind.ToString().ToLowerInvariant(),
    };

    private JsonObject WriteReport(Rbm rbm, RbmTrainer trainer, Func<Rbm, Dataset, JsonObject>? extra)
    {
        Directory.CreateDirectory(ReportDir);
        var epochs = new JsonArray();
        foreach (var e in _epochs)
            epochs.Add(new JsonObject
            {
                ["epoch"] = e.Epoch, ["seconds"] = e.Seconds, ["pseudo_likelihood"] = Num(e.PseudoLikelihood), ["reconstruction_error"] = Num(e.ReconstructionError),
                ["free_energy_train"] = Num(e.FreeEnergyTrain), ["free_energy_validation"] = Num(e.FreeEnergyValidation), ["free_energy_gap"] = Num(e.FreeEnergyGap), ["weight_norm"] = Num(e.WeightNorm),
            });
        var metrics = new JsonObject
        {
            ["command"] = "rbm train",
            ["model"] = Path.GetFullPath(output),
            ["report"] = ReportDir,
            ["dataset"] = Train!.Name,
            ["samples"] = Train.Count,
            ["visible"] = rbm.NVisible,
            ["hidden"] = rbm.NHidden,
            ["options"] = OptionsJson(),
            ["epochs"] = epochs,
        };
        if (_epochs.Count > 0)
        {
            var last = _epochs[^1];
            metrics["pseudo_likelihood"] = Num(last.PseudoLikelihood);
            metrics["reconstruction_error"] = Num(last.ReconstructionError);
            metrics["seconds_per_epoch"] = _epochs.Average(e => e.Seconds);
        }
        if (extra is not null) foreach (var (key, value) in extra(rbm, Train)) metrics[key] = value?.DeepClone();
        WritePictures(rbm);
        var json = metrics.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(Path.Combine(ReportDir, "metrics.json"), s => s.Write(System.Text.Encoding.UTF8.GetBytes(json)));
        var files = Directory.GetFiles(ReportDir).Select(Path.GetFileName).Order();
        ctx.Say($"report: {ReportDir} ({string.Join(", ", files)})");
        return metrics;
    }

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private void WritePictures(Rbm rbm)
    {
        if (_epochs.Count > 0)
        {
            var curves = new List<(string, double[])> { ("pseudo-log-likelihood", _epochs.Select(e => e.PseudoLikelihood).ToArray()) };
            Pictures.Curves(Path.Combine(ReportDir, "curves.png"), "pseudo-log-likelihood per epoch", "nats", curves);
            Pictures.Curves(Path.Combine(ReportDir, "free-energy.png"), "mean free energy (train vs held-out)", "F(v)",
                [("train", _epochs.Select(e => e.FreeEnergyTrain).ToArray()), ("held-out", _epochs.Select(e => e.FreeEnergyValidation).ToArray())]);
        }
        if (RbmCommand.ImageSide(rbm.NVisible) is not { } side) return;
        int nf = Math.Min(100, rbm.NHidden);
        var w = rbm.W.ToArray();
        var tiles = new float[nf * rbm.NVisible];
        for (int j = 0; j < nf; j++)
            for (int i = 0; i < rbm.NVisible; i++) tiles[j * rbm.NVisible + i] = w[i * rbm.NHidden + j];
        Pictures.Filters(Path.Combine(ReportDir, "filters.png"), tiles, nf, side, side, $"first {nf} filters (columns of W)");
        var gen = new Generator(ctx.Seed).Fork(0x73616d70);
        using var scope = TensorScope.Begin();
        int n = Math.Min(100, Train!.Count);
        // Evenly spaced rows: data sets are often sorted by class.
        var rows = Train.Subset(Enumerable.Range(0, n).Select(i => (int)((long)i * Train.Count / n)).ToArray());
        var start = Tensor.FromArray(rows.X, [n, Train.Features], rbm.Device);
        if (rbm is BernoulliRbm) start = Tensor.Bernoulli(start, gen);
        var samples = rbm.Gibbs(start, 1000, gen, meanLast: true).ToArray();
        Pictures.Grid(Path.Combine(ReportDir, "samples.png"), samples, n, side, side, "samples after 1,000 Gibbs sweeps from data");
    }
}
