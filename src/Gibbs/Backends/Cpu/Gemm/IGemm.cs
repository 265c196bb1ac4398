// A CPU single-precision GEMM provider. Row-major: C[m×n] = α·op(A)·op(B) + β·C, where op(A) is
// A[m×k] (lda ≥ k) or, transposed, A stored [k×m] (lda ≥ m); likewise B. Results must not depend on
// the thread count (split over m and n, never over k).
namespace Gibbs.Backends.Cpu.Gemm;

public unsafe interface IGemm
{
    /// <summary>e.g. "OpenBLAS 0.3.21 (pthread)" or "managed (AVX2+FMA)".</summary>
    string Name { get; }

    void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
               float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);
}
