// The Laplace distribution p(z; μ, b) = e^{−|z−μ|/b}/(2b), and the Laplacian generative error of
// 000_c7b547386cdeff84.txt App. B: with prior Lap(0, √0.5) (unit variance) and posterior Lap(μ, σ√0.5),
//   KL = −ln σ + |μ|/√0.5 + σ·exp(−|μ|/(σ√0.5)) − 1   (Gil et al. 2013, table 3).
namespace Gibbs.Distributions;

public static class Laplace
{
    /// <summary>√0.5: the scale giving unit variance (variance = 2b²).</summary>
    public const double UnitScale = 0.70710678118654752440;

    public static double LogPdf(double x, double location = 0, double scale = 1) =>
        -Math.Abs(x - location) / scale - Math.Log(2 * scale);

    public static double Cdf(double x, double location = 0, double scale = 1) =>
        x < location ? 0.5 * Math.Exp((x - location) / scale) : 1 - 0.5 * Math.Exp(-(x - location) / scale);

    public static double Quantile(double p, double location = 0, double scale = 1) =>
        p < 0.5 ? location + scale * Math.Log(2 * p) : location - scale * Math.Log(2 - 2 * p);

    /// <summary>KL(Lap(μ, σ√0.5) ‖ Lap(0, √0.5)) in nats (seed 000, App. B).</summary>
    public static double GenerativeError(double mean, double sigma) =>
        -Math.Log(sigma) + Math.Abs(mean) / UnitScale + sigma * Math.Exp(-Math.Abs(mean) / (sigma * UnitScale)) - 1;

    /// <summary>Elementwise generative error for tensors μ and σ &gt; 0 (differentiable; |μ| has a kink at 0).</summary>
    public static Tensor GenerativeError(Tensor mean, Tensor sigma)
    {
        var a = mean.Abs() * (float)(1 / UnitScale);
        return -sigma.Log() + a + sigma * (-(a / sigma)).Exp() - 1f;
    }
}
