// The few cuBLAS entry points the backend calls, behind an interface so the row-major → column-major mapping
// (CublasGemm) is tested without a GPU on a recording fake. Pointers are device addresses; statuses are
// cublasStatus_t (0 = success).
namespace Gibbs.Cuda.Blas;

/// <summary>cublasOperation_t.</summary>
internal enum CublasOperation
{
    N = 0,
    T = 1,
}

/// <summary>cublasMath_t values used here.</summary>
internal enum CublasMath
{
    Default = 0,
    Pedantic = 2,
    Tf32TensorOp = 3,
}

internal interface ICublasApi
{
    int Create(out nint handle);
    int Destroy(nint handle);
    int SetStream(nint handle, nint stream);
    int SetMathMode(nint handle, CublasMath mode);
    int GetVersion(nint handle, out int version);

    /// <summary>Column-major C[i] = α·op(A[i])·op(B[i]) + β·C[i] for i &lt; batch (cublasSgemmStridedBatched).</summary>
    int SgemmStridedBatched(nint handle, CublasOperation transA, CublasOperation transB, int m, int n, int k, float alpha,
                            nint a, int lda, long strideA, nint b, int ldb, long strideB, float beta, nint c, int ldc, long strideC, int batch);
}
