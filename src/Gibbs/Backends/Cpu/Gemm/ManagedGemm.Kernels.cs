// Micro-kernels: tmp[6×16] = Σ_kk aPanel[kk][r] · bPanel[kk][q]. The AVX2 kernel keeps the 6×16 tile
// in 12 ymm accumulators (plus two B vectors and one broadcast: 15 of 16 registers).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gibbs.Backends.Cpu.Gemm;

public sealed unsafe partial class ManagedGemm
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelAvx(int kc, float* a, float* b, float* tmp)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
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
        Avx.Store(tmp, c00); Avx.Store(tmp + 8, c01);
        Avx.Store(tmp + 16, c10); Avx.Store(tmp + 24, c11);
        Avx.Store(tmp + 32, c20); Avx.Store(tmp + 40, c21);
        Avx.Store(tmp + 48, c30); Avx.Store(tmp + 56, c31);
        Avx.Store(tmp + 64, c40); Avx.Store(tmp + 72, c41);
        Avx.Store(tmp + 80, c50); Avx.Store(tmp + 88, c51);
    }

    private static void KernelScalar(int kc, float* a, float* b, float* tmp)
    {
        new Span<float>(tmp, MR * NR).Clear();
        for (int kk = 0; kk < kc; kk++)
        {
            for (int r = 0; r < MR; r++)
            {
                float x = a[r];
                float* t = tmp + r * NR;
                for (int q = 0; q < NR; q++) t[q] = MathF.FusedMultiplyAdd(x, b[q], t[q]);
            }
            a += MR;
            b += NR;
        }
    }
}
