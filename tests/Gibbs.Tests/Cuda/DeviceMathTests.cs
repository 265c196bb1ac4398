// The device-side float math (Gibbs.Cuda.Kernels.Fp, DeviceMath, PhiloxDevice) against .NET and the host RNG
// definition, called directly: the same C# runs inside the kernels on every accelerator.
using Gibbs.Cuda.Kernels;
using Gibbs.Rng;

namespace Gibbs.Tests.Cuda;

public class DeviceMathTests
{
    [Fact]
    public void SoftFmaIsCorrectlyRounded()
    {
        var rng = new Random(5);
        for (int i = 0; i < 200_000; i++)
        {
            float a = (float)(rng.NextDouble() * 4 - 2), b = (float)(rng.NextDouble() * 4 - 2);
            float c = i % 3 == 0 ? -a * b : (float)(rng.NextDouble() * 4 - 2) * (i % 5 == 0 ? 1e-6f : 1f);
            Assert.Equal(MathF.FusedMultiplyAdd(a, b, c), Fp.SoftFma(a, b, c));
        }
        Assert.Equal(MathF.FusedMultiplyAdd(1f + 1e-7f, 1f - 1e-7f, -1f), Fp.SoftFma(1f + 1e-7f, 1f - 1e-7f, -1f));
        Assert.True(float.IsNaN(Fp.SoftFma(float.NaN, 1f, 1f)));
        Assert.Equal(float.PositiveInfinity, Fp.SoftFma(float.MaxValue, 2f, 0f));
    }

    [Fact]
    public void PhiloxDrawsAreTheHostDefinitionBitForBit()
    {
        var rng = new Random(3);
        uint[] edges = [0, 1, 255, 256, 0x7FFFFF00, 0x80000000, 0x80000100, 0xFFFFFEFF, 0xFFFFFF00, 0xFFFFFFFF];
        var words = edges.Concat(Enumerable.Range(0, 300_000).Select(_ => (uint)rng.NextInt64(0, 1L << 32))).ToArray();
        for (int i = 0; i + 1 < words.Length; i++)
        {
            uint w = words[i], v = words[i + 1];
            Assert.Equal(PhiloxMath.Laplace(w), PhiloxDevice.Laplace(w));
            Assert.Equal(PhiloxMath.Normal(w, v, false), PhiloxDevice.Normal(w, v, false));
            Assert.Equal(PhiloxMath.Normal(w, v, true), PhiloxDevice.Normal(w, v, true));
        }
        for (ulong blk = 0; blk < 1000; blk += 7)
        {
            PhiloxDevice.Block(0xDEADBEEF12345678, blk, out uint x0, out uint x1, out uint x2, out uint x3);
            Assert.Equal(Philox.Block(0xDEADBEEF12345678, blk), (x0, x1, x2, x3));
        }
    }

    [Theory]
    [InlineData(-110.0)]
    [InlineData(-87.5)]
    [InlineData(-10.0)]
    [InlineData(0.0)]
    [InlineData(1e-6)]
    [InlineData(0.625)]
    [InlineData(3.0)]
    [InlineData(88.3)]
    public void TranscendentalsAreWithinAFewUlps(double x)
    {
        foreach (var dx in new[] { 0.0, 0.013, 0.37 })
        {
            float v = (float)(x + dx);
            Close(Math.Exp(v), DeviceMath.Exp(v), 3);
            Close(Math.Tanh(v), DeviceMath.Tanh(v), 3);
            Close(1 / (1 + Math.Exp(-v)), DeviceMath.Sigmoid(v), 4);
            if (v > 0) Close(Math.Log(v), DeviceMath.Log(v), 3);
            if (v > -1) Close(Math.Log(1 + (double)v), DeviceMath.Log1p(v), 4);
            if (v > 0) Close(Math.Pow(v, 2.5), DeviceMath.Pow(v, 2.5f), 64);
        }
        Assert.Equal(float.NegativeInfinity, DeviceMath.Log(0f));
        Assert.True(float.IsNaN(DeviceMath.Log(-1f)));
        Assert.Equal(9f, DeviceMath.Pow(3f, 2f));
        Assert.Equal(-8f, DeviceMath.Pow(-2f, 3f));
        Assert.True(float.IsNaN(DeviceMath.Pow(-2f, 0.5f)));
        Assert.Equal(1f, DeviceMath.Tanh(100f));
        Assert.Equal(-3f, Fp.Floor(-2.5f));
        Assert.True(float.IsNaN(Fp.Max(float.NaN, 1f)) && float.IsNaN(Fp.Min(1f, float.NaN)));
    }

    private static void Close(double expected, float actual, int ulps)
    {
        double tol = ulps * Math.Max(Math.Abs(expected) * 5.96e-8, float.Epsilon);
        Assert.True(Math.Abs(actual - expected) <= tol, $"{actual:R} vs {expected:R}");
    }
}
