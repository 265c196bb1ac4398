// One training step (forward, backward, Adam) of the 784-700-400-700-784 tanh autoencoder with
// sigmoid-BCE (the CUDA issue's reference model), at batch 100 and 1000.
using Gibbs.Nn;
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Bench;

public static class MlpBench
{
    public static void Run(bool quick)
    {
        Console.WriteLine($"CPU: {Timing.CpuModel()}, {Environment.ProcessorCount} cores; GEMM: {Gibbs.Backends.Cpu.Gemm.GemmProvider.Current.Name}");
        Console.WriteLine("| batch | steps/s | GFLOP/step | GFLOP/s |");
        Console.WriteLine("|---|---|---|---|");
        foreach (int batch in new[] { 100, 1000 })
        {
            var gen = new Generator(1);
            using var model = Autoencoder(gen);
            var opt = new Adam(model.Parameters(), 1e-3f);
            using var x = Tensor.Rand([batch, 784], gen).Untrack();
            void Step()
            {
                using var scope = TensorScope.Begin();
                opt.ZeroGrad();
                Tensor.BinaryCrossEntropyWithLogits(model.Forward(x), x).Mean().Backward();
                opt.Step();
            }
            double sec = Timing.Median(Step, repeats: quick ? 3 : 11);
            // forward 2·B·Σ(in·out), backward 2× that (dX and dW).
            double flops = 3 * 2.0 * batch * (784 * 700 + 700 * 400 + 400 * 700 + 700 * 784);
            Console.WriteLine($"| {batch} | {1 / sec:F1} | {flops / 1e9:F2} | {flops / sec / 1e9:F1} |");
        }
    }

    /// <summary>`ae`: the same step against PyTorch (bench/peers/torch_ae.py), alternating rounds (PeerBench).</summary>
    public static void RunAgainstTorch(string[] args)
    {
        var (rounds, batches) = PeerBench.Parse(args);
        double peak = PeerBench.Header("batch");
        foreach (int batch in batches)
        {
            int steps = batch >= 1000 ? 10 : 40;
            var gen = new Generator(1);
            using var model = Autoencoder(gen);
            var opt = new Adam(model.Parameters(), 1e-3f);
            using var x = Tensor.Rand([batch, 784], gen).Untrack();
            void Steps()
            {
                for (int s = 0; s < steps; s++)
                {
                    using var scope = TensorScope.Begin();
                    opt.ZeroGrad();
                    Tensor.BinaryCrossEntropyWithLogits(model.Forward(x), x).Mean().Backward();
                    opt.Step();
                }
            }
            double flops = 3 * 2.0 * batch * (784 * 700 + 700 * 400 + 400 * 700 + 700 * 784);
            PeerBench.Row(batch.ToString(), Steps, steps, () => PeerBench.Peer("torch_ae.py", $"--batch {batch} --steps {steps} --runs 3"), flops, rounds, peak);
        }
    }

    // 784-700-400-700-784, tanh between the layers, logits out.
    private static Sequential Autoencoder(Generator gen) => new(
        new Linear(784, 700, gen), new Activation(ActivationKind.Tanh),
        new Linear(700, 400, gen), new Activation(ActivationKind.Tanh),
        new Linear(400, 700, gen), new Activation(ActivationKind.Tanh),
        new Linear(700, 784, gen));
}
