// Gibbs benchmarks: `dotnet run -c Release --project bench/Gibbs.Bench -- <gemm|mlp|rbm> [--quick]`.
// Results are printed as a Markdown table (and one JSON line) for docs/benchmarks.md.
using Gibbs.Bench;

var cmd = args.Length > 0 ? args[0] : "help";
bool quick = args.Contains("--quick");
switch (cmd)
{
    case "gemm": GemmBench.Run(quick); break;
    case "mlp": MlpBench.Run(quick); break;
    case "rbm": RbmBench.Run(args.Skip(1).ToArray()); break;
    default:
        Console.WriteLine("usage: Gibbs.Bench gemm|mlp|rbm [--quick]");
        return cmd == "help" ? 0 : 2;
}
return 0;
