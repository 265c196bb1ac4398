// The real cuBLAS: source-generated [LibraryImport]s of the _v2 entry points, blittable signatures only (the
// assembly disables runtime marshalling). Thin interop, exercised on a GPU only; its argument mapping is tested
// through ICublasApi on a fake.
using System.Runtime.InteropServices;

namespace Gibbs.Cuda.Blas;

internal sealed unsafe partial class NativeCublas : ICublasApi
{
    public static NativeCublas Instance { get; } = new();

    public int Create(out nint handle)
    {
        nint h;
        int s = cublasCreate_v2(&h);
        handle = h;
        return s;
    }

    public int Destroy(nint handle) => cublasDestroy_v2(handle);

    public int SetStream(nint handle, nint stream) => cublasSetStream_v2(handle, stream);

    public int SetMathMode(nint handle, CublasMath mode) => cublasSetMathMode(handle, (int)mode);

    public int GetVersion(nint handle, out int version)
    {
        int v;
        int s = cublasGetVersion_v2(handle, &v);
        version = v;
        return s;
    }

    public int SgemmStridedBatched(nint handle, CublasOperation transA, CublasOperation transB, int m, int n, int k, float alpha,
                                   nint a, int lda, long strideA, nint b, int ldb, long strideB, float beta, nint c, int ldc, long strideC, int batch) =>
        cublasSgemmStridedBatched(handle, (int)transA, (int)transB, m, n, k, &alpha, a, lda, strideA, b, ldb, strideB, &beta, c, ldc, strideC, batch);

    [LibraryImport(CublasLibrary.ImportName)]
    private static partial int cublasCreate_v2(nint* handle);

    [LibraryImport(CublasLibrary.ImportName)]
    private static partial int cublasDestroy_v2(nint handle);

    [LibraryImport(CublasLibrary.ImportName)]
    private static partial int cublasSetStream_v2(nint handle, nint stream);

    [LibraryImport(CublasLibrary.ImportName)]
    private static partial int cublasSetMathMode(nint handle, int mode);

    [LibraryImport(CublasLibrary.ImportName)]
    private static partial int cublasGetVersion_v2(nint handle, int* version);

    [LibraryImport(CublasLibrary.ImportName)]
    private static partial int cublasSgemmStridedBatched(nint handle, int transa, int transb, int m, int n, int k, float* alpha,
                                                         nint a, int lda, long strideA, nint b, int ldb, long strideB, float* beta,
                                                         nint c, int ldc, long strideC, int batchCount);
}
