// `gemm-kernel`: the managed AVX2/FMA micro-kernel alone on L1/L2-resident packed panels — the
// ceiling the blocked driver can reach. Compare with Hardware.MeasuredPeak(1).
using System.Runtime.InteropServices;
using Gibbs.Backends.Cpu.Gemm;

namespace Gibbs.Bench;

public static unsafe class KernelBench
{
    public static void Run()
    {
        const int kc = 256, panels = 16, calls = 2000;
        int mr = ManagedGemm.MR, nr = ManagedGemm.NR;
        float* a = (float*)NativeMemory.AlignedAlloc((nuint)(panels * mr * kc * 4), 64);
        float* b = (float*)NativeMemory.AlignedAlloc((nuint)(nr * kc * 4), 64);
        float* c = (float*)NativeMemory.AlignedAlloc((nuint)(panels * mr * 64 * 4), 64);
        new Span<float>(a, panels * mr * kc).Fill(0.001f);
        new Span<float>(b, nr * kc).Fill(0.001f);
        new Span<float>(c, panels * mr * 64).Clear();
        double sec = Timing.Median(() =>
        {
            for (int r = 0; r < calls; r++)
                for (int p = 0; p < panels; p++) ManagedGemm.KernelAvx(kc, a + p * mr * kc, b, c + p * mr * 64, 64, 1f);
        }, repeats: 9);
        double gf = 2.0 * mr * nr * kc * panels * calls / sec / 1e9, peak = Hardware.MeasuredPeak(1);
        Console.WriteLine($"kernel {mr}×{nr}, kc={kc}, A block {panels * mr}×{kc} (L2), B panel in L1: {gf:F1} GFLOP/s = {100 * gf / peak:F0}% of measured FMA peak {peak:F1}");
        NativeMemory.AlignedFree(a); NativeMemory.AlignedFree(b); NativeMemory.AlignedFree(c);
    }
}
