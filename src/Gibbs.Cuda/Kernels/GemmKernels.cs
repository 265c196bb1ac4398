// The ILGPU GEMM: row-major C = α·op(A)·op(B) + β·C, batched with element offsets and batch strides, one thread
// per element of C (consecutive threads take consecutive columns, so B and C are read coalesced). It is what the
// CPU accelerator runs in tests, and the fallback on a GPU without libcublas (correct, not fast: no tiling).
// β = 0 overwrites C without reading it (BLAS semantics: NaN in C does not leak through).
using ILGPU;

namespace Gibbs.Cuda.Kernels;

/// <summary>The scalar arguments of one batched GEMM, row-major (see IBackend.Gemm).</summary>
internal struct GemmArgs
{
    public int TransA, TransB, M, N, K, Lda, Ldb, Ldc, Batch;
    public long AOffset, BOffset, COffset, StrideA, StrideB, StrideC;
    public float Alpha, Beta;
}

internal static class GemmKernels
{
    [DeviceKernel]
    public static void Gemm(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmArgs s)
    {
        long stride = (long)Grid.DimX * Group.DimX, mn = (long)s.M * s.N, total = mn * s.Batch;
        for (long e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            long batch = e / mn;
            int rc = (int)(e - batch * mn), row = rc / s.N, col = rc - row * s.N;
            long pa = s.AOffset + batch * s.StrideA, pb = s.BOffset + batch * s.StrideB;
            // op(A)[row, q] and op(B)[q, col] as a base plus q times a step.
            long ai = pa + (s.TransA != 0 ? row : (long)row * s.Lda), aStep = s.TransA != 0 ? s.Lda : 1;
            long bi = pb + (s.TransB != 0 ? (long)col * s.Ldb : col), bStep = s.TransB != 0 ? 1 : s.Ldb;
            float acc = 0f;
            for (int q = 0; q < s.K; q++)
            {
                acc = Fp.Fma(a[ai], b[bi], acc);
                ai += aStep;
                bi += bStep;
            }
            long ci = s.COffset + batch * s.StrideC + (long)row * s.Ldc + col;
            c[ci] = s.Beta == 0f ? s.Alpha * acc : Fp.Fma(s.Alpha, acc, s.Beta * c[ci]);
        }
    }
}
