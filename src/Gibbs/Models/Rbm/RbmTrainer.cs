// RBM training: mini-batch stochastic gradient descent on the negative log-likelihood through the engine's
// Optimizer (SGD with momentum; L1/L2 decay on W only, as Boltzmann.jl and the EMF code do). Each update
// writes the likelihood gradient of every parameter into its .Grad — the negative phase from CD-k, PCD-k or
// the TAP magnetisations (RbmTrainer.NegativePhase.cs) — and the optimiser steps. Per-epoch monitors, a
// divergence guard that restores the whole training state, and checkpoints of that same state
// (RbmTrainer.State.cs), so a resumed run is bit-identical to an uninterrupted one.
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

public sealed partial class RbmTrainer : IDisposable
{
    private readonly float[]? _data;
    private readonly int _rows;
    private readonly float[]? _validation;
    private readonly List<RbmEpochReport> _history = new();
    private Tensor? _chainV, _chainH;
    private bool _initialized;

    /// <param name="rbm">The model to train (its parameters are updated in place).</param>
    /// <param name="options">Hyper-parameters (validated here, before any work).</param>
    /// <param name="data">Training rows, row-major [rows × n_visible]; null for a trainer fed batch by batch (<see cref="Step"/>).</param>
    /// <param name="validation">Optional held-out rows for the free-energy gap.</param>
    public RbmTrainer(Rbm rbm, RbmTrainingOptions options, float[]? data = null, float[]? validation = null)
    {
        Rbm = rbm;
        Options = options.Validate();
        if (rbm is GaussianBernoulliRbm && options.IsTap)
            throw new GibbsException($"solver {options.Solver} needs binary visible units; use cd or pcd for a Gaussian RBM");
        if (data is not null)
        {
            if (data.Length == 0 || data.Length % rbm.NVisible != 0)
                throw new GibbsException($"training data has {data.Length} values, not a whole number of rows of {rbm.NVisible} features");
            _rows = data.Length / rbm.NVisible;
            _data = PrepareData(rbm, options, data, "training");
        }
        if (validation is not null && validation.Length % rbm.NVisible != 0)
            throw new GibbsException($"validation data has {validation.Length} values, not a whole number of rows of {rbm.NVisible} features");
        _validation = validation is null || validation.Length == 0 ? null : PrepareData(rbm, options, validation, "validation");
        Generator = new Generator(options.Seed);
        Optimizer = new Sgd(rbm.Parameters(), options.LearningRate, options.Momentum, nesterov: false, options.Decay, options.DecayRate, decayed: [rbm.W]);
        if (rbm is GaussianBernoulliRbm { LearnSigma: true } gaussian) Optimizer.SetLearningRateScale(gaussian.LogVariance, options.SigmaLearningRateScale);
    }

    public Rbm Rbm { get; }
    public RbmTrainingOptions Options { get; }
    public Generator Generator { get; }

    /// <summary>The optimiser that applies every update (its momentum buffers are part of the training state).</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Epochs completed so far (resumed runs continue from here).</summary>
    public int Epoch { get; private set; }

    /// <summary>Every epoch's report since the run began (resumed runs include the epochs before the checkpoint).</summary>
    public IReadOnlyList<RbmEpochReport> History => _history;

    /// <summary>Persistent chains (PCD) or magnetisations (TAP, persistent) per row, or null: [chains × n_visible].</summary>
    public Tensor? PersistentVisible => _chainV;

    /// <summary>Persistent chains or magnetisation rows (0 means the batch size).</summary>
    public int Chains => Options.Chains > 0 ? Options.Chains : Math.Min(Options.BatchSize, _rows > 0 ? _rows : Options.BatchSize);

