// The reference GEMM: a plain triple loop with double accumulation. Slow on purpose; tests compare
// the fast providers against it. Not for production use.
namespace Gibbs.Backends.Cpu.Gemm;

public sealed unsafe class ReferenceGemm : IGemm
{
    public string Name => "reference (scalar, double accumulation)";

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
                      float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[(long)p * lda + i] : a[(long)i * lda + p];
                    float bv = transB ? b[(long)j * ldb + p] : b[(long)p * ldb + j];
                    s += (double)av * bv;
                }
                float* cij = c + (long)i * ldc + j;
                *cij = beta == 0 ? (float)(alpha * s) : (float)(alpha * s + beta * *cij);
            }
    }
}
