// Tensor semantics: broadcasting, views, scopes, in-place ops, errors, numerically stable forms.
using Gibbs.Backends.Cpu;

namespace Gibbs.Tests.Core;

public class TensorTests
{
    [Fact]
    public void BroadcastingFollowsNumpyRules()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        var row = Tensor.FromArray([10f, 20f, 30f], [3]);
        var col = Tensor.FromArray([100f, 200f], [2, 1]);
        Assert.Equal([11f, 22f, 33f, 14f, 25f, 36f], (a + row).ToArray());
        Assert.Equal([101f, 102f, 103f, 204f, 205f, 206f], (a + col).ToArray());
        Assert.Equal([110f, 120f, 130f, 210f, 220f, 230f], (row + col).ToArray());
        var e = Assert.Throws<ShapeException>(() => a + Tensor.Zeros([2]));
        Assert.Contains("[2×3] and [2]", e.Message);
    }

    [Fact]
    public void StableFormsDoNotOverflow()
    {
        using var scope = TensorScope.Begin();
        var z = Tensor.FromArray([-1000f, -20f, 0f, 20f, 1000f]);
        AssertClose([0, 2.0611536922e-9, 0.69314718056, 20.000000002, 1000], z.Softplus().ToArray());
        AssertClose([-1000, -20.000000002, -0.69314718056, -2.0611536922e-9, 0], z.LogSigmoid().ToArray());
        var big = Tensor.FromArray([1000f, 1000f, 990f], [1, 3]);
        Assert.Equal(1000f + MathF.Log(2f + MathF.Exp(-10f)), big.LogSumExp(1).Item(), 3);
        var p = big.Softmax(1).ToArray();
        Assert.Equal(1f, p.Sum(), 5);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 2e-7 * Math.Abs(expected[i]) + 1e-30, $"element {i}: {actual[i]} vs {expected[i]}");
    }

    [Fact]
    public void ReshapeIsAViewAndSurvivesItsSource()
    {
        var a = Tensor.FromArray([1f, 2f, 3f, 4f], [2, 2]).Untrack();
        var b = a.Reshape(4).Untrack();
        a.AffineInPlace(2f);
        Assert.Equal([2f, 4f, 6f, 8f], b.ToArray());
        a.Dispose();
        Assert.Equal([2f, 4f, 6f, 8f], b.ToArray());
        b.Dispose();
        Assert.Throws<ObjectDisposedException>(() => b.ToArray());
    }

    [Fact]
    public void ScopeDisposesTemporariesButNotMovedTensors()
    {
        Tensor kept, temp;
        using (TensorScope.Begin())
        {
            temp = Tensor.Ones([3]);
            kept = (temp * 2f).MoveToOuterScope();
        }
        Assert.True(temp.IsDisposed);
        Assert.Equal([2f, 2f, 2f], kept.ToArray());
        kept.Dispose();
    }

    [Fact]
    public void GradientsAccumulateAndFlowThroughSharedInputs()
    {
        using var x = Tensor.FromArray([1f, 2f]).Untrack().RequireGrad();
        using (TensorScope.Begin()) (x * x + x * 3f).Sum().Backward(); // d/dx = 2x + 3
        Assert.Equal([5f, 7f], x.Grad!.ToArray());
        using (TensorScope.Begin()) x.Sum().Backward();
        Assert.Equal([6f, 8f], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void NoGradRecordsNothingAndDetachStopsGradients()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1f, 2f]).RequireGrad();
        using (Tensor.NoGrad()) Assert.False((x * 2f).RequiresGrad);
        Assert.True((x * 2f).RequiresGrad);
        Assert.False(x.Detach().RequiresGrad);
        Assert.Throws<GibbsException>(() => x.Detach().Sum().Backward());
    }

    [Fact]
    public void MatMulChecksShapesWithAClearMessage()
    {
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<ShapeException>(() => Tensor.MatMul(Tensor.Zeros([2, 3]), Tensor.Zeros([4, 5])));
        Assert.Contains("inner dimensions differ", e.Message);
        Assert.Equal([2, 5], Tensor.MatMul(Tensor.Zeros([3, 2]), Tensor.Zeros([3, 5]), transA: true).Shape.ToArray());
    }

    [Fact]
    public void NonFiniteValuesAreDetected()
    {
        using var scope = TensorScope.Begin();
        Assert.True(Tensor.FromArray([1f, 2f]).AllFinite());
        Assert.False(Tensor.FromArray([1f, float.NaN]).AllFinite());
        Assert.False(Tensor.FromArray([float.PositiveInfinity]).AllFinite());
    }

    [Fact]
    public void OneHotRejectsBadLabels()
    {
        using var scope = TensorScope.Begin();
        Assert.Throws<ArgumentException>(() => Tensor.OneHot(Tensor.FromArray([0f, 3f]), 3));
        Assert.Throws<ArgumentException>(() => Tensor.OneHot(Tensor.FromArray([0.5f]), 3));
    }

    [Fact]
    public void LargeSumsAreAccurate()
    {
        // 10⁶ copies of 0.1: float32 naive accumulation drifts by ~1e-3 relative; blocked double does not.
        using var scope = TensorScope.Begin();
        Assert.Equal(100000.0, Tensor.Full([1_000_000], 0.1f).Sum().Item(), 0);
    }
}
