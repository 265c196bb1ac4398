// Gibbs benchmarks, one subcommand each: `dotnet run -c Release --project bench/Gibbs.Bench -- <gemm|gemm-kernel|peak|mlp|ae|op-overhead|rbm|gm|binary-input|ace|dem> [--quick]`.
// Results are printed as Markdown tables for docs/benchmarks.md; Timing.cs holds the shared warm-up/median helper.
using Gibbs.Bench;

var cmd = args.Length > 0 ? args[0] : "help";
bool quick = args.Contains("--quick");
switch (cmd)
{
    case "gemm": GemmBench.Run(args[1..]); break;
    case "gemm-kernel": KernelBench.Run(); break;
    case "mlp": MlpBench.Run(quick); break;
    case "ae": MlpBench.RunAgainstTorch(args[1..]); break;
    case "op-overhead": OpBench.Run(); break;
    case "peak": PeakReport(); break;
    case "rbm": RbmBench.Run(args.Skip(1).ToArray()); break;
    case "gm": GmBench.Run(args[1..]); break;
    case "binary-input": BinaryInputBench.Run(); break;
    case "ace": AceBench.Run(args[1..]); break;
    case "dem": DemBench.Run(args[1..]); break;
    case "ridge": RidgeBench.Run(args[1..]); break;
    case "logistic": LogisticBench.Run(args[1..]); break;
    case "cuda": CudaBench.Run(args[1..]); break;
    default:
        Console.WriteLine("usage: Gibbs.Bench gemm [--quick] [--threads 1,2] [--no-numpy] | gemm-kernel | peak | mlp [--quick] | ae [--rounds N] [--batches 100,1000] | op-overhead | rbm | gm [--rounds N] [--batches 100,1000] | binary-input | ace [--rounds N] [--batches 100,1000] | dem [--rounds N] [--sizes 2-D,images] [--profile]");
        return cmd == "help" ? 0 : 2;
}
return 0;

static void PeakReport()
{
    Console.WriteLine($"CPU: {Timing.CpuModel()}; {Hardware.Date()}; load {Hardware.Load()}; nominal {Hardware.NominalGHz():F3} GHz");
    foreach (int t in new[] { 1, 2 })
        Console.WriteLine($"{t} thread(s): 256-bit FMA {Hardware.MeasuredPeak(t):F1} GFLOP/s, 512-bit FMA {Hardware.MeasuredPeak(t, wide: true):F1} GFLOP/s");
}
