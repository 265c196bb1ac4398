// `gemm`: SGEMM GFLOP/s of OpenBLAS (own threading, and as Gibbs runs it), the managed kernel and the numpy peer at the model's forward and
// backward shapes, with 1 and 2 threads, as a fraction of this CPU's fp32 peak. Markdown table out.
// Options: --quick (3 rounds instead of 7), --threads 1,2, --no-numpy. The machine may be shared:
// providers are interleaved round by round so a disturbance hits both, and medians are reported.
using Gibbs.Backends.Cpu.Gemm;

namespace Gibbs.Bench;

public static unsafe class GemmBench
{
    /// <summary>(label, m, n, k, transA, transB): C[m×n] = op(A)[m×k]·op(B)[k×n].</summary>
    public static readonly (string Name, int M, int N, int K, bool TA, bool TB)[] Shapes =
    [
        ("fwd 100×784→500", 100, 500, 784, false, false),
        ("fwd 1000×784→700", 1000, 700, 784, false, false),
        ("fwd 1000×700→400", 1000, 400, 700, false, false),
        ("fwd 100×500→784", 100, 784, 500, false, false),
        ("dW 784×700 = Xᵀ·G (B=1000)", 784, 700, 1000, true, false),
        ("dX 1000×784 = G·Wᵀ", 1000, 784, 700, false, true),
        ("dW 784×500 = Xᵀ·G (B=100)", 784, 500, 100, true, false),
        ("dX 100×784 = G·Wᵀ", 100, 784, 500, false, true),
    ];

    public static string Spec((string Name, int M, int N, int K, bool TA, bool TB) s) =>
        $"{s.M}x{s.N}x{s.K}:{(s.TA ? 'T' : 'N')}{(s.TB ? 'T' : 'N')}";

    public static void Run(string[] args)
    {
        bool quick = args.Contains("--quick"), numpy = !args.Contains("--no-numpy");
        int rounds = quick ? 3 : 7, repeats = 5;
        int[] threadCounts = Option(args, "--threads")?.Split(',').Select(int.Parse).ToArray() ?? [1, 2];
        // Column order: OpenBLAS with its own threading (the reference rate), OpenBLAS as Gibbs runs it
        // (single-threaded calls in FixedPartitionGemm: bit-identical for any thread count), managed.
        var providers = new List<IGemm>();
        if (GemmProvider.OpenBlasAvailable) providers.AddRange([GemmProvider.Create("openblas-threaded"), GemmProvider.Create("openblas")]);
        else Console.WriteLine($"OpenBLAS: {GemmProvider.OpenBlasUnavailableReason}");
        providers.Add(new ManagedGemm());

        // Per-core peak: the best of several measurements (disturbance only lowers them).
        double core = Enumerable.Range(0, 3).Max(_ => Hardware.MeasuredPeak(1));
        Console.WriteLine($"CPU: {Timing.CpuModel()}, {Environment.ProcessorCount} cores, cpuinfo clock {Hardware.NominalGHz():F3} GHz; {Hardware.Date()}; load {Hardware.Load()}");
        Console.WriteLine($"providers: {(GemmProvider.OpenBlasAvailable ? GemmProvider.RequireOpenBlas().Config + "; " : "")}{new ManagedGemm().Name}");
        if (numpy) Console.WriteLine($"peer: {NumpyPeer.BlasConfig()}");
        Console.WriteLine($"peak: nominal {Hardware.NominalPeak(1):F1} GFLOP/s per core at {Hardware.NominalGHz():F2} GHz; measured FMA {core:F1} per core (≈ {Hardware.ImpliedGHz(core, 1):F2} GHz) — % peak uses threads × measured");
        Console.WriteLine($"method: per shape {rounds} rounds, providers interleaved; each rate is the median of {repeats} timed calls after 3 warm-ups; table = median over rounds (ratio = median of per-round ratios)");
        Console.WriteLine();
        foreach (int t in threadCounts)
        {
            double now = Hardware.MeasuredPeak(t);
            core = Math.Max(core, now / t);
            double peak = t * core;
            Console.WriteLine($"threads {t}: peak {peak:F1} GFLOP/s = {t} × {core:F1} (measured now with {t} threads: {now:F1}; lower means other work shares the cores)");
            Dictionary<string, double>? peer = null;
            if (numpy)
            {
                peer = NumpyPeer.Run(Shapes.Select(Spec), t, 15, out var why);
                if (peer is null) Console.WriteLine(why);
            }
            Console.WriteLine("| shape (m×n×k, op) | threads | " + string.Join(" | ", providers.Select(Short)) +
                              " | managed / OpenBLAS | managed / Gibbs-OpenBLAS | OpenBLAS % peak | managed % peak | numpy GFLOP/s | numpy / OpenBLAS |");
            Console.WriteLine("|---|---|" + string.Concat(providers.Select(_ => "---:|")) + "---:|---:|---:|---:|---:|---:|");
            foreach (var s in Shapes)
            {
                var perRound = Enumerable.Range(0, rounds).Select(_ => providers.Select(p => Measure(p, s, t, repeats)).ToArray()).ToArray();
                var rates = providers.Select((_, i) => Median(perRound.Select(r => r[i]))).ToArray();
                bool hasOb = providers.Count == 3;
                double ob = hasOb ? rates[0] : double.NaN, mg = rates[^1];
                string ratio = hasOb ? $"{Median(perRound.Select(r => r[^1] / r[0])):F2}" : "–";
                string ratioFixed = hasOb ? $"{Median(perRound.Select(r => r[^1] / r[1])):F2}" : "–";
                double np = peer?.GetValueOrDefault(Spec(s), double.NaN) ?? double.NaN;
                Console.WriteLine($"| {s.Name} ({Spec(s)}) | {t} | " + string.Join(" | ", rates.Select(r => $"{r:F1}")) +
                                  $" | {ratio} | {ratioFixed} | {Pct(ob, peak)} | {Pct(mg, peak)} | {F(np)} | {Ratio(np, ob)} |");
            }
            Console.WriteLine();
        }
    }

