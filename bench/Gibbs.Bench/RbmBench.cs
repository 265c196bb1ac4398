// RBM training throughput (PCD-1) — filled in with the RBM benchmark.
namespace Gibbs.Bench;

public static class RbmBench
{
    public static void Run(string[] args) => Console.WriteLine("rbm benchmark: see bench/rbm/README");
}
