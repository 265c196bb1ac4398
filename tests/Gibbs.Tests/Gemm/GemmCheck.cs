// Shared helpers for the GEMM tests: seeded operands with padded leading dimensions, a provider run
// beside ReferenceGemm, and the error measured relative to |α|·Σ_p|a_ip||b_pj| + |β|·|c_ij| per element.
using Gibbs.Backends.Cpu.Gemm;

namespace Gibbs.Tests.Gemm;

internal static unsafe class GemmCheck
{
    /// <summary>Uniform(-1, 1) floats from a fixed seed.</summary>
    public static float[] Random(int n, int seed)
    {
        var r = new System.Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(r.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>The provider by name; OpenBLAS is skipped (with the reason) when it is not installed.</summary>
    public static IGemm Provider(string name)
    {
        if (name.StartsWith("openblas", StringComparison.Ordinal)) Skip.IfNot(GemmProvider.OpenBlasAvailable, GemmProvider.OpenBlasUnavailableReason ?? "");
        if (name is "avx512") Skip.IfNot(ManagedGemm.Supports(GemmIsa.Avx512), "this CPU has no AVX-512F");
        if (name is "avx2") Skip.IfNot(ManagedGemm.Supports(GemmIsa.Avx2), "this CPU has no AVX2+FMA");
        return GemmProvider.Create(name);
    }

    /// <summary>
    /// C[m×n] (ldc = n + pad) = α·op(A)·op(B) + β·C by <paramref name="g"/> and by the reference; returns
    /// the worst relative error. Asserts that the padding columns of C are untouched (bit for bit).
    /// </summary>
    public static double Compare(IGemm g, bool ta, bool tb, int m, int n, int k, float alpha, float beta, int pad, bool nanC = false)
    {
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        var a = Random(Math.Max(1, (ta ? k : m) * lda), 1);
        var b = Random(Math.Max(1, (tb ? n : k) * ldb), 2);
        var c0 = Random(m * ldc, 3);
        if (nanC) Array.Fill(c0, float.NaN);
        var c1 = (float[])c0.Clone();
        var c2 = (float[])c0.Clone();
        var absA = a.Select(Math.Abs).ToArray();
        var absB = b.Select(Math.Abs).ToArray();
        var bound = new float[m * ldc];
        var reference = new ReferenceGemm();
        fixed (float* pa = a, pb = b, p1 = c1, p2 = c2, qa = absA, qb = absB, pbound = bound)
        {
            g.Sgemm(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, p1, ldc);
            reference.Sgemm(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, p2, ldc);
            reference.Sgemm(ta, tb, m, n, k, 1f, qa, lda, qb, ldb, 0f, pbound, ldc);
        }
        double worst = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
            {
                int x = i * ldc + j;
                if (j >= n)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(c0[x]), BitConverter.SingleToInt32Bits(c1[x]));
                    continue;
                }
                Assert.False(float.IsNaN(c1[x]), $"{g.Name}: NaN at ({i},{j})");
                double scale = Math.Abs(alpha) * bound[x] + Math.Abs(beta) * (nanC ? 0 : Math.Abs(c0[x])) + 1e-30;
                worst = Math.Max(worst, Math.Abs(c1[x] - c2[x]) / scale);
            }
        return worst;
    }

    /// <summary>C = op(A)·op(B) (β = 0) with fixed operands, for bit-identity checks.</summary>
    public static float[] Product(IGemm g, bool ta, bool tb, int m, int n, int k)
    {
        var a = Random(m * k, 4);
        var b = Random(k * n, 5);
        var c = Random(m * n, 6);
        fixed (float* pa = a, pb = b, pc = c)
            g.Sgemm(ta, tb, m, n, k, 1f, pa, ta ? m : k, pb, tb ? k : n, 0f, pc, n);
        return c;
    }

    public static readonly (bool A, bool B)[] Transposes = [(false, false), (true, false), (false, true), (true, true)];
}