    private static double Median(IEnumerable<double> xs)
    {
        var a = xs.Order().ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
    }

    /// <summary>Median GFLOP/s of one provider at one shape; Engine.Threads (and so OpenBLAS's threads) set to <paramref name="threads"/>.</summary>
    public static double Measure(IGemm g, (string Name, int M, int N, int K, bool TA, bool TB) s, int threads, int repeats)
    {
        int saved = Engine.Threads;
        Engine.Threads = threads;
        // OpenBLAS's idle workers spin for a while after a call; let them park before timing another provider.
        Thread.Sleep(150);
        try
        {
            var a = Fill(s.M * s.K, 1);
            var b = Fill(s.K * s.N, 2);
            var c = new float[s.M * s.N];
            fixed (float* pa = a, pb = b, pc = c)
            {
                nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
                double sec = Timing.Median(() => g.Sgemm(s.TA, s.TB, s.M, s.N, s.K, 1f, (float*)ia, s.TA ? s.M : s.K,
                                                         (float*)ib, s.TB ? s.K : s.N, 0f, (float*)ic, s.N), repeats, warmup: 3);
                return 2.0 * s.M * s.N * s.K / sec / 1e9;
            }
        }
        finally { Engine.Threads = saved; }
    }

    private static string Short(IGemm g) => g switch
    {
        FixedPartitionGemm => "Gibbs-OpenBLAS (fixed partition) GFLOP/s",
        ManagedGemm => "managed GFLOP/s",
        _ => "OpenBLAS (own threads) GFLOP/s",
    };
    private static string Ratio(double x, double y) => double.IsNaN(x) || double.IsNaN(y) ? "–" : $"{x / y:F2}";
    private static string Pct(double x, double peak) => double.IsNaN(x) || double.IsNaN(peak) ? "–" : $"{100 * x / peak:F0}%";
    private static string F(double x) => double.IsNaN(x) ? "–" : $"{x:F1}";

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static float[] Fill(int n, int seed)
    {
        var r = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)r.NextDouble() - 0.5f;
        return x;
    }
}
