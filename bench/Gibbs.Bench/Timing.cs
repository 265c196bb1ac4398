// Timing helper: warm-up, repeated runs, median — benchmarks report medians, never single shots.
using System.Diagnostics;

namespace Gibbs.Bench;

public static class Timing
{
    /// <summary>Median seconds of <paramref name="repeats"/> runs after <paramref name="warmup"/> unmeasured ones.</summary>
    public static double Median(Action run, int repeats = 7, int warmup = 2)
    {
        for (int i = 0; i < warmup; i++) run();
        var t = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            t[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(t);
        return t[repeats / 2];
    }

    /// <summary>This machine's CPU model from /proc/cpuinfo.</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException) { return "unknown CPU"; }
    }
}
