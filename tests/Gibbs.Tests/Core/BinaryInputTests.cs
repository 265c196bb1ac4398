// Linear's path for binary inputs (Nn/BinaryInput.cs): the product and the weight gradient equal the float64 dense
// product and xᵀ·g, with widths that exercise the vector blocks and the scalar tail; any value other than 0 and 1, an
// input that needs a gradient, or more than half ones goes to the GEMM; results do not depend on the thread count.
using Gibbs.Nn;
using Gibbs.Rng;

namespace Gibbs.Tests.Core;

[Collection("serial")]
public class BinaryInputTests
{
    private static float[] Rows(int n, int width, double density, ulong seed)
    {
        var g = new Generator(seed);
        return Enumerable.Range(0, n * width).Select(_ => g.NextDouble() < density ? 1f : 0f).ToArray();
    }

    private static (float[] Y, float[] Gw, float[] Gb) Step(float[] x, int n, int inF, int outF, float[] upstream)
    {
        using var scope = TensorScope.Begin();
        var layer = new Linear(inF, outF, new Generator(9));
        var y = layer.Forward(Tensor.FromArray(x, [n, inF]));
        (y * Tensor.FromArray(upstream, [n, outF])).Sum().Backward();
        return (y.ToArray(), layer.W.Grad!.ToArray(), layer.B!.Grad!.ToArray());
    }

    [Theory]
    [InlineData(7, 29, 45, 0.15)]   // 45 outputs: one 32-float block (AVX2), a vector, a 5-float tail
    [InlineData(33, 60, 8, 0.45)]
    [InlineData(5, 12, 70, 0.0)]    // no ones at all
    public void ProductAndWeightGradientAreTheDenseOnes(int n, int inF, int outF, double density)
    {
        var x = Rows(n, inF, density, 3);
        var g = new Generator(4);
        var up = Enumerable.Range(0, n * outF).Select(_ => (float)(g.NextDouble() - 0.5)).ToArray();
        using var scope = TensorScope.Begin();
        var layer = new Linear(inF, outF, new Generator(9));
        var w = layer.W.ToArray();
        var y = BinaryInput.TryMatMul(Tensor.FromArray(x, [n, inF]), layer.W);
        Assert.NotNull(y);
        (y! * Tensor.FromArray(up, [n, outF])).Sum().Backward();
        var ya = y.ToArray();
        var gw = layer.W.Grad!.ToArray();
        for (int r = 0; r < n; r++)
            for (int c = 0; c < outF; c++)
            {
                double e = 0;
                for (int j = 0; j < inF; j++) e += x[r * inF + j] * (double)w[j * outF + c];
                Assert.Equal(e, ya[r * outF + c], 1e-5 * Math.Max(1, Math.Abs(e)));
            }
        for (int j = 0; j < inF; j++)
            for (int c = 0; c < outF; c++)
            {
                double e = 0;
                for (int r = 0; r < n; r++) e += x[r * inF + j] * (double)up[r * outF + c];
                Assert.Equal(e, gw[j * outF + c], 1e-5 * Math.Max(1, Math.Abs(e)));
            }
    }

    [Fact]
    public void AnythingElseGoesToTheGemm()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.FromArray(Enumerable.Range(0, 10 * 16).Select(i => 0.01f * i).ToArray(), [10, 16]);
        var binary = Rows(4, 10, 0.3, 5);
        Assert.NotNull(BinaryInput.TryMatMul(Tensor.FromArray(binary, [4, 10]), w));
        var grey = (float[])binary.Clone();
        grey[17] = 0.5f;
        Assert.Null(BinaryInput.TryMatMul(Tensor.FromArray(grey, [4, 10]), w));
        Assert.Null(BinaryInput.TryMatMul(Tensor.FromArray(binary, [4, 10]).RequireGrad(), w));
        Assert.Null(BinaryInput.TryMatMul(Tensor.FromArray(Rows(4, 10, 0.9, 5), [4, 10]), w)); // dense rows
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        const int n = 300, inF = 200, outF = 150;
        var x = Rows(n, inF, 0.2, 6);
        var g = new Generator(7);
        var up = Enumerable.Range(0, n * outF).Select(_ => (float)(g.NextDouble() - 0.5)).ToArray();
        int saved = Engine.Threads;
        try
        {
            Engine.Threads = 1;
            var one = Step(x, n, inF, outF, up);
            Engine.Threads = 3;
            var three = Step(x, n, inF, outF, up);
            Assert.Equal(one.Y, three.Y);
            Assert.Equal(one.Gw, three.Gw);
            Assert.Equal(one.Gb, three.Gb);
        }
        finally { Engine.Threads = saved; }
    }
}
