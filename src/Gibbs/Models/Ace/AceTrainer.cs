// Training the seed's standard classifier, the non-generative and the generative ACE (000_c7b547386cdeff84.txt §5,
// App. A): Adam on the batch cross-entropy −log L_C, plus for non-generative ACE the dual reconstruction error −log L′
// of eq. 5.1 (the composite cross-entropy 1.4 with −log L_AE replaced by 5.1), and for generative ACE the mean
// class-conditional bound B_c(x) of the auto-encoder branch (eq. 1.4 with −log L_AE replaced by 3.8; optionally + 5.1)
// on a fresh Bernoulli draw of each row (dynamic binarisation), the rows grouped by class so each class's decoder runs
// once. The branches have their own Adam (the seed's two sets of hyper-parameters, App. A). Shuffled mini-batches (epoch
// e's order is a pure function of (seed, e)), the seed's "decay 500 epochs" as η₀·exp(−epoch/500), a divergence guard
// that restores the epoch's start, and that same state (weights, both Adams' moments, the dropout and the latent-noise
// generators, history) as the checkpoint: resume is bit-identical.
using System.Globalization;
using Gibbs.Nn;
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
    /// <summary>Generative ACE (§5.2): −log L_C + B_c(x) of the class-conditional auto-encoder (+ −log L′ with <see cref="AceTrainingOptions.Dual"/>).</summary>
    Generative,
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
    /// <summary>The auto-encoder branch's Adam learning rate in generative mode (null: <see cref="LearningRate"/>; the seed's Fig. 9 right uses 0.0002).</summary>
    public float? AeLearningRate { get; init; }
    /// <summary>Generative mode: add the dual reconstruction error of eq. 5.1 to the target (the seed's Fig. 9 left does).</summary>
    public bool Dual { get; init; } = true;
    /// <summary>Generative mode: latent draws L per row and update for the bound's reconstruction term.</summary>
    public int Draws { get; init; } = 1;
    public ulong Seed { get; init; }

    public AceTrainingOptions Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new GibbsException($"unknown ACE mode {(int)Mode}");
        if (Epochs < 0) throw new GibbsException($"epochs must be ≥ 0, got {Epochs}");
        if (BatchSize < 2) throw new GibbsException($"the seed's batch normalisation de-means over the batch: the batch size must be ≥ 2, got {BatchSize}");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new GibbsException($"learning rate must be a positive number, got {LearningRate}");
        if (!float.IsFinite(DecayEpochs) || DecayEpochs < 0) throw new GibbsException($"the decay time constant must be ≥ 0 epochs (0 = none), got {DecayEpochs}");
        if (AeLearningRate is { } a && (!float.IsFinite(a) || a <= 0)) throw new GibbsException($"the auto-encoder learning rate must be a positive number, got {a}");
        if (Draws < 1) throw new GibbsException($"latent draws per row must be ≥ 1, got {Draws}");
        return this;
    }

    public LearningRateSchedule Schedule => DecayEpochs > 0 ? new ExponentialDecay(DecayEpochs) : LearningRateSchedule.Constant;
}

/// <summary>One epoch: training means of the target, the cross-entropy, the dual reconstruction error (0 when not in the
/// target) and the auto-encoder's bound at the true class (NaN outside generative mode); the held-out classification
/// error, and in generative mode the seed's mixture bound Σ_c ω_c B_c on up to 500 held-out rows (NaN otherwise).</summary>
public sealed record AceEpochReport(int Epoch, double Seconds, double LearningRate, double Loss, double CrossEntropy, double DualReconstruction, double HeldOutError,
    double Bound = double.NaN, double HeldOutBound = double.NaN);

/// <summary>Classification error and mean cross-entropy on labelled rows.</summary>
public sealed record AceEvaluation(int Rows, double Error, double CrossEntropy);

