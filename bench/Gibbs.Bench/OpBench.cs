// `op-overhead`: the fixed cost of one small op (16 elements), where the arithmetic is nothing and the
// bookkeeping is everything — nanoseconds per op and managed bytes per op in steady state
// (GC.GetAllocatedBytesForCurrentThread, exact). Functional ops allocate their result (a Tensor and
// its Storage object); in-place ops nothing; a recorded op also its tape node.
namespace Gibbs.Bench;

public static class OpBench
{
    public static void Run()
    {
        using var keep = TensorScope.Begin();
        var a = Tensor.Full([16], 0.5f);
        var b = Tensor.Full([16], 0.25f);
        var row = Tensor.Full([4], 1f);
        var m = Tensor.Full([4, 4], 1f);
        var w = Tensor.Full([16], 0.1f).RequireGrad();
        Console.WriteLine($"CPU: {Timing.CpuModel()}; {Hardware.Date()}; load {Hardware.Load()}");
        Console.WriteLine("| op (16 elements) | ns/op | bytes/op |");
        Console.WriteLine("|---|---:|---:|");
        Row("a + b", () => (a + b).Dispose());
        Row("a.Exp()", () => a.Exp().Dispose());
        Row("m[4×4] + row[4] (broadcast)", () => (m + row).Dispose());
        Row("a · 2", () => (a * 2f).Dispose());
        Row("a.Sum()", () => a.Sum().Dispose());
        Row("a.AddInPlace(b)", () => a.AddInPlace(b));
        Row("a.MulInPlace(b)", () => a.MulInPlace(b));
        Row("a · w, recorded for backward", () => { using var s = TensorScope.Begin(); _ = a * w; });
        using (Autograd.NoGrad()) Row("a · w under NoGrad", () => (a * w).Dispose());
        Row("a + b inside its own scope", () => { using var s = TensorScope.Begin(); _ = a + b; });
    }

    private static void Row(string name, Action op)
    {
        const int n = 200_000;
        for (int i = 0; i < 50_000; i++) op();   // past tiered compilation
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < n; i++) op();
        double bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)n;
        double sec = Timing.Median(() => { for (int i = 0; i < n; i++) op(); }, repeats: 5, warmup: 1);
        Console.WriteLine($"| {name} | {sec / n * 1e9:F0} | {bytes:F0} |");
    }
}
