// The normal distribution: densities, CDF and quantile in double (Q-Q plots, tests), and the closed-form
// KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − ln σ²) as a differentiable tensor expression (the Gaussian
// generative error of 000_c7b547386cdeff84.txt §3.6 and the VAE rate term of 001_ada2633fde8fc741.txt).
namespace Gibbs.Distributions;

public static class Normal
{
    private const double LogSqrt2Pi = 0.91893853320467274178;

    public static double LogPdf(double x, double mean = 0, double std = 1)
    {
        double z = (x - mean) / std;
        return -0.5 * z * z - Math.Log(std) - LogSqrt2Pi;
    }

    public static double Cdf(double x, double mean = 0, double std = 1) =>
        MathNet.Numerics.Distributions.Normal.CDF(mean, std, x);

    public static double Quantile(double p, double mean = 0, double std = 1) =>
        MathNet.Numerics.Distributions.Normal.InvCDF(mean, std, p);

    /// <summary>KL(N(μ, σ²) ‖ N(0, 1)) in nats.</summary>
    public static double KlToStandard(double mean, double std) =>
        0.5 * (mean * mean + std * std - 1 - 2 * Math.Log(std));

    /// <summary>Elementwise KL(N(μ, e^{logVar}) ‖ N(0, 1)) = ½(μ² + e^{logVar} − 1 − logVar); shapes of μ and logVar broadcast.</summary>
    public static Tensor KlToStandard(Tensor mean, Tensor logVar) =>
        (mean.Square() + logVar.Exp() - logVar - 1f) * 0.5f;
}