public sealed class AceTrainer : IDisposable
{
    private readonly float[] _x;
    private readonly int[] _labels;
    private readonly int _rows;
    private readonly List<AceEpochReport> _history = [];
    private readonly (float[] X, int[] Labels)? _heldOut;
    private readonly Module _root;

    /// <param name="x">Training rows [rows×features], values in [0, 1] (the dual reconstruction is a binary cross-entropy).</param>
    /// <param name="labels">Class of each row, 0…classes−1.</param>
    /// <param name="heldOut">Labelled held-out rows whose classification error each epoch reports (Figs. 8–9 left), or null.</param>
    public AceTrainer(AceClassifier model, AceTrainingOptions options, float[] x, int[] labels, (float[] X, int[] Labels)? heldOut = null)
        : this(model, null, model, options, x, labels, heldOut)
    {
        if (options.Mode == AceMode.Generative)
            throw new GibbsException("generative ACE trains a GenerativeAce (classifier + class-conditional auto-encoder), not a bare classifier");
    }

    /// <summary>Generative ACE: the classifier branch and the class-conditional auto-encoder, trained together.</summary>
    /// <param name="classPrior">Set the model's empirical class prior π from <paramref name="labels"/> (false: keep the saved one, for evaluation).</param>
    public AceTrainer(GenerativeAce model, AceTrainingOptions options, float[] x, int[] labels, (float[] X, int[] Labels)? heldOut = null, bool classPrior = true)
        : this(model.Classifier, model, model, options with { Mode = AceMode.Generative }, x, labels, heldOut)
    {
        if (classPrior) model.SetClassPrior(labels);
    }

    private AceTrainer(AceClassifier classifier, GenerativeAce? generative, Module root, AceTrainingOptions options, float[] x, int[] labels, (float[] X, int[] Labels)? heldOut)
    {
        Model = classifier;
        Generative = generative;
        _root = root;
        Options = options.Validate();
        (_x, _labels) = Check(classifier, x, labels, "training");
        _rows = labels.Length;
        if (heldOut is { } h) _heldOut = Check(classifier, h.X, h.Labels, "held-out");
        Optimizer = new Adam(classifier.Parameters(), options.LearningRate);
        if (generative is not null)
        {
            AeOptimizer = new Adam(generative.AutoEncoder.Parameters(), options.AeLearningRate ?? options.LearningRate);
            NoiseGenerator = new Rng.Generator(options.Seed).Fork(0x61656e7a);
            if (_heldOut is { } ho)
            {
                int rows = Math.Min(ho.Labels.Length, 500);
                var pick = Enumerable.Range(0, rows).Select(i => (int)((long)i * ho.Labels.Length / rows)).ToArray();
                _heldOutDensity = (Gather(ho.X, pick, classifier.Features), pick.Select(i => ho.Labels[i]).ToArray());
            }
        }
    }

    private readonly (float[] X, int[] Labels)? _heldOutDensity;

    /// <summary>The given rows of x [·×f], in that order, as one contiguous [rows×f] array.</summary>
    private static float[] Gather(float[] x, ReadOnlySpan<int> rows, int f)
    {
        var y = new float[rows.Length * f];
        for (int r = 0; r < rows.Length; r++) Array.Copy(x, (long)rows[r] * f, y, (long)r * f, f);
        return y;
    }

    /// <summary>The classifier (the only model outside generative mode).</summary>
    public AceClassifier Model { get; }
    /// <summary>The whole generative ACE in generative mode, else null.</summary>
    public GenerativeAce? Generative { get; }
    /// <summary>The auto-encoder branch's Adam (generative mode), else null.</summary>
    public Optimizer? AeOptimizer { get; }
    /// <summary>Latent noise and dynamic binarisation of the auto-encoder branch (generative mode; part of the checkpoint), else null.</summary>
    public Rng.Generator? NoiseGenerator { get; }
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

    /// <summary>One mini-batch: the classifier's rows and labels, and in generative mode the auto-encoder's rows — the
    /// same observations grouped by class (counts per class, in class order) and binarised by a fresh Bernoulli draw.</summary>
    public sealed record Batch(Tensor X, Tensor Labels, Tensor? GroupedX = null, int[]? Counts = null);

