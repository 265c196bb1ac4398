// RBM training throughput: seconds per epoch of PCD-1 (and other solvers) on binarised Fashion-MNIST
// (60,000 × 784) or synthetic binary data, the FLOPs that epoch needs, and the GEMM rate reached.
// Usage: Gibbs.Bench rbm [--data fashion-mnist|synthetic] [--batch 100] [--hidden 500] [--epochs 1] [--solver pcd] [--lr 0.01]
using System.Diagnostics;
using Gibbs.Data;
using Gibbs.Models.Rbm;
using Gibbs.Rng;

namespace Gibbs.Bench;

public static class RbmBench
{
    public static void Run(string[] args)
    {
        string Arg(string name, string fallback) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback; }
        string dataName = Arg("--data", "fashion-mnist");
        int batch = int.Parse(Arg("--batch", "100")), hidden = int.Parse(Arg("--hidden", "500")), epochs = int.Parse(Arg("--epochs", "1"));
        var solver = Enum.Parse<RbmSolver>(Arg("--solver", "pcd"), ignoreCase: true);
        float lr = float.Parse(Arg("--lr", "0.01"), System.Globalization.CultureInfo.InvariantCulture);
        float[] x;
        int n;
        if (dataName == "synthetic")
        {
            n = 60000;
            x = new float[n * 784];
            var g = new Generator(1);
            for (int i = 0; i < x.Length; i++) x[i] = g.NextDouble() < 0.13 ? 1f : 0f;
        }
        else
        {
            var d = Datasets.Load(dataName, DatasetSplit.Train);
            n = d.Count;
            x = Binarize.Threshold(d.X);
        }
        using var rbm = new BernoulliRbm(784, hidden);
        rbm.InitializeWeights(new Generator(2));
        var options = new RbmTrainingOptions { Solver = solver, Epochs = epochs, BatchSize = batch, LearningRate = lr, Seed = 3, MonitorRows = 10000 };
        using var trainer = new RbmTrainer(rbm, options, x);
        var reports = trainer.Fit(onEpoch: r => Console.WriteLine($"epoch {r.Epoch}: {r.Seconds:F2} s, pseudo-LL {r.PseudoLikelihood:F2}"));
        // PCD-1 per batch: v·W (positive), h·Wᵀ and v·W (one Gibbs sweep), vᵀh twice (statistics): 5 GEMMs of b×784×h.
        double gemmsPerBatch = solver switch { RbmSolver.Pcd or RbmSolver.Cd => 5, RbmSolver.Naive => 2 + 2 * options.TapIterations + 1, RbmSolver.Tap2 => 3 + 4 * options.TapIterations + 1, _ => 4 + 6 * options.TapIterations + 1 };
        double flops = gemmsPerBatch * 2.0 * n * 784 * hidden;
        double sec = reports.Average(r => r.Seconds);
        Console.WriteLine($"| {dataName} | {solver.ToString().ToLowerInvariant()} | {batch} | {hidden} | {sec:F2} | {flops / 1e9:F0} | {flops / sec / 1e9:F1} | {reports[^1].PseudoLikelihood:F2} |");
        Console.WriteLine($"GEMM: {Gibbs.Backends.Cpu.Gemm.GemmProvider.Current.Name}; threads {Engine.Threads}; CPU {Timing.CpuModel()}");
    }
}
