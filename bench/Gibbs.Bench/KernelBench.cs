// `gemm-kernel`: each managed micro-kernel this CPU runs, alone on L1/L2-resident packed panels — the
// ceiling the blocked driver can reach — beside the measured FMA peak of the same vector width.
using System.Runtime.InteropServices;
using Gibbs.Backends.Cpu.Gemm;

namespace Gibbs.Bench;

public static unsafe class KernelBench
{
    public static void Run()
    {
        double peak256 = Hardware.MeasuredPeak(1, wide: false), peak512 = Hardware.MeasuredPeak(1, wide: true);
        Console.WriteLine($"measured FMA peak, 1 thread: {peak256:F1} GFLOP/s (256-bit), {peak512:F1} GFLOP/s (512-bit)");
        foreach (var (isa, kernel) in new (GemmIsa, nint)[] { (GemmIsa.Avx512, (nint)(delegate*<int, float*, float*, float*, long, float, void>)&ManagedGemm.Kernel512),
                                                             (GemmIsa.Avx2, (nint)(delegate*<int, float*, float*, float*, long, float, void>)&ManagedGemm.KernelAvx) })
        {
            if (!ManagedGemm.Supports(isa)) { Console.WriteLine($"{isa}: not supported by this CPU"); continue; }
            var (mr, nr) = new ManagedGemm(isa).TileShape;
            var k = (delegate*<int, float*, float*, float*, long, float, void>)kernel;
            const int kc = 256, panels = 8, calls = 2000;
            float* a = (float*)NativeMemory.AlignedAlloc((nuint)(panels * mr * kc * 4), 64);
            float* b = (float*)NativeMemory.AlignedAlloc((nuint)(nr * kc * 4), 64);
            float* c = (float*)NativeMemory.AlignedAlloc((nuint)(panels * mr * nr * 4), 64);
            new Span<float>(a, panels * mr * kc).Fill(0.001f);
            new Span<float>(b, nr * kc).Fill(0.001f);
            new Span<float>(c, panels * mr * nr).Clear();
            double sec = Timing.Median(() =>
            {
                for (int r = 0; r < calls; r++)
                    for (int p = 0; p < panels; p++) k(kc, a + p * mr * kc, b, c + p * mr * nr, nr, 1f);
            }, repeats: 9);
            double gf = 2.0 * mr * nr * kc * panels * calls / sec / 1e9, peak = isa == GemmIsa.Avx512 ? peak512 : peak256;
            Console.WriteLine($"{isa} kernel {mr}×{nr}, kc={kc}, A block {panels * mr}×{kc} (L2), B panel in L1: {gf:F1} GFLOP/s = {100 * gf / peak:F0}% of the measured {(isa == GemmIsa.Avx512 ? 512 : 256)}-bit FMA peak");
            NativeMemory.AlignedFree(a); NativeMemory.AlignedFree(b); NativeMemory.AlignedFree(c);
        }
    }
}
