// Gaussian–Bernoulli RBM (real-valued visibles; Cho, Ilin & Raiko 2011 parametrisation):
//   E(v,h) = Σ_i (v_i − b_i)²/(2σ_i²) − Σ_ij (v_i/σ_i²) W_ij h_j − c·h,
//   P(h_j=1|v) = σ(c_j + Σ_i W_ij v_i/σ_i²),  P(v|h) = N(b + W h, diag σ²),
//   F(v) = Σ_i (v_i − b_i)²/(2σ_i²) − Σ_j softplus(c_j + Σ_i W_ij v_i/σ_i²).
// The visible term is 002_d7648fe8bb9cfc6d.txt eq. 5's xᵀx/σ² − bᵀx up to constants and a rescaled b.
// σ² = exp(z) is stored as z ("log_sigma2") so learning it keeps σ > 0. Data need not lie in [0,1].
using Gibbs.Backends;
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

public sealed class GaussianBernoulliRbm : Rbm
{
    public GaussianBernoulliRbm(int nVisible, int nHidden, float sigma = 1f, bool learnSigma = false, Device? device = null)
        : base(nVisible, nHidden, device)
    {
        if (!(sigma > 0) || !float.IsFinite(sigma)) throw new GibbsException($"sigma must be a positive number, got {sigma}");
        LearnSigma = learnSigma;
        LogVariance = Tensor.Full([nVisible], 2f * MathF.Log(sigma), Device).Untrack();
    }

    public override VisibleKind Kind => VisibleKind.Gaussian;

    /// <summary>Whether training updates σ.</summary>
    public bool LearnSigma { get; }

    /// <summary>z = log σ² per visible unit [n_visible].</summary>
    public Tensor LogVariance { get; }

    public override IReadOnlyList<Tensor> Parameters => LearnSigma ? [W, VisibleBias, HiddenBias, LogVariance] : [W, VisibleBias, HiddenBias];

    private Tensor Precision => (-LogVariance).Exp();

    public override Tensor HiddenInput(Tensor v) => Tensor.MatMul(v * Precision, W) + HiddenBias;

    public override Tensor VisibleMean(Tensor h) => Tensor.MatMul(h, W, transB: true) + VisibleBias;

    public override Tensor SampleVisible(Tensor h, Generator gen)
    {
        var mean = VisibleMean(h);
        return mean + Tensor.Randn(mean.Shape, gen, device: Device) * (LogVariance * 0.5f).Exp();
    }

    public override Tensor FreeEnergy(Tensor v) =>
        ((v - VisibleBias).Square() * Precision).Sum(1) * 0.5f - HiddenInput(v).Softplus().Sum(1);

    public override Tensor Energy(Tensor v, Tensor h) =>
        ((v - VisibleBias).Square() * Precision).Sum(1) * 0.5f
        - (Tensor.MatMul(v * Precision, W) * h).Sum(1)
        - Tensor.MatMul(h, HiddenBias.Reshape(NHidden, 1)).Reshape(-1);

    /// <summary>Σ_i ½ log(2πσ_i²): the Gaussian integral's constant in log Z.</summary>
    internal double LogGaussianNormalizer() =>
        LogVariance.ToArray().Sum(z => 0.5 * (Math.Log(2 * Math.PI) + z));

    /// <summary>For hidden states h [B × n_hidden]: c·h + Σ_i ((b + W h)_i² − b_i²)/(2σ_i²) (log Z = normaliser + LSE of this).</summary>
    internal Tensor HiddenLogWeight(Tensor h)
    {
        var mean = VisibleMean(h);
        return Tensor.MatMul(h, HiddenBias.Reshape(NHidden, 1)).Reshape(-1)
             + ((mean.Square() - VisibleBias.Square()) * Precision).Sum(1) * 0.5f;
    }

    /// <summary>Sets b_v to the data mean and, when σ is learned, σ² to the data variance (floored at 1e-4).</summary>
    public void InitializeFromData(Tensor v, bool setSigma)
    {
        CheckVisible(v);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var mean = v.Mean(0);
        VisibleBias.CopyFrom(mean);
        if (setSigma) LogVariance.CopyFrom((v - mean).Square().Mean(0).Clamp(1e-4f, float.MaxValue).Log());
    }

    public override void Dispose()
    {
        LogVariance.Dispose();
        base.Dispose();
    }
}
