// Gaussian latents: prior N(0, 1), posterior N(μ, σ²); D_gen = ½(μ² + σ² − 1) − log σ (the VAE of Kingma & Welling).
using Gibbs.Rng;

[assembly: Gibbs.Models.Gm.LatentFamily(typeof(Gibbs.Models.Gm.GaussianLatent))]

namespace Gibbs.Models.Gm;

public sealed class GaussianLatent : ILatentFamily
{
    private const float HalfLog2Pi = 0.918938533f;

    public string Name => "gaussian";
    public string Description => "prior N(0, 1), posterior N(μ, σ²)";

    public Tensor Noise(ReadOnlySpan<int> shape, Generator gen, Backends.Device? device = null) => Tensor.Randn(shape, gen, 0f, 1f, device);

    public Tensor Sample(Tensor mu, Tensor logSigma, Tensor noise) => mu + logSigma.Exp() * noise;

    /// <summary>μ + σ·ε; one draw per row is one fused launch where the backend has fused kernels.</summary>
    public Tensor Draw(Tensor mu, Tensor logSigma, int draws, Generator gen) =>
        (draws == 1 && Tensor.FusedKernels(mu) is not null ? Tensor.TryReparameterize(mu, logSigma.Exp(), Backends.RandomKind.Normal, gen, [1, mu.Dim(0), mu.Dim(1)]) : null)
        ?? Sample(mu, logSigma, Noise([draws, mu.Dim(0), mu.Dim(1)], gen, mu.Device));

    public Tensor LogPosterior(Tensor z, Tensor mu, Tensor logSigma) =>
        ((z - mu) * (-logSigma).Exp()).Square() * -0.5f - logSigma - HalfLog2Pi;

    public Tensor LogPrior(Tensor z) => z.Square() * -0.5f - HalfLog2Pi;

    public Tensor GenerativeError(Tensor mu, Tensor logSigma) => Distributions.Normal.KlToStandard(mu, logSigma * 2f);

    public double GenerativeError(double mu, double sigma) => Distributions.Normal.KlToStandard(mu, sigma);

    public double LogPosterior(double z, double mu, double sigma) => Distributions.Normal.LogPdf(z, mu, sigma);

    public double LogPrior(double z) => Distributions.Normal.LogPdf(z);

    // log N(z; 0, 1) − log N(z; μ, σ²) is a quadratic in z.
    public double[] RegressionFeatures(double z, double mu) => [z, z * z];
}
