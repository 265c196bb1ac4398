// Every GEMM provider (managed AVX-512, AVX2/FMA and scalar kernels, OpenBLAS in Gibbs's fixed partition when
// installed; its own threading is checked in GemmThreadingTests, which runs alone) against the
// double-accumulating ReferenceGemm: shapes, transposes, α/β, leading dimensions, β = 0 over NaN.
using Gibbs.Backends.Cpu.Gemm;

namespace Gibbs.Tests.Gemm;

public class GemmProviderContractTests
{
    // 1e-5 relative to Σ|a||b| is ~80 ulp: float32 sums of k ≤ 1000 products stay well inside it,
    // while a dropped K-slice, wrong transpose or wrong stride gives errors of order 1.
    private const double Tol = 1e-5;

    public static TheoryData<string> Providers() => new() { "managed", "avx512", "avx2", "scalar", "openblas" };

    [SkippableTheory]
    [MemberData(nameof(Providers))]
    public void MatchesTheReferenceOnOddAndModelShapes(string provider)
    {
        var g = GemmCheck.Provider(provider);
        // (m, n, k): tiny, odd, degenerate vectors, a long K, and the 100×784→500 model layer.
        foreach (var (m, n, k) in new[] { (1, 1, 1), (37, 53, 29), (1, 300, 1), (300, 1, 300), (7, 17, 600), (13, 33, 257), (100, 500, 784) })
            foreach (var (ta, tb) in GemmCheck.Transposes)
            {
                double e = GemmCheck.Compare(g, ta, tb, m, n, k, 1f, 0f, pad: 0);
                Assert.True(e < Tol, $"{g.Name} m={m} n={n} k={k} tA={ta} tB={tb}: error {e:E2}");
            }
    }

    [SkippableTheory]
    [MemberData(nameof(Providers))]
    public void HonoursAlphaBetaAndLargerLeadingDimensions(string provider)
    {
        var g = GemmCheck.Provider(provider);
        foreach (var alpha in new[] { 1f, -2f, 0.5f })
            foreach (var beta in new[] { 0f, 1f, 0.5f })
                foreach (var (ta, tb) in GemmCheck.Transposes)
                {
                    double e = GemmCheck.Compare(g, ta, tb, 23, 41, 67, alpha, beta, pad: 5);
                    Assert.True(e < Tol, $"{g.Name} α={alpha} β={beta} tA={ta} tB={tb}: error {e:E2}");
                }
    }

    [SkippableTheory]
    [MemberData(nameof(Providers))]
    public void BetaZeroOverwritesNaNInC(string provider)
    {
        var g = GemmCheck.Provider(provider);
        foreach (var (ta, tb) in GemmCheck.Transposes)
            Assert.True(GemmCheck.Compare(g, ta, tb, 13, 19, 31, 1.5f, 0f, pad: 3, nanC: true) < Tol, $"{g.Name} tA={ta} tB={tb}");
    }

    [SkippableTheory]
    [MemberData(nameof(Providers))]
    public unsafe void AlphaZeroOnlyScalesC(string provider)
    {
        var g = GemmCheck.Provider(provider);
        var a = GemmCheck.Random(6 * 5, 1);
        var b = GemmCheck.Random(5 * 4, 2);
        var c = GemmCheck.Random(6 * 4, 3);
        var expected = c.Select(x => 0.5f * x).ToArray();
        fixed (float* pa = a, pb = b, pc = c) g.Sgemm(false, false, 6, 4, 5, 0f, pa, 5, pb, 4, 0.5f, pc, 4);
        Assert.Equal(expected, c);
    }
}
