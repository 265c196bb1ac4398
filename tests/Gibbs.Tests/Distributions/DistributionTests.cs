// Closed forms against numerical integration in double, quantiles against CDFs, tensor forms against scalar ones.
using Gibbs.Distributions;

namespace Gibbs.Tests.Distributions;

public class DistributionTests
{
    /// <summary>∫ f over [a, b] by composite Simpson with n (even) intervals.</summary>
    private static double Simpson(Func<double, double> f, double a, double b, int n = 200_000)
    {
        double h = (b - a) / n, s = f(a) + f(b);
        for (int i = 1; i < n; i++) s += f(a + i * h) * (i % 2 == 1 ? 4 : 2);
        return s * h / 3;
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.5, 0.4)]
    [InlineData(-2.0, 2.5)]
    public void GaussianKlMatchesIntegration(double mu, double sigma)
    {
        double kl = Simpson(z => Math.Exp(Normal.LogPdf(z, mu, sigma)) * (Normal.LogPdf(z, mu, sigma) - Normal.LogPdf(z)), mu - 40 * sigma, mu + 40 * sigma);
        Assert.Equal(kl, Normal.KlToStandard(mu, sigma), 8);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.7, 0.5)]
    [InlineData(-1.3, 1.8)]
    public void LaplaceGenerativeErrorMatchesIntegration(double mu, double sigma)
    {
        double b = sigma * Laplace.UnitScale;
        double F(double z) => Math.Exp(Laplace.LogPdf(z, mu, b)) * (Laplace.LogPdf(z, mu, b) - Laplace.LogPdf(z, 0, Laplace.UnitScale));
        // Split at the kinks (0 and μ) so Simpson sees smooth pieces.
        double lo = Math.Min(0, mu), hi = Math.Max(0, mu);
        double kl = Simpson(F, lo - 60 * b, lo) + (hi > lo ? Simpson(F, lo, hi) : 0) + Simpson(F, hi, hi + 60 * b);
        Assert.Equal(kl, Laplace.GenerativeError(mu, sigma), 8);
        Assert.Equal(0.0, Laplace.GenerativeError(0, 1), 12);
    }

    [Fact]
    public void QuantilesInvertCdfs()
    {
        foreach (double p in new[] { 1e-6, 0.01, 0.3, 0.5, 0.77, 0.999 })
        {
            Assert.Equal(p, Normal.Cdf(Normal.Quantile(p, 1, 2), 1, 2), 10);
            Assert.Equal(p, Laplace.Cdf(Laplace.Quantile(p, -1, 0.5), -1, 0.5), 10);
        }
    }

    [Fact]
    public void TensorFormsMatchScalarForms()
    {
        using var scope = TensorScope.Begin();
        float[] mu = [-1.5f, 0f, 0.3f, 2f], sg = [0.5f, 1f, 1.7f, 0.9f];
        var kl = Normal.KlToStandard(Tensor.FromArray(mu), Tensor.FromArray(sg.Select(s => 2 * MathF.Log(s)).ToArray())).ToArray();
        var ge = Laplace.GenerativeError(Tensor.FromArray(mu), Tensor.FromArray(sg)).ToArray();
        var ll = Gibbs.Distributions.Bernoulli.LogLikelihood(Tensor.FromArray([0f, 1f, 1f, 0.3f]), Tensor.FromArray([3f, -2f, 30f, 0.5f])).ToArray();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Normal.KlToStandard(mu[i], sg[i]), kl[i], 5);
            Assert.Equal(Laplace.GenerativeError(mu[i], sg[i]), ge[i], 5);
        }
        double[] x = [0, 1, 1, 0.3], z = [3, -2, 30, 0.5];
        for (int i = 0; i < 4; i++) Assert.Equal(Gibbs.Distributions.Bernoulli.LogLikelihood(x[i], z[i]), ll[i], 5);
    }
}
