// Thread-count-independent parallel GEMM around a single-threaded provider: C is cut into a fixed grid
// of row (or column) blocks that depends only on the shape, and each block is one call of the inner
// GEMM. OpenBLAS's own threading splits K differently with 1 and 2 threads (results differ in the last
// bits for k ≥ ~500), which would break "same seed, same result" across thread counts.
using Gibbs.Internals;

namespace Gibbs.Backends.Cpu.Gemm;

public sealed unsafe class FixedPartitionGemm(IGemm inner) : IGemm
{
    /// <summary>Smallest rows or columns per block.</summary>
    public const int Block = 128;

    /// <summary>Blocks along the split dimension: about four (≥ 128 wide, a multiple of 16), so each block's call repacks the other operand rarely.</summary>
    internal static int BlockFor(int dim) => Math.Max(Block, (dim / 4 + 15) / 16 * 16);

    /// <summary>Below this many multiply-adds the product runs as one call (threading would not pay).</summary>
    public const long SerialBelow = 1L << 20;

    public IGemm Inner { get; } = inner;

    public string Name => Inner.Name;

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
                      float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if ((long)m * n * k < SerialBelow || (m <= Block && n <= Block))
        {
            Inner.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        if (m >= n)
        {
            Par.For(m, BlockFor(m), (i0, i1) =>
                Inner.Sgemm(transA, transB, i1 - i0, n, k, alpha,
                    (float*)pa + (transA ? i0 : (long)i0 * lda), lda, (float*)pb, ldb, beta, (float*)pc + (long)i0 * ldc, ldc));
        }
        else
        {
            Par.For(n, BlockFor(n), (j0, j1) =>
                Inner.Sgemm(transA, transB, m, j1 - j0, k, alpha,
                    (float*)pa, lda, (float*)pb + (transB ? (long)j0 * ldb : j0), ldb, beta, (float*)pc + j0, ldc));
        }
    }
}