    /// <summary>The target per batch: −log L_C (+ −log L′ for non-generative ACE, and for generative ACE with
    /// <see cref="AceTrainingOptions.Dual"/>) (+ the mean bound B_c of the auto-encoder in generative mode), and its terms, as scalars.</summary>
    public (Tensor Loss, Tensor CrossEntropy, Tensor? Dual, Tensor? Bound) Target(Batch batch)
    {
        var (logits, h) = Model.Run(batch.X);
        var ce = Tensor.CrossEntropy(logits, batch.Labels);
        var loss = ce;
        Tensor? dual = null, bound = null;
        if (Options.Mode == AceMode.NonGenerative || (Options.Mode == AceMode.Generative && Options.Dual))
            loss = loss + (dual = DualReconstruction.Error(h, batch.X));
        if (Generative is { } g)
        {
            var ae = g.AutoEncoder;
            var noise = ae.Latent.Noise([Options.Draws, batch.GroupedX!.Dim(0), ae.LatentSize], NoiseGenerator!, batch.X.Device);
            loss = loss + (bound = ae.GroupedTerms(batch.GroupedX, batch.Counts, noise).Bound.Mean());
        }
        return (loss, ce, dual, bound);
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
        if (AeOptimizer is not null) AeOptimizer.LearningRate = Options.Schedule.Rate(Options.AeLearningRate ?? Options.LearningRate, Epoch);
        int bs = Options.BatchSize, batches = (_rows + bs - 1) / bs, b = 0;
        double loss = 0, ce = 0, dual = 0, bound = 0;
        foreach (var rows in Data.MiniBatches.Epoch(_rows, bs, Options.Seed, Epoch, dropLast: _rows > bs && _rows % bs == 1))
        {
            cancel.ThrowIfCancellationRequested();
            using (var scope = TensorScope.Begin())
            {
                var (l, c, d, bd) = Step(Rows(_x, _labels, rows));
                if (!double.IsFinite(l))
                {
                    RestoreState(snapshot);
                    throw new GibbsException($"training diverged in epoch {Epoch + 1} (the loss is {l} at batch {b + 1}); the weights, Adam moments and dropout generator were restored to the start of that epoch: lower --lr");
                }
                loss += l * rows.Length; ce += c * rows.Length; dual += d * rows.Length; bound += bd * rows.Length;
            }
            onBatch?.Invoke(++b, batches);
        }
        double heldOut = _heldOut is { } h ? Evaluate(h.X, h.Labels).Error : double.NaN;
        // The held-out mixture bound with its own generator per epoch: evaluation leaves the training streams alone.
        double heldOutBound = _heldOutDensity is { } hd ? EvaluateDensity(hd.X, hd.Labels, 2, new Rng.Generator(Options.Seed).Fork(0x686f6c64UL + (ulong)Epoch)).SeedMixtureBound : double.NaN;
        Epoch++;
        int n = _rows > bs && _rows % bs == 1 ? _rows - 1 : _rows;
        var report = new AceEpochReport(Epoch, clock.Elapsed.TotalSeconds, Optimizer.LearningRate, loss / n, ce / n, dual / n, heldOut,
            Generative is null ? double.NaN : bound / n, heldOutBound);
        _history.Add(report);
        return report;
    }

    /// <summary>The batch of the given rows (in generative mode with the auto-encoder's grouped, binarised copy).</summary>
    public Batch Rows(float[] x, int[] labels, ReadOnlySpan<int> rows)
    {
        int f = Model.Features;
        var xs = Gather(x, rows, f);
        var ys = new float[rows.Length];
        for (int r = 0; r < rows.Length; r++) ys[r] = labels[rows[r]];
        var batch = new Batch(Tensor.FromArray(xs, [rows.Length, f], Model.Device), Tensor.FromArray(ys, [rows.Length], Model.Device));
        if (Generative is null) return batch;
        var (grouped, counts) = GroupByClass(xs, ys, f, Model.Classes);
        using var p = Tensor.FromArray(grouped, [rows.Length, f], Model.Device).Untrack();
        return batch with { GroupedX = Tensor.Bernoulli(p, NoiseGenerator!), Counts = counts };
    }

