// Log-axis ticks: decades when the data spans several, 1-2-5 or 1…9 × 10^k within a decade,
// evenly spaced values for narrow spans; labels as plain numbers or m·e±n.
using Gibbs.Plots.Internals;

namespace Gibbs.Tests.Plots;

public class LogAxisTests
{
    private static double[] Values(IEnumerable<double> logs, double lo, double hi) =>
        logs.Where(k => k >= lo - 1e-12 && k <= hi + 1e-12).Select(k => Math.Round(Math.Pow(10, k), 10)).ToArray();

    [Fact]
    public void SeveralDecadesGetDecadeTicksWithMinors()
    {
        var majors = LogAxis.Majors(-2.3, 0.4, -2.5, 0.6, out bool minors);
        Assert.True(minors);
        Assert.Equal([0.01, 0.1, 1], Values(majors, -2.3, 0.4));
    }

    [Fact]
    public void ManyDecadesAreThinnedWithoutMinors()
    {
        var majors = LogAxis.Majors(-60, 0, -63, 3, out bool minors);
        Assert.False(minors);
        Assert.Equal(Enumerable.Range(-6, 7).Select(k => 10.0 * k).ToArray(), majors.Where(k => k >= -60 && k <= 0).ToArray());
    }

    [Fact]
    public void WithinADecadeUsesOneTwoFive()
    {
        // 0.15 … 0.9 holds 0.2 and 0.5.
        var majors = LogAxis.Majors(Math.Log10(0.15), Math.Log10(0.9), -1, 0, out bool minors);
        Assert.False(minors);
        Assert.Equal([0.2, 0.5], Values(majors, Math.Log10(0.15), Math.Log10(0.9)));
        // 0.3 … 0.45 holds no 1-2-5 value twice, so 0.3 and 0.4.
        majors = LogAxis.Majors(Math.Log10(0.3), Math.Log10(0.45), -1, 0, out _);
        Assert.Equal([0.3, 0.4], Values(majors, Math.Log10(0.3), Math.Log10(0.45)));
    }

    [Fact]
    public void NarrowSpansGetEvenlySpacedValues()
    {
        var majors = LogAxis.Majors(Math.Log10(0.31), Math.Log10(0.32), Math.Log10(0.305), Math.Log10(0.325), out _);
        Assert.Equal([0.31, 0.312, 0.314, 0.316, 0.318, 0.32], Values(majors, Math.Log10(0.31), Math.Log10(0.32)));
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.002, "0.002")]
    [InlineData(50_000, "50000")]
    [InlineData(1e5, "1e5")]
    [InlineData(1e-4, "1e-4")]
    [InlineData(2.5e-7, "2.5e-7")]
    [InlineData(0.31400000000000006, "0.314")]
    public void LabelsArePlainOrExponent(double v, string expected) => Assert.Equal(expected, LogAxis.Label(v));
}
