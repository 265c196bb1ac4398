// Bernoulli–Bernoulli RBM: E(v,h) = −b_v·v − b_h·h − vᵀWh with v ∈ {0,1}^n_visible, h ∈ {0,1}^n_hidden.
// F(v) = −b_v·v − Σ_j softplus((v·W + b_h)_j) (scikit-learn's _free_energy; 003_b64814f70e5688de.txt).
using Gibbs.Backends;
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

public sealed partial class BernoulliRbm : Rbm
{
    public BernoulliRbm(int nVisible, int nHidden, Device? device = null) : base(nVisible, nHidden, device) { }

    public override VisibleKind Kind => VisibleKind.Bernoulli;

    /// <summary>v·W + b_h.</summary>
    public override Tensor HiddenInput(Tensor v) => Tensor.Linear(v, W, HiddenBias);

    /// <summary>h·Wᵀ + b_v.</summary>
    public Tensor VisibleInput(Tensor h) => Tensor.Linear(h, W, VisibleBias, transW: true);

    // Without a tape, on a backend with fused kernels, σ(x·W + b) is one GEMM and one launch (the bias add and σ fused),
    // and a draw from it one GEMM and one launch too (add, σ and Bernoulli fused; the generator advances as Bernoulli's).

    /// <summary>P(h = 1 | v) = σ(v·W + b_h) [N × n_hidden].</summary>
    public override Tensor HiddenProbabilities(Tensor v) =>
        Tensor.LinearActivationUntaped(v, W, HiddenBias, transW: false, UnaryOp.Sigmoid) ?? base.HiddenProbabilities(v);

    public override Tensor SampleHidden(Tensor v, Generator gen) =>
        Tensor.SampleLinearSigmoidUntaped(v, W, HiddenBias, transW: false, gen) ?? base.SampleHidden(v, gen);

    public override Tensor VisibleMean(Tensor h)
    {
        if (Tensor.LinearActivationUntaped(h, W, VisibleBias, transW: true, UnaryOp.Sigmoid) is { } fused) return fused;
        var x = VisibleInput(h);
        return GradMode.IsEnabled ? x.Sigmoid() : x.ApplyInPlace(UnaryOp.Sigmoid);
    }

    public override Tensor SampleVisible(Tensor h, Generator gen) =>
        Tensor.SampleLinearSigmoidUntaped(h, W, VisibleBias, transW: true, gen) ?? Tensor.Bernoulli(VisibleMean(h), gen);

    public override Tensor FreeEnergy(Tensor v) =>
        -Tensor.MatMul(v, VisibleBias.Reshape(NVisible, 1)).Reshape(-1) - HiddenInput(v).Softplus().Sum(1);

    public override Tensor Energy(Tensor v, Tensor h) =>
        -Tensor.MatMul(v, VisibleBias.Reshape(NVisible, 1)).Reshape(-1)
        - Tensor.MatMul(h, HiddenBias.Reshape(NHidden, 1)).Reshape(-1)
        - (Tensor.MatMul(v, W) * h).Sum(1);

    /// <summary>Sets b_v = log(p/(1−p)) from the per-feature data mean p (clipped to [1e-3, 1−1e-3]); Hinton's guide, §8.1.</summary>
    public override void InitializeFromData(Tensor v)
    {
        CheckVisible(v);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var p = v.Mean(0).Clamp(1e-3f, 1f - 1e-3f);
        VisibleBias.CopyFrom((p / (1f - p)).Log());
    }

    /// <summary>Same as <see cref="InitializeFromData"/>.</summary>
    public void InitializeVisibleBiasFromData(Tensor v) => InitializeFromData(v);

    /// <summary>scikit-learn's score_samples: the pseudo-likelihood of each row [N] (see <see cref="PseudoLikelihood(Tensor, Generator)"/>).</summary>
    public Tensor ScoreSamples(Tensor v, Generator gen) => PseudoLikelihood(v, gen);

    /// <summary>
    /// scikit-learn's pseudo-likelihood (BernoulliRBM.score_samples): flip one random visible unit per row,
    /// n_visible · log σ(F(ṽ) − F(v)). Returns the per-row values [N].
    /// </summary>
    public Tensor PseudoLikelihood(Tensor v, Generator gen)
    {
        CheckVisible(v);
        using var _ = Tensor.NoGrad();
        var idx = new float[v.Dim(0)];
        for (int i = 0; i < idx.Length; i++) idx[i] = gen.NextInt(NVisible);
        return PseudoLikelihood(v, idx);
    }

    /// <summary>Pseudo-likelihood with the flipped unit of each row given (indices [N]).</summary>
    public Tensor PseudoLikelihood(Tensor v, ReadOnlySpan<float> flipIndex)
    {
        CheckVisible(v);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var mask = Tensor.OneHot(Tensor.FromArray(flipIndex, [flipIndex.Length], Device), NVisible);
        var flipped = v + mask * (1f - 2f * v);
        return ((FreeEnergy(flipped) - FreeEnergy(v)).LogSigmoid() * NVisible).MoveToOuterScope();
    }
}
