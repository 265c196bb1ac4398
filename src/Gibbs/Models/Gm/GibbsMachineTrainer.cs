// Training a Gibbs machine: Adam on the mean per-observation objective (GibbsMachine.Objectives.cs) over shuffled
// mini-batches (epoch e's order is a pure function of (seed, e)), with dynamic or fixed binarisation, the learning
// rate of the schedule set at each epoch's start, a divergence guard that restores the whole training state to the
// start of the epoch, and that same state as the checkpoint — so a resumed run is bit-identical to an uninterrupted one.
using System.Globalization;
using Gibbs.Models.Rbm;
using Gibbs.Optim;
using Gibbs.Rng;
using Gibbs.Training;

namespace Gibbs.Models.Gm;

/// <summary>One epoch: training means of the objective and its terms, the held-out bound (NaN without held-out rows).</summary>
public sealed record GmEpochReport(int Epoch, double Seconds, double LearningRate, double Loss, double GenerativeError, double ReconstructionError, double ValidationBound);

public sealed class GibbsMachineTrainer : IDisposable
{
    private readonly float[] _data;
    private readonly int _rows;
    private readonly Tensor? _validation;
    private readonly List<GmEpochReport> _history = [];

    /// <param name="data">Training rows [rows×features], values in [0,1] for Bernoulli reconstruction (binarised per the options).</param>
    /// <param name="validation">Held-out rows for the per-epoch bound (binarised once, as <see cref="PrepareEvaluation"/> does), or null.</param>
    public GibbsMachineTrainer(GibbsMachine model, GmTrainingOptions options, float[] data, float[]? validation = null)
    {
        Model = model;
        Options = options.Validate();
        _data = CheckData(model, options.Binarize, data, "training");
        _rows = data.Length / model.Features;
        if (options.Binarize == BinarizeMode.Threshold && model.Reconstruction == ReconstructionKind.Bernoulli) _data = Data.Binarize.Threshold(_data);
        if (validation is { Length: > 0 })
        {
            var v = PrepareEvaluation(model, options.Binarize, CheckData(model, options.Binarize, validation, "held-out"));
            int rows = Math.Min(v.Length / model.Features, 2000);
            _validation = Tensor.FromArray(v.AsSpan(0, rows * model.Features), [rows, model.Features], model.Device).Untrack();
        }
        Generator = new Generator(options.Seed).Fork(0x676d7472);
        Optimizer = new Adam(model.Parameters(), options.LearningRate);
    }

    public GibbsMachine Model { get; }
    public GmTrainingOptions Options { get; }
    /// <summary>Latent noise and dynamic binarisation (its position is part of the checkpoint).</summary>
    public Generator Generator { get; }
    public Optimizer Optimizer { get; }
    public int Epoch { get; private set; }
    public IReadOnlyList<GmEpochReport> History => _history;

    /// <summary>
    /// Held-out or test rows as every evaluation uses them: with dynamic binarisation, one Bernoulli draw x = [u &lt; p]
    /// with u the float32-rounded splitmix64 stream 0x7E57 of seed 20151017, in row-major order — the same binary test
    /// set for every model and seed, and the one bench/peers/torch_gm.py draws; thresholded for threshold; as given otherwise.
    /// </summary>
    public static float[] PrepareEvaluation(GibbsMachine model, BinarizeMode mode, float[] x)
    {
        if (model.Reconstruction != ReconstructionKind.Bernoulli || mode == BinarizeMode.None) return x;
        if (mode == BinarizeMode.Threshold) return Data.Binarize.Threshold(x);
        return TestBinarization(x);
    }

    /// <summary>The one-off Bernoulli draw of [0, 1] test rows that every dynamic-binarisation evaluation uses (see <see cref="PrepareEvaluation"/>).</summary>
    public static float[] TestBinarization(float[] x)
    {
        var u = Data.SplitMix64.For(TestBinarizationSeed, TestBinarizationStream);
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = (float)u.NextDouble() < x[i] ? 1f : 0f;
        return y;
    }

    /// <summary>The splitmix64 seed and stream of the one-off test binarisation (shared with the PyTorch peer).</summary>
    public const ulong TestBinarizationSeed = 20151017, TestBinarizationStream = 0x7E57;

