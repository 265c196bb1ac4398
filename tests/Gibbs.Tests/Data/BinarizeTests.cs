// Binarize.Threshold refuses what the issue-8 user hit: a threshold that turns varying data into a
// constant (all 0 or all 1), and non-finite values (once silently NaN → 0, Inf → 1).
// Not here: the plain threshold and Bernoulli draws (DatasetTests.BinarizeThresholdsAndSamples).
using Gibbs.Data;

namespace Gibbs.Tests.Data;

public class BinarizeTests
{
    private static void AssertOneLine(string message, params string[] expect)
    {
        Assert.DoesNotContain('\n', message);
        foreach (var e in expect) Assert.Contains(e, message);
    }

    [Fact]
    public void AThresholdThatMakesVaryingDataConstantIsRefusedWithTheRange()
    {
        // The case: 0/1 bytes once scaled to {0, 1/255}, then `--binarize threshold` trained on all zeros.
        float[] dim = [0f, 1 / 255f, 0f, 1 / 255f];
        var e = Assert.Throws<GibbsException>(() => Binarize.Threshold(dim));
        AssertOneLine(e.Message, "every value 0", $"[0, {1 / 255f}]", "threshold 0.5", "rescale");
        var up = Assert.Throws<GibbsException>(() => Binarize.Threshold([2f, 3f, 250f]));
        AssertOneLine(up.Message, "every value 1", "[2, 250]");
        // The same through the dataset form, and at another threshold.
        var d = new Dataset("dim", dim, 2, null, 0, [2], "test");
        Assert.Throws<GibbsException>(() => Binarize.Threshold(d));
        Assert.Equal([0f, 1f, 0f, 1f], Binarize.Threshold(d, 0.001f).X);
    }

    [Fact]
    public void ConstantInputMayGiveAConstantResult()
    {
        Assert.Equal([0f, 0f, 0f], Binarize.Threshold([0f, 0f, 0f]));
        Assert.Equal([1f, 1f], Binarize.Threshold([0.9f, 0.9f]));
        Assert.Equal([0f, 1f], Binarize.Threshold([0.5f, 0.5001f]));
        Assert.Empty(Binarize.Threshold([]));
    }

    [Fact]
    public void NonFiniteValuesAreRefusedWithTheirPlace()
    {
        var e = Assert.Throws<GibbsException>(() => Binarize.Threshold([0f, 1f, float.NaN]));
        AssertOneLine(e.Message, "position 2", "NaN");
        var d = new Dataset("inf", [0f, 1f, 0f, 1f, float.PositiveInfinity, 0f], 2, null, 0, [2], "test");
        AssertOneLine(Assert.Throws<GibbsException>(() => Binarize.Threshold(d)).Message, "row 2, column 0", "Infinity");
        Assert.Throws<GibbsException>(() => Binarize.Threshold([0f, float.NegativeInfinity, 1f]));
    }
}
