// This machine's fp32 limits: the nominal peak from /proc/cpuinfo (cores × GHz × 2 FMA ports ×
// 8 lanes × 2 flops, the AVX2 rate) and measured ones — independent FMA chains on every thread, with
// 256-bit and with 512-bit vectors — which expose turbo clocks the nominal figure does not know about
// and whether 512-bit FMAs run at full width (Zen 5, Intel server cores) or as two halves (Zen 4).
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gibbs.Bench;

public static class Hardware
{
    /// <summary>Clock in GHz from /proc/cpuinfo's "cpu MHz" (on VMs: the TSC/base clock), or NaN.</summary>
    public static double NominalGHz()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("cpu MHz", StringComparison.Ordinal));
            return line is not null && double.TryParse(line.Split(':', 2)[1], System.Globalization.CultureInfo.InvariantCulture, out var mhz)
                ? mhz / 1000 : double.NaN;
        }
        catch (IOException) { return double.NaN; }
    }

    /// <summary>Nominal fp32 peak in GFLOP/s for <paramref name="threads"/> cores: threads × GHz × 2 ports × 8 lanes × 2.</summary>
    public static double NominalPeak(int threads) => threads * NominalGHz() * 2 * 8 * 2;

    /// <summary>
    /// Measured fp32 FMA throughput (GFLOP/s) with <paramref name="threads"/> threads: the best of 7 runs,
    /// since other work on the machine can only slow a run down.
    /// </summary>
    public static double MeasuredPeak(int threads, bool wide = false)
    {
        if (wide ? !Avx512F.IsSupported : !Fma.IsSupported) return double.NaN;
        const long iters = 10_000_000;
        double best = double.MaxValue;
        for (int r = 0; r < 8; r++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => { if (wide) Chains512(iters); else Chains(iters); });
            if (r > 0) best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return threads * iters * 10 * (wide ? 16 : 8) * 2 / best / 1e9;
    }

    // 10 independent FMA chains hide the 4-cycle latency on 2 ports; the result is kept alive.
    private static float Chains(long iters)
    {
        var x = Vector256.Create(1.0000001f);
        var y = Vector256.Create(0.9999999f);
        Vector256<float> a0 = x, a1 = y, a2 = x, a3 = y, a4 = x, a5 = y, a6 = x, a7 = y, a8 = x, a9 = y;
        for (long i = 0; i < iters; i++)
        {
            a0 = Fma.MultiplyAdd(a0, x, y); a1 = Fma.MultiplyAdd(a1, x, y); a2 = Fma.MultiplyAdd(a2, x, y);
            a3 = Fma.MultiplyAdd(a3, x, y); a4 = Fma.MultiplyAdd(a4, x, y); a5 = Fma.MultiplyAdd(a5, x, y);
            a6 = Fma.MultiplyAdd(a6, x, y); a7 = Fma.MultiplyAdd(a7, x, y); a8 = Fma.MultiplyAdd(a8, x, y);
            a9 = Fma.MultiplyAdd(a9, x, y);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).GetElement(0);
    }

    private static float Chains512(long iters)
    {
        var x = Vector512.Create(1.0000001f);
        var y = Vector512.Create(0.9999999f);
        Vector512<float> a0 = x, a1 = y, a2 = x, a3 = y, a4 = x, a5 = y, a6 = x, a7 = y, a8 = x, a9 = y;
        for (long i = 0; i < iters; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, x, y); a1 = Avx512F.FusedMultiplyAdd(a1, x, y); a2 = Avx512F.FusedMultiplyAdd(a2, x, y);
            a3 = Avx512F.FusedMultiplyAdd(a3, x, y); a4 = Avx512F.FusedMultiplyAdd(a4, x, y); a5 = Avx512F.FusedMultiplyAdd(a5, x, y);
            a6 = Avx512F.FusedMultiplyAdd(a6, x, y); a7 = Avx512F.FusedMultiplyAdd(a7, x, y); a8 = Avx512F.FusedMultiplyAdd(a8, x, y);
            a9 = Avx512F.FusedMultiplyAdd(a9, x, y);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).GetElement(0);
    }

    /// <summary>The best measured peak: 512-bit where the CPU has AVX-512F and it is faster, else 256-bit.</summary>
    public static double BestPeak(int threads)
    {
        double p256 = MeasuredPeak(threads), p512 = MeasuredPeak(threads, wide: true);
        return double.IsNaN(p512) ? p256 : Math.Max(p256, p512);
    }

    /// <summary>Clock the measured peak implies, in GHz.</summary>
    public static double ImpliedGHz(double measuredPeak, int threads) => measuredPeak / (threads * 2 * 8 * 2);

    public static string Date() => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>/proc/loadavg: other work on the machine disturbs the timings.</summary>
    public static string Load()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); }
        catch (IOException) { return "?"; }
    }
}
