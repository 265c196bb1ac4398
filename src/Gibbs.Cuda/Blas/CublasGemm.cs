// GEMM on cuBLAS. cuBLAS is column-major; a row-major matrix read column-major is its transpose, so row-major
// C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands and m with n, keep each operand's own
// transpose flag and leading dimension. Batches map onto cublasSgemmStridedBatched with the same strides.
// Offsets are applied to the device pointers (4 bytes per element).
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Gibbs.Cuda.Blas;

/// <summary>One column-major cublasSgemmStridedBatched call (what CublasGemm.Map produces; tests compare it).</summary>
internal readonly record struct SgemmCall(CublasOperation TransA, CublasOperation TransB, int M, int N, int K, float Alpha,
    nint A, int Lda, long StrideA, nint B, int Ldb, long StrideB, float Beta, nint C, int Ldc, long StrideC, int Batch);

internal sealed class CublasGemm : IDisposable
{
    private readonly ICublasApi _api;
    private nint _handle;
    private CublasMath _mode = CublasMath.Default;

    internal CublasGemm(ICublasApi api, nint stream)
    {
        _api = api;
        Check(_api.Create(out _handle), "cublasCreate_v2");
        Check(_api.SetStream(_handle, stream), "cublasSetStream_v2");
        Check(_api.SetMathMode(_handle, CublasMath.Default), "cublasSetMathMode");
        Version = _api.GetVersion(_handle, out int v) == 0 ? v : 0;
    }

    /// <summary>cuBLAS on <paramref name="accelerator"/>'s <paramref name="stream"/>, or null with the reason (library missing, init failed).</summary>
    public static CublasGemm? TryCreate(CudaAccelerator accelerator, AcceleratorStream stream, out string whyNot)
    {
        if (!CublasLibrary.TryLoad(out whyNot)) return null;
        try
        {
            accelerator.Bind();
            return new CublasGemm(NativeCublas.Instance, ((CudaStream)stream).StreamPtr);
        }
        catch (Exception e) when (e is GibbsException or DllNotFoundException or EntryPointNotFoundException)
        {
            whyNot = e.Message;
            return null;
        }
    }

    /// <summary>cuBLAS's version number (e.g. 120403), 0 if unknown.</summary>
    public int Version { get; }

    /// <summary>The column-major call that computes the row-major batched GEMM of IBackend.Gemm on device pointers.</summary>
    public static SgemmCall Map(bool transA, bool transB, int m, int n, int k, float alpha, nint a, long aOffset, int lda, long strideA,
                                nint b, long bOffset, int ldb, long strideB, float beta, nint c, long cOffset, int ldc, long strideC, int batch) =>
        new(transB ? CublasOperation.T : CublasOperation.N, transA ? CublasOperation.T : CublasOperation.N, n, m, k, alpha,
            b + (nint)(bOffset * sizeof(float)), ldb, strideB,
            a + (nint)(aOffset * sizeof(float)), lda, strideA,
            beta, c + (nint)(cOffset * sizeof(float)), ldc, strideC, batch);

    /// <summary>Row-major batched GEMM (IBackend.Gemm's arguments) on the given device buffers.</summary>
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, long aOffset, int lda, long strideA,
                     ArrayView<float> b, long bOffset, int ldb, long strideB, float beta, ArrayView<float> c, long cOffset, int ldc, long strideC,
                     int batch, bool tf32) =>
        Run(Map(transA, transB, m, n, k, alpha, a.LoadEffectiveAddressAsPtr(), aOffset, lda, strideA,
                b.LoadEffectiveAddressAsPtr(), bOffset, ldb, strideB, beta, c.LoadEffectiveAddressAsPtr(), cOffset, ldc, strideC, batch), tf32);

    /// <summary>Issues one mapped call (math mode switched only when it changes).</summary>
    internal void Run(in SgemmCall s, bool tf32)
    {
        var mode = tf32 ? CublasMath.Tf32TensorOp : CublasMath.Default;
        if (mode != _mode)
        {
            Check(_api.SetMathMode(_handle, mode), "cublasSetMathMode");
            _mode = mode;
        }
        Check(_api.SgemmStridedBatched(_handle, s.TransA, s.TransB, s.M, s.N, s.K, s.Alpha, s.A, s.Lda, s.StrideA,
                                       s.B, s.Ldb, s.StrideB, s.Beta, s.C, s.Ldc, s.StrideC, s.Batch), "cublasSgemmStridedBatched");
    }

    private static void Check(int status, string call)
    {
        if (status != 0) CudaThrow.Cublas(call, status);
    }

    public void Dispose()
    {
        var h = _handle;
        _handle = 0;
        if (h != 0) _api.Destroy(h);
    }
}
