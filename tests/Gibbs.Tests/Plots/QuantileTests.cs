// Quantile functions against Python's statistics.NormalDist (AS241) and math.erfc references,
// round trips through the CDF, and the unit variance of the Laplace quantile function.
using Gibbs.Plots;

namespace Gibbs.Tests.Plots;

public class QuantileTests
{
    [Theory]
    [InlineData(1e-300, -37.0470962993612)]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(0.001, -3.090232306167813)]
    [InlineData(0.02425, -1.9729610513118845)]
    [InlineData(0.1, -1.2815515655446008)]
    [InlineData(0.3, -0.5244005127080407)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.7, 0.5244005127080407)]
    [InlineData(0.975, 1.9599639845400536)]
    [InlineData(0.999, 3.090232306167813)]
    [InlineData(0.999999999999, 7.0344869100478356)]
    public void NormalQuantileMatchesReference(double p, double expected)
    {
        // Acklam alone is good to ~1e-9 relative; the refinement step brings it to ~1e-14.
        Assert.Equal(expected, Quantiles.Normal(p), Math.Max(1e-13, 1e-13 * Math.Abs(expected)));
    }

    [Theory]
    [InlineData(-38, 2.88542835e-316)]
    [InlineData(-10, 7.619853024160593e-24)]
    [InlineData(-5, 2.866515718791946e-07)]
    [InlineData(-3.0001, 0.001349454913260717)]
    [InlineData(-3, 0.0013498980316300957)]
    [InlineData(-1, 0.15865525393145707)]
    [InlineData(0, 0.5)]
    [InlineData(0.5, 0.6914624612740131)]
    [InlineData(2.9999, 0.998649658717045)]
    [InlineData(3, 0.9986501019683699)]
    [InlineData(4, 0.9999683287581669)]
    public void NormalCdfMatchesErfc(double x, double expected)
    {
        Assert.Equal(expected, Quantiles.NormalCdf(x), Math.Abs(expected) * 1e-13 + 1e-320);
    }

    [Fact]
    public void NormalQuantileInvertsTheCdfAndHasTheRightLimits()
    {
        for (double p = 1e-6; p < 1; p += 0.0137)
            Assert.Equal(p, Quantiles.NormalCdf(Quantiles.Normal(p)), p * 1e-13);
        Assert.Equal(double.NegativeInfinity, Quantiles.Normal(0));
        Assert.Equal(double.PositiveInfinity, Quantiles.Normal(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Normal(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Normal(double.NaN));
    }

    [Fact]
    public void LaplaceQuantileIsSymmetricWithUnitVariance()
    {
        double b = 1 / Math.Sqrt(2);
        Assert.Equal(0, Quantiles.Laplace(0.5));
        Assert.Equal(b * Math.Log(0.2), Quantiles.Laplace(0.1), 1e-15);
        Assert.Equal(-Quantiles.Laplace(0.1), Quantiles.Laplace(0.9), 1e-14);
        // CDF(x) = 1 − ½·exp(−x/b) for x ≥ 0.
        Assert.Equal(0.99, 1 - 0.5 * Math.Exp(-Quantiles.Laplace(0.99) / b), 1e-14);
        // Var = ∫₀¹ Q(p)² dp = 1 (midpoint rule; the log singularities are integrable).
        int n = 1_000_000;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double q = Quantiles.Laplace((i + 0.5) / n);
            sum += q * q;
        }
        Assert.Equal(1, sum / n, 1e-4);
        Assert.Equal(double.NegativeInfinity, Quantiles.Laplace(0));
        Assert.Equal(double.PositiveInfinity, Quantiles.Laplace(1));
    }
}
