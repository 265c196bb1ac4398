// Numerics of reductions and of ties: accurate axis sums on every path, max/maxout gradients routed to one
// element per group, and reductions bit-identical for any thread count.
namespace Gibbs.Tests.Core;

public class NumericsTests
{
    [Theory]
    [InlineData(1_000_000, 1)]   // one long row
    [InlineData(1_000_000, 4)]   // axis 0 with inner > 1: the path that used to accumulate in plain float
    [InlineData(300_001, 513)]
    public void AxisSumsAreAccurate(int rows, int cols)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Full([rows, cols], 0.1f);
        var s = x.Sum(0).ToArray();
        double expected = rows * (double)0.1f;
        Assert.All(s, v => Assert.True(Math.Abs(v - expected) <= 2e-7 * expected, $"Σ = {v}, expected {expected}"));
        var m = x.Mean(0).ToArray();
        Assert.All(m, v => Assert.Equal(0.1f, v, 6));
        Assert.Equal(expected * cols, x.Sum().Item(), expected * cols * 2e-7);
    }

    [Fact]
    public void MaxGradientGoesToOneTiedElement()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1f, 3f, 3f, 2f, 5f, 5f], [2, 3]).RequireGrad();
        x.Max(1).Sum().Backward();
        Assert.Equal([0f, 1f, 0f, 0f, 1f, 0f], x.Grad!.ToArray());
        var y = Tensor.FromArray([2f, 1f, 1f, 4f, 4f, 4f], [2, 3]).RequireGrad();
        y.Min(1).Sum().Backward();
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 0f], y.Grad!.ToArray());
    }

    [Fact]
    public void MaxoutWithEqualUnitsPassesTheGradientOnce()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([2f, 2f, 0f, 0f], [1, 4]).RequireGrad();
        x.Maxout(2).Sum().Backward();
        Assert.Equal(2f, x.Grad!.ToArray().Sum());
        Assert.Equal([1f, 0f, 1f, 0f], x.Grad!.ToArray());
    }
}

[Collection("serial")]
public class ReductionThreadingTests
{
    [Fact]
    public void ReductionsAreBitIdenticalForAnyThreadCount()
    {
        int saved = Engine.Threads;
        try
        {
            float[][] Run(int threads)
            {
                Engine.Threads = threads;
                using var scope = TensorScope.Begin();
                var x = Tensor.Randn([700, 1300], new Gibbs.Rng.Generator(5));
                return [x.Sum(0).ToArray(), x.Sum(1).ToArray(), [x.Sum().Item()], x.Max(0).ToArray(), x.LogSumExp(0).ToArray(),
                        x.ArgMax(0).ToArray(), x.Reshape(7, 100, 1300).Sum(1).ToArray()];
            }
            var one = Run(1);
            foreach (int t in new[] { 2, 3 })
            {
                var other = Run(t);
                for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], other[i]);
            }
        }
        finally { Engine.Threads = saved; }
    }
}
