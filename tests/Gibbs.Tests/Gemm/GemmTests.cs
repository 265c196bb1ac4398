// Every GEMM provider (managed AVX2, managed scalar, OpenBLAS when installed) against the double-
// accumulating reference, over shapes, transposes, α/β and leading dimensions; thread-count independence.
using Gibbs.Backends.Cpu.Gemm;

namespace Gibbs.Tests.Gemm;

public unsafe class GemmTests
{
    public static TheoryData<string> Providers() => new() { "managed", "scalar", "openblas" };

    private static IGemm Provider(string name)
    {
        if (name == "openblas") Skip.IfNot(GemmProvider.OpenBlasAvailable, GemmProvider.OpenBlasUnavailableReason ?? "");
        return GemmProvider.Create(name);
    }

    private static float[] Random(int n, int seed)
    {
        var r = new System.Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(r.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>Runs provider vs reference; returns the max error relative to Σ|a||b| per element.</summary>
    private static double Compare(IGemm g, bool ta, bool tb, int m, int n, int k, float alpha, float beta, int pad, bool nanC = false)
    {
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        var a = Random((ta ? k : m) * lda, 1);
        var b = Random((tb ? n : k) * ldb, 2);
        var c0 = Random(m * ldc, 3);
        if (nanC) Array.Fill(c0, float.NaN);
        var c1 = (float[])c0.Clone();
        var c2 = (float[])c0.Clone();
        var absA = a.Select(Math.Abs).ToArray();
        var absB = b.Select(Math.Abs).ToArray();
        var bound = new float[m * ldc];
        fixed (float* pa = a, pb = b, p1 = c1, p2 = c2, qa = absA, qb = absB, pbound = bound)
        {
            g.Sgemm(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, p1, ldc);
            new ReferenceGemm().Sgemm(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, p2, ldc);
            new ReferenceGemm().Sgemm(ta, tb, m, n, k, 1f, qa, lda, qb, ldb, 0f, pbound, ldc);
        }
        double worst = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
            {
                int x = i * ldc + j;
                if (j >= n) { Assert.Equal(BitConverter.SingleToInt32Bits(c0[x]), BitConverter.SingleToInt32Bits(c1[x])); continue; }
                double scale = Math.Abs(alpha) * bound[x] + Math.Abs(beta) * (nanC ? 0 : Math.Abs(c0[x])) + 1e-30;
                worst = Math.Max(worst, Math.Abs(c1[x] - c2[x]) / scale);
            }
        return worst;
    }

    [SkippableTheory]
    [MemberData(nameof(Providers))]
    public void MatchesTheReferenceOnAwkwardShapes(string provider)
    {
        var g = Provider(provider);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (37, 53, 29), (1, 300, 1), (300, 1, 300), (7, 17, 600), (100, 50, 784) })
            foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                double e = Compare(g, ta, tb, m, n, k, 1f, 0f, pad: 0);
                Assert.True(e < 1e-5, $"{g.Name} {m}×{n}×{k} tA={ta} tB={tb}: {e}");
            }
    }

    [SkippableTheory]
    [MemberData(nameof(Providers))]
    public void HonoursAlphaBetaAndLeadingDimensions(string provider)
    {
        var g = Provider(provider);
        foreach (var (alpha, beta) in new[] { (0.5f, 1f), (-2f, 0.5f), (1f, 0f) })
            foreach (var (ta, tb) in new[] { (false, false), (true, true), (false, true) })
                Assert.True(Compare(g, ta, tb, 23, 41, 67, alpha, beta, pad: 5) < 1e-5, $"{g.Name} α={alpha} β={beta} tA={ta} tB={tb}");
    }

    [SkippableTheory]
    [MemberData(nameof(Providers))]
    public void BetaZeroOverwritesNaN(string provider)
    {
        var g = Provider(provider);
        Assert.True(Compare(g, false, false, 13, 19, 31, 1f, 0f, pad: 0, nanC: true) < 1e-5);
    }

    [Fact]
    public void ManagedKernelIsBitIdenticalForAnyThreadCount()
    {
        var g = new ManagedGemm();
        float[] Run(int threads)
        {
            int saved = Engine.Threads;
            Engine.Threads = threads;
            try
            {
                var a = Random(300 * 784, 4);
                var b = Random(784 * 500, 5);
                var c = new float[300 * 500];
                fixed (float* pa = a, pb = b, pc = c) g.Sgemm(false, false, 300, 500, 784, 1f, pa, 784, pb, 500, 0f, pc, 500);
                return c;
            }
            finally { Engine.Threads = saved; }
        }
        Assert.Equal(Run(1), Run(2));
        Assert.Equal(Run(1), Run(3));
    }

    [Fact]
    public void UnknownProviderNamesTheChoices()
    {
        var e = Assert.Throws<GibbsException>(() => GemmProvider.Create("mkl"));
        Assert.Contains("openblas, managed", e.Message);
    }
}
