// Philox-4x32-10 against Random123's known-answer vectors (kat_vectors, "philox4x32 10" lines), the
// stream mapping's chunking invariance, and the moments of each distribution.
using Gibbs.Backends;
using Gibbs.Rng;

namespace Gibbs.Tests.Rng;

public class PhiloxTests
{
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void MatchesRandom123KnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint e0, uint e1, uint e2, uint e3)
    {
        Assert.Equal((e0, e1, e2, e3), Philox.Block(c0, c1, c2, c3, k0, k1));
    }

    [Theory]
    [InlineData(RandomKind.Uniform)]
    [InlineData(RandomKind.Normal)]
    [InlineData(RandomKind.Laplace)]
    public void ChunkingDoesNotChangeTheStream(RandomKind kind)
    {
        var whole = new float[10007];
        Philox.Fill(kind, 123, 456, 0, whole, 0f, 1f);
        var pieces = new float[10007];
        int at = 0;
        foreach (int size in new[] { 1, 2, 3, 7, 4093, 5901 })
        {
            Philox.Fill(kind, 123, 456, at, pieces.AsSpan(at, size), 0f, 1f);
            at += size;
        }
        Assert.Equal(10007, at);
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void VectorisedUniformFillEqualsTheScalarBlocks()
    {
        var x = new float[1000];
        Philox.Fill(RandomKind.Uniform, 0xDEADBEEF12345678, 77, 0, x, -1f, 3f);
        for (int i = 0; i < x.Length; i++)
        {
            var (a, b, c, d) = Philox.Block(0xDEADBEEF12345678, 77 + (ulong)(i / 4));
            uint lane = (i % 4) switch { 0 => a, 1 => b, 2 => c, _ => d };
            Assert.Equal(-1f + 4f * ((lane >> 8) * (1f / (1 << 24))), x[i]);
        }
    }

    private static (double Mean, double Var, double Kurt) Moments(RandomKind kind, float a, float b, int n = 1_000_000)
    {
        var x = new float[n];
        Philox.Fill(kind, 2024, 0, 0, x, a, b);
        double m = x.Average(v => (double)v);
        double v2 = x.Average(v => (v - m) * (v - m));
        double v4 = x.Average(v => Math.Pow(v - m, 4));
        return (m, v2, v4 / (v2 * v2));
    }

    [Fact]
    public void UniformHasTheRightRangeAndMoments()
    {
        var x = new float[1_000_000];
        Philox.Fill(RandomKind.Uniform, 7, 0, 0, x, 0f, 1f);
        Assert.All(x, v => Assert.True(v >= 0f && v < 1f));
        var (m, v, _) = Moments(RandomKind.Uniform, 0f, 1f);
        Assert.InRange(m, 0.5 - 5 * Math.Sqrt(1.0 / 12 / 1e6), 0.5 + 5 * Math.Sqrt(1.0 / 12 / 1e6));
        Assert.InRange(v, 1.0 / 12 * 0.995, 1.0 / 12 * 1.005);
    }

    [Fact]
    public void NormalHasTheRightMoments()
    {
        var (m, v, k) = Moments(RandomKind.Normal, 1.5f, 2f);
        Assert.InRange(m, 1.5 - 5 * 2 / 1e3, 1.5 + 5 * 2 / 1e3);
        Assert.InRange(v, 4 * 0.99, 4 * 1.01);
        Assert.InRange(k, 2.97, 3.03);
    }

    [Fact]
    public void LaplaceHasTheRightMoments()
    {
        // Laplace(μ, s): mean μ, variance 2s², kurtosis 6.
        var (m, v, k) = Moments(RandomKind.Laplace, -1f, 0.5f);
        Assert.InRange(m, -1 - 5 * Math.Sqrt(0.5 / 1e6), -1 + 5 * Math.Sqrt(0.5 / 1e6));
        Assert.InRange(v, 0.5 * 0.99, 0.5 * 1.01);
        Assert.InRange(k, 5.8, 6.2);
    }

    [Fact]
    public void GeneratorReservesWholeBlocksAndRestoresState()
    {
        var g = new Generator(9);
        Assert.Equal(0ul, g.Reserve(5));
        Assert.Equal(2ul, g.Reserve(1));
        Assert.Equal(3ul, g.Counter);
        var state = g.State;
        var a = new[] { g.NextUInt64(), g.NextUInt64(), g.NextUInt64() };
        g.State = state;
        Assert.Equal(a, new[] { g.NextUInt64(), g.NextUInt64(), g.NextUInt64() });
    }

    [Fact]
    public void ForksAreDeterministicIndependentAndLeaveTheParentAlone()
    {
        var g = new Generator(5);
        var f1 = g.Fork(1);
        Assert.Equal(f1.Seed, new Generator(5).Fork(1).Seed);
        Assert.NotEqual(f1.Seed, g.Fork(2).Seed);
        Assert.Equal(0ul, g.Counter);
        var x = new float[100_000];
        var y = new float[100_000];
        Philox.Fill(RandomKind.Normal, f1.Seed, 0, 0, x, 0f, 1f);
        Philox.Fill(RandomKind.Normal, g.Fork(2).Seed, 0, 0, y, 0f, 1f);
        double r = x.Zip(y, (a, b) => (double)a * b).Average();
        Assert.InRange(r, -0.015, 0.015);
    }

    [Fact]
    public void PermutationIsAPermutationAndNextIntIsUniform()
    {
        var p = new Generator(3).Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), p.Order());
        Assert.Equal(p, new Generator(3).Permutation(1000));
        var g = new Generator(4);
        var counts = new int[7];
        for (int i = 0; i < 70000; i++) counts[g.NextInt(7)]++;
        double chi2 = counts.Sum(c => (c - 10000.0) * (c - 10000.0) / 10000.0);
        Assert.True(chi2 < 22.5, $"chi² = {chi2} (6 dof, p≈0.001 at 22.5)");
    }
}
