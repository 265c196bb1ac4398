// Training the seed's standard classifier and the non-generative ACE (000_c7b547386cdeff84.txt §5.1, App. A): Adam on
// the batch cross-entropy −log L_C, plus for ACE the dual reconstruction error −log L′ of eq. 5.1 (the composite
// cross-entropy 1.4 with −log L_AE replaced by 5.1), over shuffled mini-batches (epoch e's order is a pure function of
// (seed, e)), the seed's "decay 500 epochs" as η₀·exp(−epoch/500), a divergence guard that restores the epoch's start,
// and that same state (weights, Adam moments, dropout generator, history) as the checkpoint: resume is bit-identical.
using System.Globalization;
using Gibbs.Optim;
using Gibbs.Training;

namespace Gibbs.Models.Ace;

/// <summary>Which target the classifier branch minimises.</summary>
public enum AceMode
{
    /// <summary>The standard classifier: −log L_C.</summary>
    Classifier,
    /// <summary>Non-generative ACE (§5.1): −log L_C − log L′, the dual reconstruction error of eq. 5.1.</summary>
    NonGenerative,
}

public sealed record AceTrainingOptions
{
    public AceMode Mode { get; init; } = AceMode.NonGenerative;
    public int Epochs { get; init; } = 10;
    /// <summary>The seed's 10,000 (App. A, Figs. 8–9 left); a split smaller than that is one batch per epoch.</summary>
    public int BatchSize { get; init; } = 10_000;
    public float LearningRate { get; init; } = 0.0015f;
    /// <summary>The seed's "decay = 500 epochs" as the time constant of η₀·exp(−epoch/τ) (0 = constant), as for Gibbs machines.</summary>
    public float DecayEpochs { get; init; } = 500f;
    public ulong Seed { get; init; }

    public AceTrainingOptions Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new GibbsException($"unknown ACE mode {(int)Mode}");
        if (Epochs < 0) throw new GibbsException($"epochs must be ≥ 0, got {Epochs}");
        if (BatchSize < 2) throw new GibbsException($"the seed's batch normalisation de-means over the batch: the batch size must be ≥ 2, got {BatchSize}");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new GibbsException($"learning rate must be a positive number, got {LearningRate}");
        if (!float.IsFinite(DecayEpochs) || DecayEpochs < 0) throw new GibbsException($"the decay time constant must be ≥ 0 epochs (0 = none), got {DecayEpochs}");
        return this;
    }

    public LearningRateSchedule Schedule => DecayEpochs > 0 ? new ExponentialDecay(DecayEpochs) : LearningRateSchedule.Constant;
}

/// <summary>One epoch: training means of the target, the cross-entropy and the dual reconstruction error (0 for the
/// classifier), and the held-out classification error (NaN without held-out rows).</summary>
public sealed record AceEpochReport(int Epoch, double Seconds, double LearningRate, double Loss, double CrossEntropy, double DualReconstruction, double HeldOutError);

/// <summary>Classification error and mean cross-entropy on labelled rows.</summary>
public sealed record AceEvaluation(int Rows, double Error, double CrossEntropy);

public sealed class AceTrainer : IDisposable
{
    private readonly float[] _x;
    private readonly int[] _labels;
    private readonly int _rows;
    private readonly List<AceEpochReport> _history = [];
    private readonly (float[] X, int[] Labels)? _heldOut;

    /// <param name="x">Training rows [rows×features], values in [0, 1] (the dual reconstruction is a binary cross-entropy).</param>
    /// <param name="labels">Class of each row, 0…classes−1.</param>
    /// <param name="heldOut">Labelled held-out rows whose classification error each epoch reports (Figs. 8–9 left), or null.</param>
    public AceTrainer(AceClassifier model, AceTrainingOptions options, float[] x, int[] labels, (float[] X, int[] Labels)? heldOut = null)
    {
        Model = model;
        Options = options.Validate();
        (_x, _labels) = Check(model, x, labels, "training");
        _rows = labels.Length;
        if (heldOut is { } h) _heldOut = Check(model, h.X, h.Labels, "held-out");
        Optimizer = new Adam(model.Parameters(), options.LearningRate);
    }

