// The managed SGEMM (GotoBLAS/BLIS structure: Goto & van de Geijn, "Anatomy of high-performance
// matrix multiplication", TOMS 2008). K is cut into equal slices of at most KC, processed in order
// and never split between threads; per slice, A and B are packed as MR-row and NR-column panels
// (in a reused, pinned, 64-byte-aligned per-thread buffer), then the grid of C tiles (MC rows ×
// NChunk columns, fixed by the shape alone) is shared among threads, each tile computed by exactly
// one of them with the same instruction sequence, so results are bit-identical for any
// Engine.Threads. Not a general BLAS: float32 only.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Gibbs.Internals;

namespace Gibbs.Backends.Cpu.Gemm;

/// <summary>Pure C# SGEMM: AVX2/FMA 6×16 micro-kernel over packed panels, with a scalar kernel of the same blocking.</summary>
public sealed unsafe partial class ManagedGemm : IGemm
{
    // MR×NR register tile; KC deep slices (B micro-panel 16 KiB in L1); MC×KC A block (~96 KiB) in L2.
    internal const int MR = 6, NR = 16, KC = 256, MC = 96, NChunk = 4 * NR;

    /// <param name="vectorized">Use the AVX2/FMA kernel when the CPU has it (tests force false to cover the scalar kernel).</param>
    public ManagedGemm(bool vectorized = true) => Vectorized = vectorized && Fma.IsSupported && Avx2.IsSupported;

    /// <summary>True when the AVX2/FMA micro-kernel runs.</summary>
    public bool Vectorized { get; }

    public string Name => Vectorized ? "managed (AVX2+FMA)" : "managed (scalar)";

    /// <summary>C[m×n] = α·op(A)·op(B) + β·C (row-major; see <see cref="IGemm"/>). β = 0 overwrites C, NaN included.</summary>
    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
                      float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= 0 || n <= 0) return;
        ScaleC(m, n, beta, c, ldc);
        if (k <= 0 || alpha == 0f) return;

        int mPanels = (m + MR - 1) / MR, nPanels = (n + NR - 1) / NR;
        int slices = (k + KC - 1) / KC, kcMax = (k + slices - 1) / slices;   // equal slices: no thin last one
        long aLen = (long)mPanels * MR * kcMax, bLen = (long)nPanels * NR * kcMax;
        float* pa = PackBuffer(aLen + bLen + 16), pb = pa + ((aLen + 15) & ~15L);
        int mBlocks = (m + MC - 1) / MC, nChunks = (n + NChunk - 1) / NChunk;
        for (int p0 = 0; p0 < k; p0 += kcMax)
        {
            int kc = Math.Min(kcMax, k - p0), pk = p0;
            Par.For(mPanels, 16, (s, e) => { for (int i = s; i < e; i++) PackA(transA, a, lda, m, pk, kc, i, pa + (long)i * MR * kc); });
            Par.For(nPanels, 8, (s, e) => PackB(transB, b, ldb, n, pk, kc, s, e, pb));
            Par.For(mBlocks * nChunks, 1, (s, e) =>
            {
                for (int t = s; t < e; t++) Tile(t / nChunks, t % nChunks, m, n, kc, alpha, pa, pb, c, ldc);
            });
        }
    }

    // Per calling thread, reused across calls (workers write only inside Sgemm): pinned, 64-byte aligned.
    [ThreadStatic] private static float[]? _pack;

    private static float* PackBuffer(long floats)
    {
        if (_pack is null || _pack.Length < floats + 16)
            _pack = GC.AllocateUninitializedArray<float>(checked((int)Math.Max(floats + 16, (_pack?.Length ?? 0) * 5L / 4)), pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_pack));
        return (float*)((p + 63) & ~(nint)63);
    }

    // C ← β·C; β = 0 writes zeros (BLAS semantics: NaN/Inf in C do not survive).
    private static void ScaleC(int m, int n, float beta, float* c, int ldc)
    {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear();
            else TensorPrimitives.Multiply(row, beta, row);
        }
    }

    // One C tile: rows [mBlock·MC, +MC) × columns [nChunk·NChunk, +NChunk), C += α·Ã·B̃ over this K slice.
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
                float* cTile = c + (long)i0 * ldc + j0;
                if (rows == MR && cols == NR)
                {
                    if (Vectorized) KernelAvx(kc, aPanel, bPanel, cTile, ldc, alpha);
                    else KernelScalar(kc, aPanel, bPanel, cTile, ldc, alpha);
                    continue;
                }
                // Edge tile: full MR×NR product into tmp, then only the valid part into C.
                new Span<float>(tmp, MR * NR).Clear();
                if (Vectorized) KernelAvx(kc, aPanel, bPanel, tmp, NR, 1f);
                else KernelScalar(kc, aPanel, bPanel, tmp, NR, 1f);
                for (int r = 0; r < rows; r++)
                {
                    float* crow = cTile + (long)r * ldc, trow = tmp + r * NR;
                    for (int q = 0; q < cols; q++) crow[q] = MathF.FusedMultiplyAdd(alpha, trow[q], crow[q]);
                }
            }
        }
    }
}
