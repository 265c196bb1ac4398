// Gaussian–Bernoulli RBM (real-valued visibles; Cho, Ilin & Raiko 2011 parametrisation) on standardised
// inputs u = (v − μ)/s, with μ, s per-feature buffers set from the data (shift/scale; 0/1 = no standardisation):
//   E(u,h) = Σ_i (u_i − b_i)²/(2σ_i²) − Σ_ij (u_i/σ_i²) W_ij h_j − c·h,
//   P(h_j=1|v) = σ(c_j + Σ_i W_ij u_i/σ_i²),  P(u|h) = N(b + W h, diag σ²),  v = μ + s·u,
//   F(v) = Σ_i (u_i − b_i)²/(2σ_i²) − Σ_j softplus(c_j + Σ_i W_ij u_i/σ_i²) + Σ_i log s_i.
// The Σ log s_i term is the Jacobian of the standardisation, so e^{−F(v)}/Z is a density of the raw v and
// log-likelihoods are comparable with any other model of v. σ² = exp(z) is stored as z ("log_sigma2"), so
// learning it keeps σ > 0; the trainer keeps z in [log σ²_min, log σ²_max] (a unit whose data are constant
// would otherwise drive σ → 0 and the likelihood to +∞). The visible term is 002_d7648fe8bb9cfc6d.txt
// eq. 5's xᵀx/σ² − bᵀx up to constants and a rescaled b.
using Gibbs.Backends;
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

public sealed class GaussianBernoulliRbm : Rbm
{
    /// <summary>Bounds on σ (in standardised units) while σ is learned.</summary>
    public const float MinSigma = 0.1f, MaxSigma = 10f;

    public GaussianBernoulliRbm(int nVisible, int nHidden, float sigma = 1f, bool learnSigma = false, Device? device = null)
        : base(nVisible, nHidden, device)
    {
        if (!(sigma > 0) || !float.IsFinite(sigma)) throw new GibbsException($"sigma must be a positive number, got {sigma}");
        LearnSigma = learnSigma;
        var z = Tensor.Full([nVisible], 2f * MathF.Log(sigma), Device);
        LogVariance = learnSigma ? Parameter("log_sigma2", z) : Buffer("log_sigma2", z);
        Shift = Buffer("shift", Tensor.Zeros([nVisible], Device));
        Scale = Buffer("scale", Tensor.Ones([nVisible], Device));
    }

    public override VisibleKind Kind => VisibleKind.Gaussian;

    /// <summary>Whether training updates σ.</summary>
    public bool LearnSigma { get; }

    /// <summary>z = log σ² per visible unit [n_visible], in standardised units.</summary>
    public Tensor LogVariance { get; }

    /// <summary>μ: the per-feature shift of the input standardisation [n_visible].</summary>
    public Tensor Shift { get; }

    /// <summary>s: the per-feature scale of the input standardisation [n_visible] (positive).</summary>
    public Tensor Scale { get; }

    private Tensor Precision => (-LogVariance).Exp();

    private Tensor Standardize(Tensor v) => (v - Shift) / Scale;

    public override Tensor HiddenInput(Tensor v) => Tensor.MatMul(Standardize(v) * Precision, W) + HiddenBias;

    /// <summary>E[v|h] = μ + s·(b + W h).</summary>
    public override Tensor VisibleMean(Tensor h) => Shift + Scale * (Tensor.MatMul(h, W, transB: true) + VisibleBias);

    public override Tensor SampleVisible(Tensor h, Generator gen)
    {
        var mean = Tensor.MatMul(h, W, transB: true) + VisibleBias;
        var u = mean + Tensor.Randn(mean.Shape, gen, device: Device) * (LogVariance * 0.5f).Exp();
        return Shift + Scale * u;
    }

    public override Tensor FreeEnergy(Tensor v)
    {
        var u = Standardize(v);
        return ((u - VisibleBias).Square() * Precision).Sum(1) * 0.5f
               - (Tensor.MatMul(u * Precision, W) + HiddenBias).Softplus().Sum(1)
               + Scale.Log().Sum();
    }

    public override Tensor Energy(Tensor v, Tensor h)
    {
        var u = Standardize(v);
        return ((u - VisibleBias).Square() * Precision).Sum(1) * 0.5f
               - (Tensor.MatMul(u * Precision, W) * h).Sum(1)
               - Tensor.MatMul(h, HiddenBias.Reshape(NHidden, 1)).Reshape(-1)
               + Scale.Log().Sum();
    }

    /// <summary>Σ_i ½ log(2πσ_i²): the Gaussian integral's constant in log Z.</summary>
    internal double LogGaussianNormalizer() =>
        LogVariance.ToArray().Sum(z => 0.5 * (Math.Log(2 * Math.PI) + z));

    /// <summary>For hidden states h [B × n_hidden]: c·h + Σ_i ((b + W h)_i² − b_i²)/(2σ_i²) (log Z = normaliser + LSE of this).</summary>
    internal Tensor HiddenLogWeight(Tensor h)
    {
        var mean = Tensor.MatMul(h, W, transB: true) + VisibleBias;
        return Tensor.MatMul(h, HiddenBias.Reshape(NHidden, 1)).Reshape(-1)
             + ((mean.Square() - VisibleBias.Square()) * Precision).Sum(1) * 0.5f;
    }

    /// <summary>
    /// Standardises the inputs: μ = the data mean, s = the data standard deviation (floored at 1 % of the largest one, so a
    /// constant feature does not blow up); then b = 0 and, when σ is learned, σ = 1 in standardised units.
    /// </summary>
    public override void InitializeFromData(Tensor v) => InitializeFromData(v, standardize: true);

    /// <summary>Data-dependent initialisation; without <paramref name="standardize"/> only b = data mean (the older behaviour).</summary>
    public void InitializeFromData(Tensor v, bool standardize)
    {
        CheckVisible(v);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var mean = v.Mean(0);
        if (!standardize)
        {
            Shift.FillInPlace(0f);
            Scale.FillInPlace(1f);
            VisibleBias.CopyFrom(mean);
            return;
        }
        var std = (v - mean).Square().Mean(0).Sqrt();
        float floor = Math.Max(1e-6f, 0.1f * std.MaxValue());
        Shift.CopyFrom(mean);
        Scale.CopyFrom(std.Clamp(floor, float.MaxValue));
        VisibleBias.FillInPlace(0f);
        if (LearnSigma) LogVariance.FillInPlace(0f);
    }

    /// <summary>Keeps σ in [<see cref="MinSigma"/>, <see cref="MaxSigma"/>] (called after each learning step).</summary>
    internal void ClampLogVariance()
    {
        using var _ = Tensor.NoGrad();
        LogVariance.ApplyInPlace(UnaryOp.Clamp, 2f * MathF.Log(MinSigma), 2f * MathF.Log(MaxSigma));
    }
}
