// The CPU backend's vectorised exp and σ against double precision over their whole range.
using Gibbs.Backends.Cpu;

namespace Gibbs.Tests.Core;

public class FastMathTests
{
    [Fact]
    public void ExpIsAccurateToAFewUlpEverywhere()
    {
        var x = new float[200_003];
        for (int i = 0; i < x.Length; i++) x[i] = -87f + 175f * i / (x.Length - 1);
        var y = new float[x.Length];
        FastMath.Exp(x, y);
        double worst = 0;
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(y[i] - Math.Exp(x[i])) / Math.Exp(x[i]));
        Assert.True(worst < 3e-7, $"max relative error {worst}");
    }

    [Fact]
    public void SpecialValuesBehave()
    {
        float[] x = [float.NegativeInfinity, -1000f, -100f, 0f, 89f, 1000f, float.PositiveInfinity, float.NaN, 1e-30f];
        var e = new float[x.Length];
        FastMath.Exp(x, e);
        Assert.Equal([0f, 0f, 0f, 1f, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity], e[..7]);
        Assert.True(float.IsNaN(e[7]));
        Assert.Equal(1f, e[8]);
        var s = new float[x.Length];
        FastMath.Sigmoid(x, s);
        Assert.Equal([0f, 0f, 0f, 0.5f, 1f, 1f, 1f], s[..7]);
        Assert.True(float.IsNaN(s[7]));
    }

    [Fact]
    public void SigmoidIsAccurate()
    {
        var x = new float[100_001];
        for (int i = 0; i < x.Length; i++) x[i] = -40f + 80f * i / (x.Length - 1);
        var y = new float[x.Length];
        FastMath.Sigmoid(x, y);
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = 1 / (1 + Math.Exp(-x[i]));
            worst = Math.Max(worst, Math.Abs(y[i] - r) / r);
        }
        Assert.True(worst < 5e-7, $"max relative error {worst}");
    }
}
