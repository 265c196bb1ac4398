// Training TherML's data-scale presets (001_ada2633fde8fc741.txt §3, issue 12 item 6) with alexalemi/vib_demo's recipe:
// Adam (β₁ = 0.5, as vib_demo passes it) at 1e-4 decayed ×0.97 every 2 epochs (staircase), batch 100, one reparameterised
// draw per example, minimising ρR + δD + γC (DataScaleObjective) on the batch means. A VIB (Vib) or the deterministic
// baseline reads [0, 1] rows and labels; a β-VAE (a Gibbs machine, BetaVae) reads a fresh Bernoulli draw of each batch.
// Shuffled mini-batches (epoch e's order is a pure function of (seed, e)); after each epoch the test split is evaluated
// with a generator of its own (the training stream is untouched): VIB test error with S-sample probability averaging
// (vib_demo: 12), R and C; β-VAE R and D on the one fixed test binarisation the Gibbs machines use. A divergence guard
// restores the epoch's start, and that same state (weights, Adam moments, the noise generator, history) is the checkpoint,
// so resume is bit-identical. Left out of vib_demo's recipe: the Polyak (moving-average 0.999) copy of the weights.
using System.Globalization;
using Gibbs.Models.Gm;
using Gibbs.Nn;
using Gibbs.Optim;
using Gibbs.Rng;
using Gibbs.Training;

namespace Gibbs.Models.Therml;

public sealed record DataScaleTrainingOptions
{
    public DataScaleObjective Objective { get; init; } = DataScaleObjective.Vib(1e-3);
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 100;
    public float LearningRate { get; init; } = 1e-4f;
    /// <summary>Adam's β₁: vib_demo's AdamOptimizer(lr, 0.5).</summary>
    public float AdamBeta1 { get; init; } = 0.5f;
    /// <summary>The rate is multiplied by <see cref="DecayRate"/> every <see cref="DecayEvery"/> epochs (staircase).</summary>
    public float DecayRate { get; init; } = 0.97f;
    public int DecayEvery { get; init; } = 2;
    /// <summary>Draws whose class probabilities are averaged at test time.</summary>
    public int TestSamples { get; init; } = 12;
    public ulong Seed { get; init; }

    public DataScaleTrainingOptions Validate()
    {
        Objective.Validate();
        if (Epochs < 0) throw new GibbsException($"epochs must be ≥ 0, got {Epochs}");
        if (BatchSize < 1) throw new GibbsException($"the batch size must be ≥ 1, got {BatchSize}");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new GibbsException($"the learning rate must be a positive number, got {LearningRate}");
        if (!float.IsFinite(AdamBeta1) || AdamBeta1 is < 0 or >= 1) throw new GibbsException($"Adam's β₁ must be in [0, 1), got {AdamBeta1}");
        if (!float.IsFinite(DecayRate) || DecayRate is <= 0 or > 1) throw new GibbsException($"the decay factor must be in (0, 1], got {DecayRate}");
        if (DecayEvery < 1) throw new GibbsException($"the decay interval must be ≥ 1 epoch, got {DecayEvery}");
        if (TestSamples < 1) throw new GibbsException($"test-time averaging needs at least 1 draw, got {TestSamples}");
        return this;
    }

    public LearningRateSchedule Schedule => new StepDecay(DecayEvery, DecayRate);
}

/// <summary>
/// One epoch: training batch means of the objective, R, D and C (nats; NaN for a term the model lacks), and on the test
/// split R, D, C, the error with <see cref="DataScaleTrainingOptions.TestSamples"/>-draw probability averaging and the
/// error of one draw (NaN without a test split or a classifier).
/// </summary>
public sealed record DataScaleEpochReport(int Epoch, double Seconds, double LearningRate, double Loss, double Rate, double Distortion, double Classification,
    double TestRate, double TestDistortion, double TestClassification, double TestError, double TestErrorOneDraw)
{
    /// <summary>The test rate in bits: the upper bound on I(Z; X) that vib_demo reports.</summary>
    public double TestRateBits => TestRate / Math.Log(2);
}

/// <summary>Test results: rows, R (nats), D (nats), C (nats, mean over draws of −log q(y|z)), the S-draw-averaged error and one draw's error.</summary>
public sealed record DataScaleEvaluation(int Rows, double Rate, double Distortion, double Classification, double Error, double ErrorOneDraw)
{
    public double RateBits => Rate / Math.Log(2);
}