    private static float[] PrepareData(Rbm rbm, RbmTrainingOptions o, float[] data, string what)
    {
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i]))
                throw new GibbsException($"{what} data has a non-finite value ({data[i]}) at row {i / rbm.NVisible}, column {i % rbm.NVisible}: clean the data first");
        if (rbm is not BernoulliRbm) return data;
        switch (o.Binarize)
        {
            case BinarizeMode.Threshold:
                return Data.Binarize.Threshold(data);
            case BinarizeMode.Dynamic:
                for (int i = 0; i < data.Length; i++)
                    if (data[i] is < 0f or > 1f)
                        throw new GibbsException($"{what} data has value {data[i]} at row {i / rbm.NVisible}, column {i % rbm.NVisible}; dynamic binarisation needs values in [0, 1] (they are used as probabilities)");
                return data;
            default:
                for (int i = 0; i < data.Length; i++)
                    if (data[i] != 0f && data[i] != 1f)
                        throw new GibbsException($"{what} data is not binary (value {data[i]} at row {i / rbm.NVisible}, column {i % rbm.NVisible}); a Bernoulli RBM needs 0/1 data: pass --binarize threshold or --binarize dynamic");
                return data;
        }
    }

    /// <summary>Trains up to <see cref="RbmTrainingOptions.Epochs"/> in total, reporting each epoch.</summary>
    public IReadOnlyList<RbmEpochReport> Fit(Action<RbmEpochReport>? onEpoch = null, Action<int, int>? onBatch = null, CancellationToken cancel = default)
    {
        var reports = new List<RbmEpochReport>();
        while (Epoch < Options.Epochs)
        {
            cancel.ThrowIfCancellationRequested();
            var r = TrainEpoch(onBatch, cancel);
            reports.Add(r);
            onEpoch?.Invoke(r);
        }
        return reports;
    }

    /// <summary>
    /// One pass over the shuffled training data. When the run diverges, the whole training state (parameters, momentum,
    /// chains, generator, epoch) is restored to the epoch's start and a GibbsException says so.
    /// </summary>
    public RbmEpochReport TrainEpoch(Action<int, int>? onBatch = null, CancellationToken cancel = default)
    {
        if (_data is null) throw new GibbsException("this trainer was created without data: call Step(batch), or pass the training rows to the constructor");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        EnsureInitialized(null);
        using var snapshot = CaptureState();
        int nv = Rbm.NVisible, bs = Options.BatchSize;
        int batches = (_rows + bs - 1) / bs, b = 0;
        var staging = new float[bs * nv];
        foreach (var rows in Data.MiniBatches.Epoch(_rows, bs, Generator))
        {
            cancel.ThrowIfCancellationRequested();
            int count = rows.Length;
            for (int r = 0; r < count; r++)
                Array.Copy(_data, (long)rows[r] * nv, staging, (long)r * nv, nv);
            using (var scope = TensorScope.Begin())
            {
                var batch = Tensor.FromArray(staging.AsSpan(0, count * nv), [count, nv], Rbm.Device);
                if (Rbm is BernoulliRbm && Options.Binarize == BinarizeMode.Dynamic) batch = Tensor.Bernoulli(batch, Generator);
                Update(batch);
            }
            onBatch?.Invoke(++b, batches);
        }
        Epoch++;
        if (!ParametersHealthy(out var why))
        {
            RestoreState(snapshot);
            throw new GibbsException($"training diverged in epoch {Epoch + 1} ({why}); the parameters, momentum, chains and generator were restored to the start of that epoch: lower --lr or add --decay");
        }
        var report = MeasureEpoch(clock.Elapsed.TotalSeconds);
        _history.Add(report);
        return report;
    }

    /// <summary>
    /// One update on a batch [N × n_visible] (binary for a Bernoulli RBM): the likelihood gradient of every parameter goes
    /// into its .Grad, then the optimiser steps. The path every epoch runs.
    /// </summary>
    public void Step(Tensor batch)
    {
        Rbm.CheckVisible(batch);
        if (!batch.AllFinite()) throw new GibbsException("the batch has NaN or infinite values: clean the data first");
        if (Rbm is BernoulliRbm)
        {
            using var scope = TensorScope.Begin();
            using var _ = Tensor.NoGrad();
            if ((batch * (1f - batch)).Abs().MaxValue() != 0f)
                throw new GibbsException("the batch is not binary; a Bernoulli RBM needs 0/1 data (binarise it first, e.g. Gibbs.Data.Binarize.Threshold)");
        }
        EnsureInitialized(batch);
        Update(batch);
    }

    /// <summary>One update without <see cref="Step"/>'s checks of the batch (which read values back from the device): benchmarks.</summary>
    internal void StepUnchecked(Tensor batch)
    {
        EnsureInitialized(batch);
        Update(batch);
    }

    private void Update(Tensor v)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        ComputeGradients(v);
        Optimizer.Step();
        if (Rbm is GaussianBernoulliRbm { LearnSigma: true } g) g.ClampLogVariance();
    }

    /// <summary>A fresh model (W all zero) gets W ~ N(0, 0.01²); a visible layer still at zero is initialised from the data.</summary>
    private void EnsureInitialized(Tensor? batch)
    {
        if (_initialized) return;
        _initialized = true;
        if (!Options.InitializeFromData) return;
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        if (IsZero(Rbm.W)) Rbm.InitializeWeights(new Generator(Options.Seed).Fork(0x696e6974));
        if (!IsZero(Rbm.VisibleBias) || (Rbm is GaussianBernoulliRbm gb && !IsOne(gb.Scale))) return;
        var rows = _data is not null ? Tensor.FromArray(_data, [_rows, Rbm.NVisible], Rbm.Device) : batch;
        if (rows is null) return;
        if (Rbm is BernoulliRbm && Options.Binarize == BinarizeMode.Dynamic) rows = Tensor.Bernoulli(rows, new Generator(Options.Seed).Fork(0x62696173));
        if (Rbm is GaussianBernoulliRbm g) g.InitializeFromData(rows, Options.Standardize);
        else Rbm.InitializeFromData(rows);
    }

    private static bool IsZero(Tensor t) => t.MaxValue() == 0f && t.MinValue() == 0f;

    private static bool IsOne(Tensor t) => t.MaxValue() == 1f && t.MinValue() == 1f;

    private bool ParametersHealthy(out string why)
    {
        foreach (var p in Rbm.Parameters())
            if (!p.AllFinite()) { why = "non-finite parameters"; return false; }
        float maxW = Math.Max(Rbm.W.MaxValue(), -Rbm.W.MinValue());
        why = maxW > Options.DivergenceThreshold ? $"|W| reached {maxW:G3}" : "";
        return why.Length == 0;
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        _chainV?.Dispose();
        _chainH?.Dispose();
        _lastNegV?.Dispose();
        _lastNegH?.Dispose();
        foreach (var ones in _onesRows.Values) ones.Dispose();
        _onesRows.Clear();
        foreach (var p in Rbm.Parameters()) p.ZeroGrad();
    }
}
