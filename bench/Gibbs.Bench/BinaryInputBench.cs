// `binary-input`: the first layer of the seed's Gibbs machine (784 → 700) on 1000 real binary digits: Linear's
// binary-input path (forward and weight gradient) against the dense GEMM path, on the same rows, alternating.
using Gibbs.Rng;

namespace Gibbs.Bench;

public static class BinaryInputBench
{
    public static void Run()
    {
        var digits = Gibbs.Data.Datasets.Load("mnist10k", Gibbs.Data.DatasetSplit.Test).X;
        var u = Gibbs.Data.SplitMix64.For(1, 2);
        var x = digits[..(1000 * 784)].Select(p => (float)u.NextDouble() < p ? 1f : 0f).ToArray();
        using var w = Tensor.Randn([784, 700], new Generator(1)).Untrack().RequireGrad();
        using var xt = Tensor.FromArray(x, [1000, 784]).Untrack();
        using var g = Tensor.Randn([1000, 700], new Generator(2)).Untrack();
        // Median of 7 runs of 10 steps, ms per step; each step in its own scope.
        static double Median(Action step)
        {
            var runs = new List<double>();
            for (int r = 0; r < 7; r++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                for (int i = 0; i < 10; i++)
                {
                    using var scope = TensorScope.Begin();
                    step();
                }
                runs.Add(clock.Elapsed.TotalMilliseconds / 10);
            }
            runs.Sort();
            return runs[3];
        }
        double Time(Func<Tensor> forward) => Median(() => { w.ZeroGrad(); (forward() * g).Sum().Backward(); });
        double Forward(Func<Tensor> forward) => Median(() => { using var _ = Tensor.NoGrad(); forward(); });
        for (int round = 0; round < 3; round++)
        {
            Console.WriteLine($"round {round + 1}: forward only: binary-input path {Forward(() => Gibbs.Nn.BinaryInput.TryMatMul(xt, w)!):F2} ms, dense GEMM {Forward(() => Tensor.MatMul(xt, w)):F2} ms");
            double sparse = Time(() => Gibbs.Nn.BinaryInput.TryMatMul(xt, w)!);
            double dense = Time(() => Tensor.MatMul(xt, w));
            Console.WriteLine($"round {round + 1}: binary-input path {sparse:F2} ms, dense GEMM {dense:F2} ms (forward + weight gradient, 1000 × 784 → 700, {x.Average():P1} ones)");
        }
    }
}
