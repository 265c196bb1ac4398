// SGEMM throughput of each CPU provider at the shapes the models use (forward and backward GEMMs).
using Gibbs.Backends.Cpu.Gemm;

namespace Gibbs.Bench;

public static unsafe class GemmBench
{
    public static void Run(bool quick)
    {
        (string Name, int M, int N, int K, bool TA, bool TB)[] shapes =
        [
            ("fwd 100×784→500", 100, 500, 784, false, false),
            ("fwd 1000×784→700", 1000, 700, 784, false, false),
            ("fwd 1000×700→400", 1000, 400, 700, false, false),
            ("bwd dW 784×700 (Aᵀ·G, batch 1000)", 784, 700, 1000, true, false),
            ("bwd dX 1000×784 (G·Wᵀ)", 1000, 784, 700, false, true),
        ];
        var providers = new List<IGemm> { new ManagedGemm() };
        if (GemmProvider.OpenBlasAvailable) providers.Insert(0, GemmProvider.Create("openblas"));
        Console.WriteLine($"CPU: {Timing.CpuModel()}, {Environment.ProcessorCount} cores; threads: {Engine.Threads}");
        Console.WriteLine("| shape | " + string.Join(" | ", providers.Select(p => p.Name + " GFLOP/s")) + " | managed / OpenBLAS |");
        Console.WriteLine("|---|" + string.Concat(providers.Select(_ => "---|")) + "---|");
        foreach (var s in shapes)
        {
            var a = Fill(s.M * s.K);
            var b = Fill(s.K * s.N);
            var c = new float[s.M * s.N];
            var rates = new List<double>();
            foreach (var p in providers)
            {
                double sec;
                fixed (float* pa = a, pb = b, pc = c)
                {
                    nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
                    sec = Timing.Median(() => p.Sgemm(s.TA, s.TB, s.M, s.N, s.K, 1f, (float*)ia, s.TA ? s.M : s.K, (float*)ib, s.TB ? s.K : s.N, 0f, (float*)ic, s.N),
                        repeats: quick ? 3 : 9);
                }
                rates.Add(2.0 * s.M * s.N * s.K / sec / 1e9);
            }
            string ratio = rates.Count > 1 ? $"{rates[^1] / rates[0]:F2}" : "–";
            Console.WriteLine($"| {s.Name} | " + string.Join(" | ", rates.Select(r => r.ToString("F1"))) + $" | {ratio} |");
        }
    }

    private static float[] Fill(int n)
    {
        var r = new Random(1);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)r.NextDouble() - 0.5f;
        return x;
    }
}
