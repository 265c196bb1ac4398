// Laplacian latents (000_c7b547386cdeff84.txt App. B): prior Lap(0, √0.5) (unit variance), posterior Lap(μ, σ√0.5),
// so (μ, σ) → (0, 1) gives zero generative error; D_gen = −log σ + |μ|/√0.5 + σ·exp(−|μ|/(σ√0.5)) − 1.
using Gibbs.Distributions;
using Gibbs.Rng;

[assembly: Gibbs.Models.Gm.LatentFamily(typeof(Gibbs.Models.Gm.LaplaceLatent))]

namespace Gibbs.Models.Gm;

public sealed class LaplaceLatent : ILatentFamily
{
    private const float B0 = (float)Laplace.UnitScale;
    private static readonly float LogTwoB0 = MathF.Log(2f * B0);

    public string Name => "laplace";
    public string Description => "prior Lap(0, √0.5), posterior Lap(μ, σ√0.5)";

    public Tensor Noise(ReadOnlySpan<int> shape, Generator gen, Backends.Device? device = null) => Tensor.RandLaplace(shape, gen, 0f, 1f, device);

    public Tensor Sample(Tensor mu, Tensor logSigma, Tensor noise) => mu + logSigma.Exp() * (noise * B0);

    /// <summary>μ + (σ·c)·ε; one draw per row is one fused launch where the backend has fused kernels (σ·(c·ε) rounded as (σ·c)·ε there).</summary>
    public Tensor Draw(Tensor mu, Tensor logSigma, int draws, Generator gen) =>
        (draws == 1 && Tensor.FusedKernels(mu) is not null
            ? Tensor.TryReparameterize(mu, logSigma.Exp() * B0, Backends.RandomKind.Laplace, gen, [1, mu.Dim(0), mu.Dim(1)]) : null)
        ?? Sample(mu, logSigma, Noise([draws, mu.Dim(0), mu.Dim(1)], gen, mu.Device));

    public Tensor LogPosterior(Tensor z, Tensor mu, Tensor logSigma) =>
        -((z - mu).Abs() * (-logSigma).Exp()) * (1f / B0) - logSigma - LogTwoB0;

    public Tensor LogPrior(Tensor z) => z.Abs() * (-1f / B0) - LogTwoB0;

    public Tensor GenerativeError(Tensor mu, Tensor logSigma)
    {
        var a = mu.Abs() * (1f / B0);
        var sigma = logSigma.Exp();
        return -logSigma + a + sigma * (-(a * (-logSigma).Exp())).Exp() - 1f;
    }

    public double GenerativeError(double mu, double sigma) => Laplace.GenerativeError(mu, sigma);

    public double LogPosterior(double z, double mu, double sigma) => Laplace.LogPdf(z, mu, sigma * Laplace.UnitScale);

    public double LogPrior(double z) => Laplace.LogPdf(z, 0, Laplace.UnitScale);

    // log Lap(z; 0, b₀) − log Lap(z; μ, σb₀) is linear in |z| and |z − μ|.
    public double[] RegressionFeatures(double z, double mu) => [Math.Abs(z), Math.Abs(z - mu)];
}
