// Batched GEMM: cuBLAS (FP32, or TF32 tensor cores when Tf32 is set) on a CUDA accelerator with libcublas; the
// ILGPU GEMM kernel otherwise (the CPU accelerator in tests, or a GPU machine without libcublas).
using Gibbs.Backends;
using Gibbs.Cuda.Kernels;

namespace Gibbs.Cuda;

public sealed partial class IlgpuBackend
{
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     Storage a, int aOffset, int lda, long strideA,
                     Storage b, int bOffset, int ldb, long strideB,
                     float beta, Storage c, int cOffset, int ldc, long strideC, int batch = 1)
    {
        if (m <= 0 || n <= 0 || batch <= 0) return;
        lock (_gate)
        {
            Enter();
            if (_cublas is not null)
            {
                Launches++;
                _cublas.Gemm(transA, transB, m, n, k, alpha, View(a), aOffset, lda, strideA, View(b), bOffset, ldb, strideB,
                             beta, View(c), cOffset, ldc, strideC, batch, Tf32);
                return;
            }
            var args = new GemmArgs
            {
                TransA = transA ? 1 : 0, TransB = transB ? 1 : 0, M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc, Batch = batch,
                AOffset = aOffset, BOffset = bOffset, COffset = cOffset, StrideA = strideA, StrideB = strideB, StrideC = strideC,
                Alpha = alpha, Beta = beta,
            };
            _k.Gemm(_stream, Config((long)m * n * batch), View(a), View(b), View(c), args);
        }
    }
}