    private static float[] CheckData(GibbsMachine model, BinarizeMode mode, float[] data, string what)
    {
        int f = model.Features;
        if (data.Length == 0 || data.Length % f != 0)
            throw new GibbsException($"{what} data has {data.Length} values, not a whole number of rows of {f} features (the model's --arch input)");
        bool bernoulli = model.Reconstruction == ReconstructionKind.Bernoulli;
        for (int i = 0; i < data.Length; i++)
        {
            float v = data[i];
            if (!float.IsFinite(v)) throw new GibbsException($"{what} data has a non-finite value ({v}) at row {i / f}, column {i % f}: clean the data first");
            if (bernoulli && mode != BinarizeMode.Threshold && v is < 0f or > 1f)
                throw new GibbsException($"{what} data has value {v} at row {i / f}, column {i % f}: Bernoulli reconstruction needs values in [0, 1]; rescale the data to [0, 1], or use --reconstruction gaussian for real-valued data");
            if (bernoulli && mode == BinarizeMode.None && v != 0f && v != 1f)
                throw new GibbsException($"{what} data has value {v} at row {i / f}, column {i % f}: Bernoulli reconstruction without binarisation needs 0/1 data; pass --binarize dynamic or --binarize threshold");
        }
        return data;
    }

    /// <summary>Trains until <see cref="GmTrainingOptions.Epochs"/> epochs are done (continuing from <see cref="Epoch"/>).</summary>
    public IReadOnlyList<GmEpochReport> Fit(Action<GmEpochReport>? onEpoch = null, Action<int, int>? onBatch = null, CancellationToken cancel = default)
    {
        var reports = new List<GmEpochReport>();
        while (Epoch < Options.Epochs)
        {
            var r = TrainEpoch(onBatch, cancel);
            reports.Add(r);
            onEpoch?.Invoke(r);
        }
        return reports;
    }

