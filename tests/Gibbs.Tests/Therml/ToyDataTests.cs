// The toy data of 001 App. H: I(x; Z) = 0.5 nats by exact summation, written out here independently of the class;
// the distribution is normalised with the class prior 0.7; the bins and the separation are what the docs say;
// a large sample's frequencies match p(x, Z); bad input is one line.
using Gibbs.Models.Therml;
using Gibbs.Rng;

namespace Gibbs.Tests.Therml;

public class ToyDataTests
{
    [Fact]
    public void TheInformationIsHalfANatByExactSummation()
    {
        var toy = ToyData.AppendixH;
        // Independently: p(x|Z) from the normal CDF with erf, the outer bins open-ended, then I = Σ p(x,Z) log p(x,Z)/(p(x)p(Z)).
        double Phi(double t) => 0.5 * (1 + MathNet.Numerics.SpecialFunctions.Erf(t / Math.Sqrt(2)));
        double m = toy.Separation, info = 0, total = 0;
        for (int i = 0; i < 30; i++)
        {
            double a = -6 + 12.0 * i / 30, b = -6 + 12.0 * (i + 1) / 30;
            double p0 = 0.3 * ((i == 29 ? 1 : Phi(b + m)) - (i == 0 ? 0 : Phi(a + m)));
            double p1 = 0.7 * ((i == 29 ? 1 : Phi(b - m)) - (i == 0 ? 0 : Phi(a - m)));
            Assert.Equal(p0, toy.Joint(i, 0), 12);
            Assert.Equal(p1, toy.Joint(i, 1), 12);
            total += p0 + p1;
            info += p0 * Math.Log(p0 / ((p0 + p1) * 0.3)) + p1 * Math.Log(p1 / ((p0 + p1) * 0.7));
        }
        Assert.Equal(1.0, total, 12);
        Assert.Equal(0.5, info, 9);
        Assert.Equal(0.5, toy.Information, 9);
        Assert.Equal(1.67438, m, 4); // as scipy's bisection on the same definition gives (docs)
        Assert.Equal(0.7, Enumerable.Range(0, 30).Sum(i => toy.Joint(i, 1)), 12);
        // The information grows with the separation, from 0 to H(Z).
        Assert.Equal(0, ToyData.WithSeparation(0).Information, 12);
        Assert.True(ToyData.WithSeparation(m - 0.1).Information < 0.5 && ToyData.WithSeparation(m + 0.1).Information > 0.5);
    }

    [Fact]
    public void SampleFrequenciesMatchTheJoint()
    {
        var toy = ToyData.AppendixH;
        const int n = 200_000;
        var (x, y) = toy.Sample(n, new Generator(3));
        for (int i = 0; i < 30; i++)
            for (int z = 0; z < 2; z++)
            {
                double p = toy.Joint(i, z), f = Enumerable.Range(0, n).Count(r => x[r] == i && y[r] == z) / (double)n;
                Assert.InRange(f, p - 5 * Math.Sqrt(p * (1 - p) / n) - 1e-6, p + 5 * Math.Sqrt(p * (1 - p) / n) + 1e-6);
            }
        var (a, b) = (toy.Sample(50, new Generator(7)), toy.Sample(50, new Generator(7)));
        Assert.Equal(a.X, b.X);
        Assert.Equal(a.Y, b.Y);
    }

    [Fact]
    public void BadInputIsOneLine()
    {
        Assert.Contains("H(Z)", Assert.Throws<GibbsException>(() => ToyData.Solve(0.7)).Message);
        Assert.Contains("at least 1 example", Assert.Throws<GibbsException>(() => ToyData.AppendixH.Sample(0, new Generator(1))).Message);
        Assert.Contains("≥ 0", Assert.Throws<GibbsException>(() => ToyData.WithSeparation(-1)).Message);
    }
}