    /// <summary>Rows [n×f] reordered by class (stable: a class's rows keep their order), with the count of each class.</summary>
    public static (float[] X, int[] Counts) GroupByClass(float[] x, float[] labels, int f, int classes)
    {
        var counts = new int[classes];
        foreach (float y in labels) counts[(int)y]++;
        var next = new int[classes];
        for (int c = 1; c < classes; c++) next[c] = next[c - 1] + counts[c - 1];
        var grouped = new float[x.Length];
        for (int r = 0; r < labels.Length; r++) Array.Copy(x, (long)r * f, grouped, (long)next[(int)labels[r]]++ * f, f);
        return (grouped, counts);
    }

    /// <summary>One Adam update on a batch (both branches' in generative mode); returns the batch's target and its terms.</summary>
    public (double Loss, double CrossEntropy, double Dual, double Bound) Step(Batch batch)
    {
        Optimizer.ZeroGrad();
        AeOptimizer?.ZeroGrad();
        var (loss, ce, dual, bound) = Target(batch);
        double value = loss.Item();
        if (!double.IsFinite(value)) return (value, double.NaN, double.NaN, double.NaN);
        loss.Backward();
        Optimizer.Step();
        AeOptimizer?.Step();
        return (value, ce.Item(), dual?.Item() ?? 0, bound?.Item() ?? 0);
    }

