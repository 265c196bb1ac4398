// The managed SGEMM: packed panels, a 6×16 AVX2/FMA register-blocked micro-kernel, K blocked in
// KC-sized slices processed in order (never split), and parallelism over (M block × N chunk) tiles —
// each output tile is computed by exactly one worker, so results are bit-identical for any thread
// count. A scalar kernel with the same blocking serves machines without AVX2/FMA.
// (GotoBLAS/BLIS structure: Goto & van de Geijn, "Anatomy of high-performance matrix multiplication", 2008.)
using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Gibbs.Internals;

namespace Gibbs.Backends.Cpu.Gemm;

public sealed unsafe partial class ManagedGemm : IGemm
{
    private const int MR = 6, NR = 16, KC = 256, MC = 96, NChunk = 4 * NR;

    /// <param name="vectorized">Use the AVX2/FMA kernel when the CPU has it (tests force false to cover the scalar kernel).</param>
    public ManagedGemm(bool vectorized = true) => Vectorized = vectorized && Fma.IsSupported && Avx2.IsSupported;

    public bool Vectorized { get; }

    public string Name => Vectorized ? "managed (AVX2+FMA)" : "managed (scalar)";

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
                      float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= 0 || n <= 0) return;
        ScaleC(m, n, beta, c, ldc);
        if (k <= 0 || alpha == 0f) return;

        int mPanels = (m + MR - 1) / MR, nPanels = (n + NR - 1) / NR;
        int kcMax = Math.Min(KC, k);
        var aPack = ArrayPool<float>.Shared.Rent(mPanels * MR * kcMax + 16);
        var bPack = ArrayPool<float>.Shared.Rent(nPanels * NR * kcMax + 16);
        try
        {
            fixed (float* ap = aPack, bp = bPack)
            {
                float* pa = ap, pb = bp;
                int mBlocks = (m + MC - 1) / MC, nChunks = (n + NChunk - 1) / NChunk;
                for (int p0 = 0; p0 < k; p0 += KC)
                {
                    int kc = Math.Min(KC, k - p0);
                    Par.For(mPanels, 8, (s, e) => { for (int i = s; i < e; i++) PackA(transA, a, lda, m, p0, kc, i, pa + (long)i * MR * kc); });
                    Par.For(nPanels, 4, (s, e) => { for (int j = s; j < e; j++) PackB(transB, b, ldb, n, p0, kc, j, pb + (long)j * NR * kc); });
                    int kcc = kc;
                    Par.For(mBlocks * nChunks, 1, (s, e) =>
                    {
                        for (int t = s; t < e; t++)
                            Tile(t / nChunks, t % nChunks, m, n, kcc, alpha, pa, pb, c, ldc);
                    });
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(aPack);
            ArrayPool<float>.Shared.Return(bPack);
        }
    }

    private static void ScaleC(int m, int n, float beta, float* c, int ldc)
    {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    // A panel i: rows [i·MR, i·MR+MR) × k-slice, stored [kk][r] with zero padding past m.
    private static void PackA(bool trans, float* a, int lda, int m, int p0, int kc, int panel, float* dst)
    {
        int i0 = panel * MR, rows = Math.Min(MR, m - i0);
        if (rows < MR) new Span<float>(dst, kc * MR).Clear();
        if (trans)
        {
            for (int kk = 0; kk < kc; kk++)
            {
                float* src = a + (long)(p0 + kk) * lda + i0, d = dst + kk * MR;
                for (int r = 0; r < rows; r++) d[r] = src[r];
            }
        }
        else
        {
            // Row by row: each source row is read contiguously.
            for (int r = 0; r < rows; r++)
            {
                float* src = a + (long)(i0 + r) * lda + p0, d = dst + r;
                for (int kk = 0; kk < kc; kk++) d[kk * MR] = src[kk];
            }
        }
    }

    // B panel j: columns [j·NR, j·NR+NR) × k-slice, stored [kk][col] with zero padding past n.
    private static void PackB(bool trans, float* b, int ldb, int n, int p0, int kc, int panel, float* dst)
    {
        int j0 = panel * NR, cols = Math.Min(NR, n - j0);
        if (cols < NR) new Span<float>(dst, kc * NR).Clear();
        if (!trans)
        {
            for (int kk = 0; kk < kc; kk++)
                new ReadOnlySpan<float>(b + (long)(p0 + kk) * ldb + j0, cols).CopyTo(new Span<float>(dst + kk * NR, cols));
        }
        else
        {
            // Column by column: each source row of the stored Bᵀ is read contiguously.
            for (int q = 0; q < cols; q++)
            {
                float* src = b + (long)(j0 + q) * ldb + p0, d = dst + q;
                for (int kk = 0; kk < kc; kk++) d[kk * NR] = src[kk];
            }
        }
    }

    private void Tile(int mBlock, int nChunk, int m, int n, int kc, float alpha, float* pa, float* pb, float* c, int ldc)
    {
        int iEnd = Math.Min(m, (mBlock + 1) * MC), jEnd = Math.Min(n, (nChunk + 1) * NChunk);
        float* tmp = stackalloc float[MR * NR];
        for (int j0 = nChunk * NChunk; j0 < jEnd; j0 += NR)
        {
            float* bPanel = pb + (long)(j0 / NR) * NR * kc;
            int cols = Math.Min(NR, n - j0);
            for (int i0 = mBlock * MC; i0 < iEnd; i0 += MR)
            {
                float* aPanel = pa + (long)(i0 / MR) * MR * kc;
                int rows = Math.Min(MR, m - i0);
                if (Vectorized) KernelAvx(kc, aPanel, bPanel, tmp);
                else KernelScalar(kc, aPanel, bPanel, tmp);
                for (int r = 0; r < rows; r++)
                {
                    float* crow = c + (long)(i0 + r) * ldc + j0;
                    float* trow = tmp + r * NR;
                    for (int q = 0; q < cols; q++) crow[q] += alpha * trow[q];
                }
            }
        }
    }
}
