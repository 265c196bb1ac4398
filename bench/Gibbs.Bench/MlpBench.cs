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

    /// <summary>
    /// `ae`: the same step against PyTorch (bench/peers/torch_ae.py on /usr/bin/python3, 2 threads), alternating
    /// rounds so a disturbance hits both; per round Gibbs's steps/s is the median of 3 runs of <c>steps</c> steps,
    /// PyTorch's the same in its own process. Reports medians, the median per-round ratio and % of the measured peak.
    /// </summary>
    public static void RunAgainstTorch(string[] args)
    {
        int rounds = 5;
        int[] batches = [100, 1000];
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--rounds") rounds = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            if (args[i] == "--batches") batches = args[i + 1].Split(',').Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        double peak = Hardware.BestPeak(Engine.Threads);
        Console.WriteLine($"CPU: {Timing.CpuModel()}, {Engine.Threads} threads; GEMM: {Gibbs.Backends.Cpu.Gemm.GemmProvider.Current.Name}; "
                          + $"measured peak {peak:F1} GFLOP/s; {Hardware.Date()}; load {Hardware.Load()}");
        Console.WriteLine("| batch | Gibbs steps/s | PyTorch steps/s | Gibbs / PyTorch (median of rounds) | Gibbs GFLOP/s | Gibbs % peak | PyTorch % peak | rounds |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
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
            var mine = new List<double>();
            var peer = new List<double>();
            var ratio = new List<double>();
            for (int r = 0; r < rounds; r++)
            {
                double g = steps / Timing.Median(Steps, repeats: 3, warmup: r == 0 ? 2 : 1);
                double t = TorchPeer(batch, steps);
                mine.Add(g); peer.Add(t); ratio.Add(g / t);
            }
            double flops = 3 * 2.0 * batch * (784 * 700 + 700 * 400 + 400 * 700 + 700 * 784);
            double gm = Med(mine), tm = Med(peer);
            Console.WriteLine($"| {batch} | {gm:F1} ({mine.Min():F1}–{mine.Max():F1}) | {tm:F1} ({peer.Min():F1}–{peer.Max():F1}) | **{Med(ratio):F2}** | "
                              + $"{gm * flops / 1e9:F1} | {100 * gm * flops / 1e9 / peak:F0}% | {100 * tm * flops / 1e9 / peak:F0}% | {rounds} |");
        }
    }

    // 784-700-400-700-784, tanh between the layers, logits out.
    private static Sequential Autoencoder(Generator gen) => new(
        new Linear(784, 700, gen), new Activation(ActivationKind.Tanh),
        new Linear(700, 400, gen), new Activation(ActivationKind.Tanh),
        new Linear(400, 700, gen), new Activation(ActivationKind.Tanh),
        new Linear(700, 784, gen));

    private static double Med(List<double> v)
    {
        var s = v.OrderBy(x => x).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    // One PyTorch run in its own process: the median steps/s of 3 runs of `steps` steps.
    private static double TorchPeer(int batch, int steps)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "peers", "torch_ae.py");
        if (!File.Exists(script)) script = Path.GetFullPath(Path.Combine("bench", "peers", "torch_ae.py"));
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", $"{script} --batch {batch} --steps {steps} --runs 3 --threads {Engine.Threads}")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"PyTorch peer failed (install python3-torch): {err.Trim().Split('\n').LastOrDefault()}");
        return System.Text.Json.JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.GetProperty("steps_per_s").GetDouble();
    }
}
