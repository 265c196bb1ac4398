// Gibbs benchmarks, one subcommand each: `dotnet run -c Release --project bench/Gibbs.Bench -- <gemm|mlp|rbm> [--quick]`.
// Results are printed as Markdown tables for docs/benchmarks.md; Timing.cs holds the shared warm-up/median helper.
using Gibbs.Bench;

var cmd = args.Length > 0 ? args[0] : "help";
bool quick = args.Contains("--quick");
switch (cmd)
{
    case "gemm": GemmBench.Run(args[1..]); break;
    case "gemm-kernel": KernelBench.Run(); break;
    case "mlp": MlpBench.Run(quick); break;
    case "rbm": RbmBench.Run(args.Skip(1).ToArray()); break;
    default:
        Console.WriteLine("usage: Gibbs.Bench gemm [--quick] [--threads 1,2] [--no-numpy] | gemm-kernel | mlp [--quick] | rbm");
        return cmd == "help" ? 0 : 2;
}
return 0;