public sealed partial class DataScaleTrainer : IDisposable
{
    private const int EvaluationChunk = 1000;
    private readonly float[] _x;
    private readonly int[]? _labels;
    private readonly int _rows;
    private readonly (float[] X, int[]? Labels)? _test;
    private readonly List<DataScaleEpochReport> _history = [];

    /// <summary>A VIB (or the deterministic baseline): rows x [rows×features] in [0, 1] with labels; test rows likewise, or null.</summary>
    public DataScaleTrainer(Vib model, DataScaleTrainingOptions options, float[] x, int[] labels, (float[] X, int[] Labels)? test = null)
        : this((Module)model, options, x, labels, test is { } t ? (t.X, t.Labels) : null)
    {
        if (!options.Objective.Classifies) throw new GibbsException($"the {options.Objective.Name} preset has no classification term; a VIB trains with γ > 0 (--preset vib or deterministic)");
    }

    /// <summary>A β-VAE on a Gibbs machine: rows x [rows×features] in [0, 1] (binarised afresh each batch); test rows or null.</summary>
    public DataScaleTrainer(GibbsMachine model, DataScaleTrainingOptions options, float[] x, float[]? test = null)
        : this((Module)model, options, x, null, test is null ? null : (test, null))
    {
        BetaVae.Check(model);
        if (!options.Objective.Reconstructs) throw new GibbsException($"the {options.Objective.Name} preset has no distortion term; a β-VAE trains with δ > 0 (--preset beta-vae)");
    }

    private DataScaleTrainer(Module model, DataScaleTrainingOptions options, float[] x, int[]? labels, (float[] X, int[]? Labels)? test)
    {
        Model = model;
        Options = options.Validate();
        _x = Check(x, labels, "training");
        _labels = labels;
        _rows = x.Length / Features;
        if (test is { } t) _test = (Check(t.X, t.Labels, "test"), t.Labels);
        Generator = new Generator(options.Seed).Fork(0x7669626e); // "vibn"
        Optimizer = new Adam(model.Parameters(), options.LearningRate, options.AdamBeta1);
    }

    /// <summary>The model being trained: a <see cref="Vib"/> or a <see cref="GibbsMachine"/> (β-VAE).</summary>
    public Module Model { get; }
    public Vib? Vib => Model as Vib;
    public GibbsMachine? Machine => Model as GibbsMachine;
    public DataScaleTrainingOptions Options { get; }
    /// <summary>The latent noise and the β-VAE's binarisation (its position is part of the checkpoint).</summary>
    public Generator Generator { get; }
    public Optimizer Optimizer { get; }
    public int Epoch { get; private set; }
    public IReadOnlyList<DataScaleEpochReport> History => _history;
    public int Features => Vib?.Features ?? Machine!.Features;

    private float[] Check(float[] x, int[]? labels, string what)
    {
        int f = Features;
        if (x.Length == 0 || x.Length % f != 0)
            throw new GibbsException($"{what} data has {x.Length} values, not a whole number of rows of {f} features (the model's input width, the first --arch size); use data of width {f} or change --arch");
        for (int i = 0; i < x.Length; i++)
            if (!(x[i] >= 0f && x[i] <= 1f))
                throw new GibbsException($"{what} data has value {x[i]} at row {i / f}, column {i % f}: the presets read pixel intensities in [0, 1]; rescale the data");
        if (Vib is { } vib)
        {
            if (labels is null) throw new GibbsException($"{what} data has no labels; a VIB classifies, so it needs a labelled data set (fashion-mnist, mnist10k or a file with labels)");
            if (labels.Length * (long)f != x.Length) throw new GibbsException($"{what} data has {x.Length / f} rows but {labels.Length} labels");
            for (int i = 0; i < labels.Length; i++)
                if ((uint)labels[i] >= (uint)vib.Classes)
                    throw new GibbsException($"{what} label {labels[i]} at row {i} is outside 0…{vib.Classes - 1}, the model's classes");
        }
        return x;
    }

    /// <summary>Trains until <see cref="DataScaleTrainingOptions.Epochs"/> epochs are done (continuing from <see cref="Epoch"/>).</summary>
    public IReadOnlyList<DataScaleEpochReport> Fit(Action<DataScaleEpochReport>? onEpoch = null, Action<int, int>? onBatch = null, CancellationToken cancel = default)
    {
        var reports = new List<DataScaleEpochReport>();
        while (Epoch < Options.Epochs)
        {
            var r = TrainEpoch(onBatch, cancel);
            reports.Add(r);
            onEpoch?.Invoke(r);
        }
        return reports;
    }