    public AceClassifier Model { get; }
    public AceTrainingOptions Options { get; }
    public Optimizer Optimizer { get; }
    public int Epoch { get; private set; }
    public IReadOnlyList<AceEpochReport> History => _history;

    internal static (float[] X, int[] Labels) Check(AceClassifier model, float[] x, int[]? labels, string what)
    {
        int f = model.Features;
        if (labels is null) throw new GibbsException($"{what} data has no labels; a classifier needs a labelled data set (mnist10k, fashion-mnist or a file with labels)");
        if (x.Length != (long)labels.Length * f)
            throw new GibbsException($"{what} data has {x.Length} values for {labels.Length} labels; {f} features per row (the --arch input) need {(long)labels.Length * f}");
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)model.Classes)
                throw new GibbsException($"{what} label {labels[i]} at row {i} is outside 0…{model.Classes - 1}, the classes of --arch (its last size); fix the labels or the architecture");
        for (int i = 0; i < x.Length; i++)
            if (!(x[i] >= 0f && x[i] <= 1f))
                throw new GibbsException($"{what} data has value {x[i]} at row {i / f}, column {i % f}: ACE's dual reconstruction is a binary cross-entropy and needs values in [0, 1]; rescale the data");
        return (x, labels);
    }

    /// <summary>The target per batch: −log L_C (+ −log L′ for non-generative ACE), and its two terms, as scalars.</summary>
    public (Tensor Loss, Tensor CrossEntropy, Tensor? Dual) Target(Tensor x, Tensor labels)
    {
        var (logits, h) = Model.Run(x);
        var ce = Tensor.CrossEntropy(logits, labels);
        if (Options.Mode == AceMode.Classifier) return (ce, ce, null);
        var dual = DualReconstruction.Error(h, x);
        return (ce + dual, ce, dual);
    }

    public IReadOnlyList<AceEpochReport> Fit(Action<AceEpochReport>? onEpoch = null, Action<int, int>? onBatch = null, CancellationToken cancel = default)
    {
        var reports = new List<AceEpochReport>();
        while (Epoch < Options.Epochs)
        {
            var r = TrainEpoch(onBatch, cancel);
            reports.Add(r);
            onEpoch?.Invoke(r);
        }
        return reports;
    }

    public AceEpochReport TrainEpoch(Action<int, int>? onBatch = null, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var snapshot = CaptureState();
        Model.Train();
        Optimizer.LearningRate = Options.Schedule.Rate(Options.LearningRate, Epoch);
        int bs = Options.BatchSize, batches = (_rows + bs - 1) / bs, b = 0;
        double loss = 0, ce = 0, dual = 0;
        foreach (var rows in Data.MiniBatches.Epoch(_rows, bs, Options.Seed, Epoch, dropLast: _rows > bs && _rows % bs == 1))
        {
            cancel.ThrowIfCancellationRequested();
            using (var scope = TensorScope.Begin())
            {
                var (l, c, d) = Step(Rows(_x, _labels, rows));
                if (!double.IsFinite(l))
                {
                    RestoreState(snapshot);
                    throw new GibbsException($"training diverged in epoch {Epoch + 1} (the loss is {l} at batch {b + 1}); the weights, Adam moments and dropout generator were restored to the start of that epoch: lower --lr");
                }
                loss += l * rows.Length; ce += c * rows.Length; dual += d * rows.Length;
            }
            onBatch?.Invoke(++b, batches);
        }
        double heldOut = _heldOut is { } h ? Evaluate(h.X, h.Labels).Error : double.NaN;
        Epoch++;
        int n = _rows > bs && _rows % bs == 1 ? _rows - 1 : _rows;
        var report = new AceEpochReport(Epoch, clock.Elapsed.TotalSeconds, Optimizer.LearningRate, loss / n, ce / n, dual / n, heldOut);
        _history.Add(report);
        return report;
    }

    private (Tensor X, Tensor Labels) Rows(float[] x, int[] labels, ReadOnlySpan<int> rows)
    {
        int f = Model.Features;
        var xs = new float[rows.Length * f];
        var ys = new float[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            Array.Copy(x, (long)rows[r] * f, xs, (long)r * f, f);
            ys[r] = labels[rows[r]];
        }
        return (Tensor.FromArray(xs, [rows.Length, f], Model.Device), Tensor.FromArray(ys, [rows.Length], Model.Device));
    }

    /// <summary>One Adam update on a batch; returns the batch's target and its terms.</summary>
    public (double Loss, double CrossEntropy, double Dual) Step((Tensor X, Tensor Labels) batch)
    {
        Optimizer.ZeroGrad();
        var (loss, ce, dual) = Target(batch.X, batch.Labels);
        double value = loss.Item();
        if (!double.IsFinite(value)) return (value, double.NaN, double.NaN);
        loss.Backward();
        Optimizer.Step();
        return (value, ce.Item(), dual?.Item() ?? 0);
    }

    /// <summary>
    /// Classification error and cross-entropy on labelled rows, in evaluation mode (no dropout), in ⌈rows / batch⌉
    /// batches of at most the training batch size. The seed's batch normalisation uses each test batch's statistics, so
    /// batch j takes every ⌈rows / batch⌉-th row from row j: each batch spreads through the split (the named splits are
    /// in class order, and a batch of one class would have its class signal de-meaned away).
    /// </summary>
    public AceEvaluation Evaluate(float[] x, int[] labels)
    {
        Check(Model, x, labels, "test");
        int n = labels.Length;
        if (n < 2) throw new GibbsException($"evaluation needs at least 2 rows (the seed's batch normalisation de-means over the batch), got {n}");
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        Model.Eval();
        try
        {
            int batches = (n + Options.BatchSize - 1) / Options.BatchSize;
            while (batches > 1 && n / batches < 2) batches--;
            long wrong = 0;
            double ce = 0;
            for (int j = 0; j < batches; j++)
            {
                using var chunk = TensorScope.Begin();
                var rows = Enumerable.Range(0, (n - j + batches - 1) / batches).Select(i => j + i * batches).ToArray();
                var (xb, yb) = Rows(x, labels, rows);
                var logits = Model.Forward(xb);
                ce += Tensor.CrossEntropy(logits, yb).Item() * rows.Length;
                wrong += rows.Length - (long)Math.Round(Tensor.Accuracy(logits, yb) * rows.Length);
            }
            return new AceEvaluation(n, (double)wrong / n, ce / n);
        }
        finally { Model.Train(); }
    }

    // ── state: everything the next update reads ────────────────────────────────────────────────────

    public TrainingState CaptureState()
    {
        var s = new TrainingState();
        s.AddModule(Model);
        s.AddOptimizer(Optimizer);
        s.AddGenerator("dropout", Model.DropoutGenerator);
        s.SetMeta("trainer.epoch", Epoch.ToString(CultureInfo.InvariantCulture));
        s.SetMeta("trainer.mode", Options.Mode.ToString().ToLowerInvariant());
        s.SetMeta("trainer.history", EpochHistory.Encode(_history, r => r.Epoch, r => [EpochHistory.Num(r.Seconds), EpochHistory.Num(r.LearningRate),
            EpochHistory.Num(r.Loss), EpochHistory.Num(r.CrossEntropy), EpochHistory.Num(r.DualReconstruction), EpochHistory.Num(r.HeldOutError)]));
        foreach (var (k, v) in Model.Config()) s.SetMeta("config." + k, v);
        return s;
    }

    public void RestoreState(TrainingState s)
    {
        foreach (var (k, v) in Model.Config())
            if (s.TryMeta("config." + k) is { } saved && saved != v)
                throw new GibbsException($"{s.Path ?? "the saved state"} holds a classifier with {k} {saved}, this one has {v}; resume with the same settings");
        int epoch = s.MetaInt("trainer.epoch");
        var history = EpochHistory.Decode(s.Meta("trainer.history"), s.Path, 7, (e, n, _) => new AceEpochReport(e, n(1), n(2), n(3), n(4), n(5), n(6)));
        s.RestoreModule(Model);
        s.RestoreOptimizer(Optimizer);
        s.RestoreGenerator("dropout", Model.DropoutGenerator);
        Epoch = epoch;
        _history.Clear();
        _history.AddRange(history);
    }

    public void Dispose() => Optimizer.Dispose();
}
