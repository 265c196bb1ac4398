// Micro-kernels of the managed SGEMM: C[6×16] += α · Σ_kk aPanel[kk][r] · bPanel[kk][q] over one K
// slice. The AVX2 kernel keeps the tile in 12 ymm accumulators (plus two B vectors and one broadcast:
// 15 of 16 registers) and folds α in with one FMA per C vector; the scalar kernel has the same contract.
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
            a += MR;
            b += NR;
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

    private static void KernelScalar(int kc, float* a, float* b, float* c, long ldc, float alpha)
    {
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
            a += MR;
            b += NR;
        }
        for (int r = 0; r < MR; r++)
            for (int q = 0; q < NR; q++) c[r * ldc + q] = MathF.FusedMultiplyAdd(alpha, acc[r * NR + q], c[r * ldc + q]);
    }
}
