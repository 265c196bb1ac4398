// Micro-kernels of the managed SGEMM: C[MR×NR] += α · Σ_kk aPanel[kk][r] · bPanel[kk][q] over one K
// slice. AVX-512: 14×32 in 28 zmm accumulators (plus two B vectors and one broadcast: 31 of 32
// registers). AVX2: 6×16 in 12 ymm accumulators (15 of 16). Scalar: 6×16. Each folds α in with one
// FMA per C element after the k loop, and every C element is the same FMA chain in every kernel.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gibbs.Backends.Cpu.Gemm;

public sealed unsafe partial class ManagedGemm
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void KernelAvx(int kc, float* a, float* b, float* c, long ldc, float alpha)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = Avx.LoadAlignedVector256(b);
            var b1 = Avx.LoadAlignedVector256(b + 8);
            var x = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
            a += 6;
            b += 16;
        }
        var al = Vector256.Create(alpha);
        Update(c, al, c00, c01); c += ldc;
        Update(c, al, c10, c11); c += ldc;
        Update(c, al, c20, c21); c += ldc;
        Update(c, al, c30, c31); c += ldc;
        Update(c, al, c40, c41); c += ldc;
        Update(c, al, c50, c51);
    }

    // c[0..16) = α·(lo, hi) + c[0..16), one rounding per element.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> alpha, Vector256<float> lo, Vector256<float> hi)
    {
        Avx.Store(c, Fma.MultiplyAdd(alpha, lo, Avx.LoadVector256(c)));
        Avx.Store(c + 8, Fma.MultiplyAdd(alpha, hi, Avx.LoadVector256(c + 8)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel512(int kc, float* a, float* b, float* c, long ldc, float alpha)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        Vector512<float> c80 = default, c81 = default, c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        Vector512<float> cc0 = default, cc1 = default, cd0 = default, cd1 = default;
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = Avx512F.LoadAlignedVector512(b);
            var b1 = Avx512F.LoadAlignedVector512(b + 16);
            var x = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = Avx512F.FusedMultiplyAdd(x, b0, c80); c81 = Avx512F.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Avx512F.FusedMultiplyAdd(x, b0, c90); c91 = Avx512F.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a[10]); ca0 = Avx512F.FusedMultiplyAdd(x, b0, ca0); ca1 = Avx512F.FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(a[11]); cb0 = Avx512F.FusedMultiplyAdd(x, b0, cb0); cb1 = Avx512F.FusedMultiplyAdd(x, b1, cb1);
            x = Vector512.Create(a[12]); cc0 = Avx512F.FusedMultiplyAdd(x, b0, cc0); cc1 = Avx512F.FusedMultiplyAdd(x, b1, cc1);
            x = Vector512.Create(a[13]); cd0 = Avx512F.FusedMultiplyAdd(x, b0, cd0); cd1 = Avx512F.FusedMultiplyAdd(x, b1, cd1);
            a += 14;
            b += 32;
        }
        var al = Vector512.Create(alpha);
        Update(c, al, c00, c01); c += ldc; Update(c, al, c10, c11); c += ldc; Update(c, al, c20, c21); c += ldc;
        Update(c, al, c30, c31); c += ldc; Update(c, al, c40, c41); c += ldc; Update(c, al, c50, c51); c += ldc;
        Update(c, al, c60, c61); c += ldc; Update(c, al, c70, c71); c += ldc; Update(c, al, c80, c81); c += ldc;
        Update(c, al, c90, c91); c += ldc; Update(c, al, ca0, ca1); c += ldc; Update(c, al, cb0, cb1); c += ldc;
        Update(c, al, cc0, cc1); c += ldc; Update(c, al, cd0, cd1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> alpha, Vector512<float> lo, Vector512<float> hi)
    {
        Avx512F.Store(c, Avx512F.FusedMultiplyAdd(alpha, lo, Avx512F.LoadVector512(c)));
        Avx512F.Store(c + 16, Avx512F.FusedMultiplyAdd(alpha, hi, Avx512F.LoadVector512(c + 16)));
    }

    internal static void KernelScalar(int kc, float* a, float* b, float* c, long ldc, float alpha)
    {
        const int MR = 6, NR = 16;
        float* acc = stackalloc float[MR * NR];
        new Span<float>(acc, MR * NR).Clear();
        for (int kk = 0; kk < kc; kk++)
        {
            for (int r = 0; r < MR; r++)
            {
                float x = a[r];
                float* t = acc + r * NR;
                for (int q = 0; q < NR; q++) t[q] = MathF.FusedMultiplyAdd(x, b[q], t[q]);
            }
            a += 6;
            b += 16;
        }
        for (int r = 0; r < MR; r++)
            for (int q = 0; q < NR; q++) c[r * ldc + q] = MathF.FusedMultiplyAdd(alpha, acc[r * NR + q], c[r * ldc + q]);
    }
}
