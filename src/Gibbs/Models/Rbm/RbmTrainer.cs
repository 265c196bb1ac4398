// RBM training: mini-batch stochastic gradient ascent on the log-likelihood, with the negative phase
// from CD-k, PCD-k or the TAP magnetisations; momentum and L1/L2 weight decay; per-epoch monitors;
// a divergence guard; and a state that can be checkpointed and resumed bit-exactly.
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

public sealed partial class RbmTrainer : IDisposable
{
    private readonly float[] _data;
    private readonly int _rows;
    private readonly float[]? _validation;
    private readonly Tensor?[] _velocity;
    private Tensor? _chainV, _chainH;

    /// <param name="rbm">The model to train (its parameters are updated in place).</param>
    /// <param name="options">Hyper-parameters (validated here).</param>
    /// <param name="data">Training rows, row-major [rows × n_visible].</param>
    /// <param name="validation">Optional held-out rows for the free-energy gap.</param>
    public RbmTrainer(Rbm rbm, RbmTrainingOptions options, float[] data, float[]? validation = null)
    {
        Rbm = rbm;
        Options = options.Validate();
        if (data.Length == 0 || data.Length % rbm.NVisible != 0)
            throw new GibbsException($"training data has {data.Length} values, not a whole number of rows of {rbm.NVisible} features");
        if (validation is not null && validation.Length % rbm.NVisible != 0)
            throw new GibbsException($"validation data has {validation.Length} values, not a whole number of rows of {rbm.NVisible} features");
        if (rbm is GaussianBernoulliRbm && options.IsTap)
            throw new GibbsException($"solver {options.Solver} needs binary visible units; use cd or pcd for a Gaussian RBM");
        _rows = data.Length / rbm.NVisible;
        _data = PrepareData(rbm, options, data, "training");
        _validation = validation is null || validation.Length == 0 ? null : PrepareData(rbm, options, validation, "validation");
        Generator = new Generator(options.Seed);
        _velocity = new Tensor?[rbm.Parameters.Count];
    }

    public Rbm Rbm { get; }
    public RbmTrainingOptions Options { get; }
    public Generator Generator { get; }

    /// <summary>Epochs completed so far (resumed runs continue from here).</summary>
    public int Epoch { get; private set; }

    public int Chains => Options.Chains > 0 ? Options.Chains : Math.Min(Options.BatchSize, _rows);

    private static float[] PrepareData(Rbm rbm, RbmTrainingOptions o, float[] data, string what)
    {
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i]))
                throw new GibbsException($"{what} data has a non-finite value ({data[i]}) at row {i / rbm.NVisible}, column {i % rbm.NVisible}: clean the data first");
        if (rbm is not BernoulliRbm) return data;
        switch (o.Binarize)
        {
            case BinarizeMode.Threshold:
                return data.Select(x => x > 0.5f ? 1f : 0f).ToArray();
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

    /// <summary>One pass over the shuffled training data; throws a GibbsException when the run diverges (parameters are then restored to the epoch start).</summary>
    public RbmEpochReport TrainEpoch(Action<int, int>? onBatch = null, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int nv = Rbm.NVisible, bs = Options.BatchSize;
        var snapshot = Rbm.Parameters.Select(p => p.ToArray()).ToArray();
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
            for (int i = 0; i < snapshot.Length; i++) Rbm.Parameters[i].CopyFrom(snapshot[i]);
            Epoch--;
            throw new GibbsException($"training diverged in epoch {Epoch + 1} ({why}); parameters were restored to the start of that epoch: lower --lr or add --decay");
        }
        return MeasureEpoch(clock.Elapsed.TotalSeconds);
    }

    private bool ParametersHealthy(out string why)
    {
        foreach (var p in Rbm.Parameters)
            if (!p.AllFinite()) { why = "non-finite parameters"; return false; }
        float maxW = Math.Max(Rbm.W.MaxValue(), -Rbm.W.MinValue());
        why = maxW > Options.DivergenceThreshold ? $"|W| reached {maxW:G3}" : "";
        return why.Length == 0;
    }

    /// <summary>θ ← θ + Δ, Δ = lr·(∇ log-likelihood − decay) + momentum·Δ_prev.</summary>
    private void Update(Tensor v)
    {
        using var _ = Tensor.NoGrad();
        if (Rbm is BernoulliRbm b && !Options.IsTap) { FusedContrastiveUpdate(b, v); return; }
        var grads = Gradients(v);
        var ps = Rbm.Parameters;
        for (int i = 0; i < ps.Count; i++)
        {
            var g = grads[i];
            if (i == 0 && Options.DecayRate > 0)
                g = Options.Decay switch
                {
                    DecayKind.L2 => g - ps[0] * Options.DecayRate,
                    DecayKind.L1 => g - ps[0].Sign() * Options.DecayRate,
                    _ => g,
                };
            Ascend(i, g);
        }
    }

    /// <summary>θ_i += Δ_i with Δ_i = μΔ_i + η·g (or θ_i += η·g without momentum).</summary>
    private void Ascend(int i, Tensor g)
    {
        var p = Rbm.Parameters[i];
        if (Options.Momentum > 0)
        {
            var vel = _velocity[i] ??= Tensor.ZerosLike(p).Untrack();
            vel.AffineInPlace(Options.Momentum).AddInPlace(g, Options.LearningRate);
            p.AddInPlace(vel);
        }
        else p.AddInPlace(g, Options.LearningRate);
    }

    /// <summary>
    /// CD/PCD for Bernoulli RBMs with the weight update folded into the GEMMs: Δ ← μΔ + (η/n)·vᵀp(h|v) − (η/c)·v_nᵀh_n
    /// (Δ is W itself when μ = 0), so W is read and written once per statistic — no gradient buffer. Same update as
    /// the generic path up to float rounding.
    /// </summary>
    private void FusedContrastiveUpdate(BernoulliRbm rbm, Tensor v)
    {
        int n = v.Dim(0);
        float lr = Options.LearningRate, mu = Options.Momentum, lam = Options.DecayRate;
        var ph = rbm.HiddenProbabilities(v);
        var (vn, hn) = GibbsChain(rbm, v, persistent: Options.Solver == RbmSolver.Pcd);
        int c = vn.Dim(0);
        var w = rbm.W;
        var target = mu > 0 ? (_velocity[0] ??= Tensor.ZerosLike(w).Untrack()) : w;
        float beta = mu > 0 ? mu : 1f;
        if (lam > 0 && Options.Decay == DecayKind.L2)
        {
            if (mu > 0) target.AffineInPlace(mu).AddInPlace(w, -lr * lam);
            else w.AffineInPlace(1f - lr * lam);
            beta = 1f;
        }
        else if (lam > 0 && Options.Decay == DecayKind.L1)
        {
            if (mu > 0) target.AffineInPlace(mu);
            target.AddInPlace(w.Sign(), -lr * lam);
            beta = 1f;
        }
        Tensor.MatMulInto(target, v, ph, transA: true, alpha: lr / n, beta: beta);
        Tensor.MatMulInto(target, vn, hn, transA: true, alpha: -lr / c, beta: 1f);
        if (mu > 0) w.AddInPlace(target);
        Ascend(1, v.Mean(0) - vn.Mean(0));
        Ascend(2, ph.Mean(0) - hn.Mean(0));
    }

    public void Dispose()
    {
        foreach (var t in _velocity) t?.Dispose();
        _chainV?.Dispose();
        _chainH?.Dispose();
    }
}