    /// <summary>One pass over the training rows, then the test evaluation; a non-finite loss restores the epoch's start and says so.</summary>
    public DataScaleEpochReport TrainEpoch(Action<int, int>? onBatch = null, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var snapshot = CaptureState();
        Model.Train();
        Optimizer.LearningRate = Options.Schedule.Rate(Options.LearningRate, Epoch);
        int bs = Options.BatchSize, batches = (_rows + bs - 1) / bs, b = 0;
        double loss = 0, rate = 0, dist = 0, cls = 0;
        foreach (var rows in Data.MiniBatches.Epoch(_rows, bs, Options.Seed, Epoch))
        {
            cancel.ThrowIfCancellationRequested();
            using (var scope = TensorScope.Begin())
            {
                var (l, r, d, c) = Step(Batch(rows));
                if (!double.IsFinite(l)) Diverged(snapshot, $"the loss is {l} at batch {b + 1}");
                loss += l * rows.Length; rate += r * rows.Length; dist += d * rows.Length; cls += c * rows.Length;
            }
            onBatch?.Invoke(++b, batches);
        }
        foreach (var p in Model.Parameters())
            if (!p.AllFinite()) Diverged(snapshot, "a parameter is not finite");
        var test = _test is { } t ? Evaluate(t.X, t.Labels, new Generator(Options.Seed).Fork(0x74737400UL + (ulong)Epoch)) : null;
        Epoch++;
        var report = new DataScaleEpochReport(Epoch, clock.Elapsed.TotalSeconds, Optimizer.LearningRate, loss / _rows, rate / _rows, dist / _rows, cls / _rows,
            test?.Rate ?? double.NaN, test?.Distortion ?? double.NaN, test?.Classification ?? double.NaN, test?.Error ?? double.NaN, test?.ErrorOneDraw ?? double.NaN);
        _history.Add(report);
        return report;
    }

    /// <summary>A training batch of the given rows: x [N×features] (the β-VAE's binarised by a fresh draw from <see cref="Generator"/>) and, for a VIB, labels [N].</summary>
    public (Tensor X, Tensor? Labels) Batch(ReadOnlySpan<int> rows)
    {
        int f = Features;
        var xs = new float[rows.Length * f];
        for (int r = 0; r < rows.Length; r++)
        {
            if ((uint)rows[r] >= (uint)_rows) throw new GibbsException($"row {rows[r]} is outside the {_rows} training rows");
            Array.Copy(_x, (long)rows[r] * f, xs, (long)r * f, f);
        }
        var x = Tensor.FromArray(xs, [rows.Length, f], Model.Device);
        if (Machine is not null)
        {
            var binary = Tensor.Bernoulli(x, Generator);
            x.Dispose();
            return (binary, null);
        }
        var ys = new float[rows.Length];
        for (int r = 0; r < rows.Length; r++) ys[r] = _labels![rows[r]];
        return (x, Tensor.FromArray(ys, [rows.Length], Model.Device));
    }

    /// <summary>The objective ρR + δD + γC on a batch and its terms (scalars; a term the model lacks is null). Differentiable.</summary>
    public (Tensor Loss, Tensor Rate, Tensor? Distortion, Tensor? Classification) Target((Tensor X, Tensor? Labels) batch)
    {
        var o = Options.Objective;
        if (Vib is { } vib)
        {
            var noise = o.DeterministicEncoder ? null : vib.Noise(1, batch.X.Dim(0), Generator);
            var (rate, cls) = vib.Terms(batch.X, batch.Labels!, noise);
            return (o.Combine(rate, null, cls), rate, null, cls);
        }
        var (r, d) = BetaVae.Terms(Machine!, batch.X, Generator);
        return (o.Combine(r, d, null), r, d, null);
    }

    /// <summary>One Adam update on a batch; returns the batch means of the objective, R, D and C (NaN for an absent term).</summary>
    public (double Loss, double Rate, double Distortion, double Classification) Step((Tensor X, Tensor? Labels) batch)
    {
        Optimizer.ZeroGrad();
        var (loss, rate, dist, cls) = Target(batch);
        double value = loss.Item();
        if (!double.IsFinite(value)) return (value, double.NaN, double.NaN, double.NaN);
        loss.Backward();
        Optimizer.Step();
        return (value, rate.Item(), dist?.Item() ?? double.NaN, cls?.Item() ?? double.NaN);
    }

    private void Diverged(TrainingState snapshot, string why)
    {
        RestoreState(snapshot);
        throw new GibbsException($"training diverged in epoch {Epoch + 1} ({why}); the parameters, Adam moments and generator were restored to the start of that epoch: lower --lr");
    }

    public void Dispose() => Optimizer.Dispose();
}
