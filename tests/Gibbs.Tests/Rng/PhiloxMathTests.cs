// The float32 definitions behind normal and Laplace draws (PhiloxMath) against double precision: log and
// cos/sin of 2πu within 2 ulp over every exponent / a dense grid, and whole draws within a few ulp of the
// double-precision Box–Muller and inverse-CDF formulas they replace. Pinned values guard the exact bits
// every backend must reproduce.
using Gibbs.Rng;

namespace Gibbs.Tests.Rng;

public class PhiloxMathTests
{
    private static double Ulp(float v) => Math.Max(MathF.BitIncrement(MathF.Abs(v)) - MathF.Abs(v), float.Epsilon);

    [Fact]
    public void LogIsWithinTwoUlp()
    {
        double worst = 0;
        // Every 2⁻²⁴ grid point that draws produce lies in (0, 1]; sample them densely plus powers of two.
        for (int m = 1; m <= 1 << 24; m += 97)
        {
            float x = m * (1f / (1 << 24));
            double err = Math.Abs(PhiloxMath.Log(x) - Math.Log(x)) / Ulp((float)Math.Log(x) == 0 ? float.Epsilon : (float)Math.Log(x));
            if (x != 1f) worst = Math.Max(worst, err);
        }
        Assert.Equal(0f, PhiloxMath.Log(1f));
        for (int e = -24; e < 0; e++) Assert.True(Math.Abs(PhiloxMath.Log(MathF.Pow(2, e)) - e * Math.Log(2)) <= Ulp((float)(e * Math.Log(2))), $"log 2^{e}");
        Assert.True(worst <= 2, $"log error {worst:F2} ulp");
    }

    [Fact]
    public void CosSinOfTwoPiUAreWithinTwoUlpOfTheirScale()
    {
        double worst = 0;
        for (int m = 0; m < 1 << 24; m += 61)
        {
            float u = m * (1f / (1 << 24));
            var (c, s) = PhiloxMath.CosSinTwoPi(u);
            double th = 2 * Math.PI * u;
            // Absolute error in units of 2⁻²⁴ (the ulp of values near 1): sin/cos near a zero have no better relative accuracy in float.
            worst = Math.Max(worst, Math.Max(Math.Abs(c - Math.Cos(th)), Math.Abs(s - Math.Sin(th))) * (1 << 24));
        }
        Assert.True(worst <= 2, $"cos/sin error {worst:F2} × 2⁻²⁴");
    }

    [Fact]
    public void DrawsAgreeWithTheDoubleFormulasAndArePinned()
    {
        var gen = new Generator(2024);
        float[] normal = new float[40_000], laplace = new float[40_000];
        Philox.Fill(Gibbs.Backends.RandomKind.Normal, gen.Seed, 0, 0, normal, 0f, 1f);
        Philox.Fill(Gibbs.Backends.RandomKind.Laplace, gen.Seed, 0, 0, laplace, 0f, 1f);
        for (int i = 0; i < normal.Length; i++)
        {
            var (x0, x1, x2, x3) = Philox.Block(gen.Seed, (ulong)(i >> 2));
            int lane = i & 3;
            uint ua = lane < 2 ? x0 : x2, ub = lane < 2 ? x1 : x3;
            double u1 = ((ua >> 8) + 1) / (double)(1 << 24), u2 = (ub >> 8) / (double)(1 << 24);
            double r = Math.Sqrt(-2 * Math.Log(u1)), z = (lane & 1) == 0 ? r * Math.Cos(2 * Math.PI * u2) : r * Math.Sin(2 * Math.PI * u2);
            Assert.True(Math.Abs(normal[i] - z) <= 4e-7 * (1 + Math.Abs(z)), $"normal {i}: {normal[i]} vs {z}");
            uint w = lane switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
            double u = ((w >> 8) + 0.5) / (1 << 24) - 0.5, l = -Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u));
            Assert.True(Math.Abs(laplace[i] - l) <= 4e-7 * (1 + Math.Abs(l)), $"laplace {i}: {laplace[i]} vs {l}");
        }
        // The exact bits (any backend must produce these).
        Assert.Equal([BitConverter.SingleToInt32Bits(normal[0]), BitConverter.SingleToInt32Bits(normal[1]), BitConverter.SingleToInt32Bits(laplace[7])],
                     PinnedBits);
    }

    private static readonly int[] PinnedBits = [-1108381106, 1065317270, -1114023216];
}
