// The scikit-learn-shaped surface of an RBM (BernoulliRBM's fit / partial_fit / transform / score_samples /
// sample): hyper-parameters are an RbmTrainingOptions record validated before any work; data-dependent
// initialisation (visible biases, and W when it is still zero) happens inside Fit, as in scikit-learn.
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

public abstract partial class Rbm
{
    private RbmTrainer? _partial;

    /// <summary>
    /// Trains on <paramref name="data"/> [rows × n_visible] (row-major) for options.Epochs epochs and returns one report
    /// per epoch. A fresh model (W all zero) gets W ~ N(0, 0.01²) and its visible layer initialised from the data.
    /// </summary>
    public IReadOnlyList<RbmEpochReport> Fit(float[] data, RbmTrainingOptions options, float[]? validation = null, Action<RbmEpochReport>? onEpoch = null)
    {
        using var trainer = new RbmTrainer(this, options, data, validation);
        return trainer.Fit(onEpoch);
    }

    /// <summary>
    /// One update on <paramref name="batch"/> [N × n_visible] (scikit-learn's partial_fit). Momentum, persistent chains and
    /// the generator carry over between calls made with the same options; other options start a new trainer.
    /// </summary>
    public void PartialFit(Tensor batch, RbmTrainingOptions options)
    {
        CheckVisible(batch);
        if (_partial is null || _partial.Options != options)
        {
            _partial?.Dispose();
            _partial = new RbmTrainer(this, options);
        }
        _partial.Step(batch);
    }

    /// <summary>Hidden probabilities as features for a downstream model: [N × n_visible] → [N × n_hidden].</summary>
    public Tensor Transform(Tensor v)
    {
        CheckVisible(v);
        using var _ = Tensor.NoGrad();
        return HiddenProbabilities(v);
    }

    /// <summary>
    /// <paramref name="n"/> samples [n × n_visible] after <paramref name="steps"/> block-Gibbs sweeps from noise (uniform bits for
    /// binary visibles, the visible biases plus unit noise for real ones); the last sweep returns E[v|h] when
    /// <paramref name="meanLast"/>.
    /// </summary>
    public Tensor Sample(int n, int steps, Generator gen, bool meanLast = false)
    {
        if (n < 1) throw new GibbsException($"the number of samples must be at least 1, got {n}");
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var start = Kind == VisibleKind.Bernoulli
            ? Tensor.Bernoulli(Tensor.Full([n, NVisible], 0.5f, Device), gen)
            : VisibleMean(Tensor.Zeros([n, NHidden], Device)) + Tensor.Randn([n, NVisible], gen, device: Device);
        return Gibbs(start, steps, gen, meanLast).MoveToOuterScope();
    }

    /// <summary>log p(v) = −F(v) − log Z per row [N], given log Z (from PartitionFunction or AIS).</summary>
    public Tensor LogLikelihood(Tensor v, double logZ)
    {
        CheckVisible(v);
        using var _ = Tensor.NoGrad();
        return -FreeEnergy(v) - (float)logZ;
    }

    public override void Dispose()
    {
        _partial?.Dispose();
        _partial = null;
        base.Dispose();
    }
}