    /// <summary>One pass over the data; on a non-finite loss or parameter the whole state is restored to the epoch's start and a GibbsException says so.</summary>
    public GmEpochReport TrainEpoch(Action<int, int>? onBatch = null, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var snapshot = CaptureState();
        int f = Model.Features, bs = Options.BatchSize;
        int batches = (_rows + bs - 1) / bs, b = 0;
        Optimizer.LearningRate = Options.Schedule.Rate(Options.LearningRate, Epoch);
        double loss = 0, dgen = 0, rec = 0;
        foreach (var rows in Data.MiniBatches.Epoch(_rows, bs, Options.Seed, Epoch))
        {
            cancel.ThrowIfCancellationRequested();
            using (var scope = TensorScope.Begin())
            {
                var (l, d, c) = Step(Batch(rows));
                if (!double.IsFinite(l)) Diverged(snapshot, $"the loss is {l} at batch {b + 1}");
                // Every objective estimates −log q(x), which is ≥ 0 for binary data: a negative value is a broken estimate
                // (dvar's correction −σ_ε²/2 is unbounded below: the net can inflate the variance of log w without limit).
                if (l < 0 && Model.Reconstruction == ReconstructionKind.Bernoulli)
                    Diverged(snapshot, string.Create(CultureInfo.InvariantCulture, $"the objective is {l:G3} at batch {b + 1}, below 0, which no estimate of −log q(x) of binary data can be{(Options.Objective == GmObjective.Dvar ? "; dvar's −σ_ε²/2 correction is unbounded below — use --objective iwae" : "")}"));
                loss += l * rows.Length;
                dgen += d * rows.Length;
                rec += c * rows.Length;
            }
            onBatch?.Invoke(++b, batches);
        }
        foreach (var p in Model.Parameters())
            if (!p.AllFinite()) Diverged(snapshot, "a parameter is not finite");
        double validation = _validation is null ? double.NaN : ValidationBound();
        Epoch++;
        var report = new GmEpochReport(Epoch, clock.Elapsed.TotalSeconds, Optimizer.LearningRate, loss / _rows, dgen / _rows, rec / _rows, validation);
        _history.Add(report);
        return report;
    }

    /// <summary>
    /// Training rows as the next update sees them, [rows×features]: under dynamic binarisation a fresh Bernoulli draw of
    /// the stored [0,1] values (from <see cref="Generator"/>), otherwise the stored (thresholded or given) values.
    /// </summary>
    public Tensor Batch(ReadOnlySpan<int> rows)
    {
        int f = Model.Features;
        var x = new float[rows.Length * f];
        for (int r = 0; r < rows.Length; r++)
        {
            if ((uint)rows[r] >= (uint)_rows) throw new GibbsException($"row {rows[r]} is outside the {_rows} training rows");
            Array.Copy(_data, (long)rows[r] * f, x, (long)r * f, f);
        }
        var t = Tensor.FromArray(x, [rows.Length, f], Model.Device);
        if (Options.Binarize != BinarizeMode.Dynamic || Model.Reconstruction != ReconstructionKind.Bernoulli) return t;
        var b = Tensor.Bernoulli(t, Generator);
        t.Dispose();
        return b;
    }

    /// <summary>One update on rows x [N×features] (already binarised); returns the batch means of (objective, D_gen, −log L_rec).</summary>
    public (double Loss, double GenerativeError, double ReconstructionError) Step(Tensor x)
    {
        Optimizer.ZeroGrad();
        var terms = Model.Objective(x, Options.Objective, Options.Draws, Generator);
        var loss = terms.Loss.Mean();
        double value = loss.Item();
        if (!double.IsFinite(value)) return (value, double.NaN, double.NaN);
        loss.Backward();
        Optimizer.Step();
        using var _ = Tensor.NoGrad();
        return (value, terms.GenerativeError.Mean().Item(), terms.ReconstructionError.Mean().Item());
    }

    // The held-out bound with one draw per row from a generator of its own (the training stream is not touched).
    private double ValidationBound()
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var gen = new Generator(Options.Seed).Fork(0x76616c00 + (ulong)Epoch);
        double sum = 0;
        int n = _validation!.Dim(0);
        for (int r = 0; r < n; r += 500)
        {
            using var chunk = TensorScope.Begin();
            int rows = Math.Min(500, n - r);
            sum += Model.Objective(_validation.Slice(0, r, rows), GmObjective.Bound, 1, gen).Loss.Sum().Item();
        }
        return sum / n;
    }

    private void Diverged(TrainingState snapshot, string why)
    {
        RestoreState(snapshot);
        throw new GibbsException($"training diverged in epoch {Epoch + 1} ({why}); the parameters, Adam moments and generator were restored to the start of that epoch: lower --lr");
    }

    // ── state: everything the next update reads ────────────────────────────────────────────────────

    public TrainingState CaptureState()
    {
        var s = new TrainingState();
        s.AddModule(Model);
        s.AddOptimizer(Optimizer);
        s.AddGenerator("train", Generator);
        s.SetMeta("trainer.epoch", Epoch.ToString(CultureInfo.InvariantCulture));
        s.SetMeta("trainer.history", EncodeHistory(_history));
        foreach (var (k, v) in Model.Config()) s.SetMeta("config." + k, v);
        return s;
    }

    public void RestoreState(TrainingState s)
    {
        foreach (var (k, v) in Model.Config())
            if (s.TryMeta("config." + k) is { } saved && saved != v)
                throw new GibbsException($"{s.Path ?? "the saved state"} holds a Gibbs machine with {k} {saved}, this one has {v}; resume with the same settings");
        int epoch = s.MetaInt("trainer.epoch");
        var history = DecodeHistory(s.Meta("trainer.history"), s.Path);
        s.RestoreModule(Model);
        s.RestoreOptimizer(Optimizer);
        s.RestoreGenerator("train", Generator);
        Epoch = epoch;
        _history.Clear();
        _history.AddRange(history);
    }

    private static string EncodeHistory(IEnumerable<GmEpochReport> history) => EpochHistory.Encode(history, r => r.Epoch, r =>
        new[] { r.Seconds, r.LearningRate, r.Loss, r.GenerativeError, r.ReconstructionError, r.ValidationBound }.Select(EpochHistory.Num));

    private static List<GmEpochReport> DecodeHistory(string text, string? path) =>
        EpochHistory.Decode(text, path, 7, (e, n, _) => new GmEpochReport(e, n(1), n(2), n(3), n(4), n(5), n(6)));

    public void Dispose()
    {
        Optimizer.Dispose();
        _validation?.Dispose();
    }
}