    /// <summary>
    /// Classification error and cross-entropy on labelled rows, in evaluation mode (no dropout), in ⌈rows / batch⌉
    /// batches of at most the training batch size. The seed's batch normalisation uses each test batch's statistics, so
    /// batch j takes every ⌈rows / batch⌉-th row from row j: each batch spreads through the split (the named splits are
    /// in class order, and a batch of one class would have its class signal de-meaned away).
    /// </summary>
    public AceEvaluation Evaluate(float[] x, int[] labels)
    {
        var omega = ClassProbabilities(x, labels);
        int n = labels.Length, nc = Model.Classes;
        long wrong = 0;
        double ce = 0;
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int c = 1; c < nc; c++) if (omega[i * nc + c] > omega[i * nc + best]) best = c;
            if (best != labels[i]) wrong++;
            ce -= Math.Log(Math.Max(omega[i * nc + labels[i]], double.Epsilon));
        }
        return new AceEvaluation(n, (double)wrong / n, ce / n);
    }

    /// <summary>
    /// The classifier's class probabilities ω [rows×classes] (row-major) in evaluation mode, in the strided batches of
    /// <see cref="Evaluate"/>, in double from the log-softmax.
    /// </summary>
    public double[] ClassProbabilities(float[] x, int[] labels)
    {
        Check(Model, x, labels, "test");
        int n = labels.Length, nc = Model.Classes;
        if (n < 2) throw new GibbsException($"evaluation needs at least 2 rows (the seed's batch normalisation de-means over the batch), got {n}");
        var omega = new double[n * nc];
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        Model.Eval();
        try
        {
            int batches = (n + Options.BatchSize - 1) / Options.BatchSize;
            while (batches > 1 && n / batches < 2) batches--;
            for (int j = 0; j < batches; j++)
            {
                using var chunk = TensorScope.Begin();
                var rows = Enumerable.Range(0, (n - j + batches - 1) / batches).Select(i => j + i * batches).ToArray();
                int f = Model.Features;
                var logp = Model.Forward(Tensor.FromArray(Gather(x, rows, f), [rows.Length, f], Model.Device)).LogSoftmax(1).ToArray();
                for (int r = 0; r < rows.Length; r++)
                    for (int c = 0; c < nc; c++) omega[rows[r] * nc + c] = Math.Exp(logp[r * nc + c]);
            }
            return omega;
        }
        finally { Model.Train(); }
    }

    /// <summary>
    /// Generative mode: the density results (<see cref="GenerativeAce.EvaluateDensity"/>) for [0, 1] rows x with labels —
    /// ω from the classifier on x, the auto-encoder on the one-off test binarisation of x (the one Gibbs machines use).
    /// </summary>
    public AceDensity EvaluateDensity(float[] x, int[] labels, int k, Rng.Generator gen)
    {
        if (Generative is not { } g) throw new GibbsException("density evaluation needs a generative ACE (--mode gen)");
        var omega = ClassProbabilities(x, labels).Select(v => (float)v).ToArray();
        using var scope = TensorScope.Begin();
        var xb = Tensor.FromArray(Gm.GibbsMachineTrainer.TestBinarization(x), [labels.Length, Model.Features], Model.Device);
        g.Eval();
        try { return g.EvaluateDensity(xb, omega, labels, k, gen); }
        finally { g.Train(); }
    }

    // ── state: everything the next update reads ────────────────────────────────────────────────────

    public TrainingState CaptureState()
    {
        var s = new TrainingState();
        s.AddModule(_root);
        s.AddOptimizer(Optimizer);
        s.AddGenerator("dropout", Model.DropoutGenerator);
        if (AeOptimizer is not null) s.AddOptimizer(AeOptimizer, "optim_ae.");
        if (NoiseGenerator is not null) s.AddGenerator("noise", NoiseGenerator);
        s.SetMeta("trainer.epoch", Epoch.ToString(CultureInfo.InvariantCulture));
        s.SetMeta("trainer.mode", Options.Mode.ToString().ToLowerInvariant());
        s.SetMeta("trainer.history", EpochHistory.Encode(_history, r => r.Epoch, r => [EpochHistory.Num(r.Seconds), EpochHistory.Num(r.LearningRate),
            EpochHistory.Num(r.Loss), EpochHistory.Num(r.CrossEntropy), EpochHistory.Num(r.DualReconstruction), EpochHistory.Num(r.HeldOutError),
            EpochHistory.Num(r.Bound), EpochHistory.Num(r.HeldOutBound)]));
        foreach (var (k, v) in Config) s.SetMeta("config." + k, v);
        return s;
    }

    public void RestoreState(TrainingState s)
    {
        foreach (var (k, v) in Config)
            if (s.TryMeta("config." + k) is { } saved && saved != v)
                throw new GibbsException($"{s.Path ?? "the saved state"} holds a classifier with {k} {saved}, this one has {v}; resume with the same settings");
        int epoch = s.MetaInt("trainer.epoch");
        // Checkpoints written before generative ACE hold 7 fields per epoch (no bounds).
        string text = s.Meta("trainer.history");
        int fields = text.Split('\n')[0].Split(';').Length == 7 ? 7 : 9;
        var history = EpochHistory.Decode(text, s.Path, fields, (e, n, _) =>
            new AceEpochReport(e, n(1), n(2), n(3), n(4), n(5), n(6), fields == 9 ? n(7) : double.NaN, fields == 9 ? n(8) : double.NaN));
        s.RestoreModule(_root);
        s.RestoreOptimizer(Optimizer);
        s.RestoreGenerator("dropout", Model.DropoutGenerator);
        if (AeOptimizer is not null) s.RestoreOptimizer(AeOptimizer, "optim_ae.");
        if (NoiseGenerator is not null) s.RestoreGenerator("noise", NoiseGenerator);
        Epoch = epoch;
        _history.Clear();
        _history.AddRange(history);
    }

    private Dictionary<string, string> Config => Generative?.Config() ?? Model.Config();

    public void Dispose()
    {
        Optimizer.Dispose();
        AeOptimizer?.Dispose();
    }
}
