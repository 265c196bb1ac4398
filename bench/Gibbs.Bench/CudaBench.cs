// GPU benchmarks of the CUDA backend (Gibbs.Cuda) against PyTorch eager on the same GPU, in the same run, alternating
// rounds (bench/peers/torch_cuda.py on GIBBS_PEER_PYTHON): sgemm (FP32 and TF32) against cuBLAS through PyTorch; one
// training step (forward, backward, Adam) of the 784-700-400-700-784 tanh autoencoder with sigmoid-BCE; one PCD-1 step of
// a 784×500 Bernoulli RBM. Every timed run ends with a device synchronisation, so queued work is counted.
// Usage: Gibbs.Bench cuda [--what gemm,ae,rbm] [--rounds 3] [--batches 100,1000]
using System.Diagnostics;
using Gibbs.Backends;
using Gibbs.Cuda;
using Gibbs.Models.Rbm;
using Gibbs.Nn;
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Bench;

public static class CudaBench
{
    public static void Run(string[] args)
    {
        string Arg(string name, string fallback) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback; }
        var what = Arg("--what", "gemm,ae,rbm").Split(',');
        var (rounds, batches) = PeerBench.Parse(args, rounds: 3);
        GemmSizes = Arg("--sizes", "1024,4096,8192").Split(',').Select(int.Parse).ToArray();
        var device = new Device(DeviceKind.Cuda, 0);
        Engine.DefaultDevice = device;
        var backend = (IlgpuBackend)Engine.Backend(device);
        Console.WriteLine($"device: {backend.Description}; peer: {PeerBench.PeerPython}; {Hardware.Date()}");
        if (what.Contains("launch")) Launch(backend);
        if (what.Contains("profile-ae")) { ProfileSteps(backend, AutoencoderStep(batches[^1]), 3); return; }
        if (what.Contains("profile-rbm")) { ProfileSteps(backend, RbmStep(), 3); return; }
        if (what.Contains("gemm")) Gemm(backend, rounds);
        if (what.Contains("ae")) Autoencoder(backend, rounds, batches);
        if (what.Contains("rbm")) Rbm(backend, rounds);
    }

    /// <summary>Seconds per call of <paramref name="run"/> (median of 3 timed runs of <paramref name="count"/> calls, each ending in a sync).</summary>
    private static double PerCall(IBackend backend, Action run, int count)
    {
        return Timing.Median(() =>
        {
            for (int i = 0; i < count; i++) run();
            backend.Synchronize();
        }, repeats: 3, warmup: 1) / count;
    }

    private static int[] GemmSizes = [1024, 4096, 8192];

    private static void Gemm(IlgpuBackend backend, int rounds)
    {
        Console.WriteLine();
        Console.WriteLine("| n | mode | Gibbs TFLOP/s | PyTorch TFLOP/s | Gibbs / PyTorch | rounds |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|");
        foreach (bool tf32 in new[] { false, true })
            foreach (int n in GemmSizes)
            {
                backend.Tf32 = tf32;
                var gen = new Generator(1);
                using var a = Tensor.Rand([n, n], gen).Untrack();
                using var b = Tensor.Rand([n, n], gen).Untrack();
                using var c = Tensor.Zeros([n, n]).Untrack();
                double flops = 2.0 * n * n * n;
                int count = (int)Math.Clamp(2e12 / flops, 3, 200);
                var mine = new List<double>();
                var theirs = new List<double>();
                for (int r = 0; r < rounds; r++)
                {
                    mine.Add(flops / PerCall(backend, () => Tensor.MatMulInto(c, a, b), count) / 1e12);
                    theirs.Add(PeerBench.PeerJson("torch_cuda.py", $"--what gemm --n {n} --tf32 {(tf32 ? 1 : 0)} --runs 3").GetProperty("tflops").GetDouble());
                }
                double m = PeerBench.Med(mine), t = PeerBench.Med(theirs);
                Console.WriteLine($"| {n} | {(tf32 ? "TF32" : "FP32")} | {m:F1} | {t:F1} | **{m / t:F2}** | {rounds} |");
            }
        backend.Tf32 = false;
    }

    private static void Autoencoder(IlgpuBackend backend, int rounds, int[] batches)
    {
        Console.WriteLine();
        Console.WriteLine("| AE batch | Gibbs steps/s | PyTorch steps/s | Gibbs / PyTorch | Gibbs ms/step | host ms/step | launches/step | rounds |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int batch in batches)
            Row($"{batch}", backend, AutoencoderStep(batch), rounds, $"--what ae --batch {batch} --steps 200 --runs 3");
    }

    /// <summary>One training step (forward, backward, Adam) of the 784-700-400-700-784 tanh autoencoder with sigmoid-BCE on logits.</summary>
    private static Action AutoencoderStep(int batch)
    {
        var gen = new Generator(1);
        var model = new Sequential(
            new Linear(784, 700, gen), new Activation(ActivationKind.Tanh),
            new Linear(700, 400, gen), new Activation(ActivationKind.Tanh),
            new Linear(400, 700, gen), new Activation(ActivationKind.Tanh),
            new Linear(700, 784, gen));
        var opt = new Adam(model.Parameters(), 1e-3f);
        var x = Tensor.Rand([batch, 784], gen).Untrack();
        return () =>
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            Tensor.BinaryCrossEntropyWithLogits(model.Forward(x), x).Mean().Backward();
            opt.Step();
        };
    }

    private static void Rbm(IlgpuBackend backend, int rounds)
    {
        Console.WriteLine();
        Console.WriteLine("| RBM PCD-1 784×500, batch | Gibbs steps/s | PyTorch steps/s | Gibbs / PyTorch | Gibbs ms/step | host ms/step | launches/step | rounds |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        Row("100", backend, RbmStep(), rounds, "--what rbm --batch 100 --steps 500 --runs 3");
    }

    /// <summary>One PCD-1 update of a 784×500 Bernoulli RBM on a fixed binary batch of 100 (plain SGD, lr 0.01).</summary>
    private static Action RbmStep()
    {
        const int batch = 100;
        var rbm = new BernoulliRbm(784, 500);
        rbm.InitializeWeights(new Generator(2));
        var options = new RbmTrainingOptions { Solver = RbmSolver.Pcd, BatchSize = batch, LearningRate = 0.01f, Seed = 3 };
        var trainer = new RbmTrainer(rbm, options);
        var g = new Generator(1);
        var host = new float[batch * 784];
        for (int i = 0; i < host.Length; i++) host[i] = g.NextDouble() < 0.13 ? 1f : 0f;
        var v = Tensor.FromArray(host, [batch, 784]).Untrack();
        trainer.Step(v); // validates the batch and initialises the chains once
        return () => trainer.StepUnchecked(v);
    }

    /// <summary>
    /// A target for `ncu --profile-from-start off`: <paramref name="steps"/> − 1 warm-up steps, then one step between
    /// cuProfilerStart and cuProfilerStop, so the profile holds exactly the kernels of one step.
    /// </summary>
    private static void ProfileSteps(IlgpuBackend backend, Action step, int steps)
    {
        for (int i = 0; i < steps - 1; i++) step();
        backend.Synchronize();
        long before = backend.Launches;
        cuProfilerStart();
        step();
        backend.Synchronize();
        cuProfilerStop();
        Console.WriteLine($"profiled one step after {steps - 1} warm-up steps: {backend.Launches - before} launches");
    }

    [System.Runtime.InteropServices.DllImport("libcuda.so.1")]
    private static extern int cuProfilerStart();

    [System.Runtime.InteropServices.DllImport("libcuda.so.1")]
    private static extern int cuProfilerStop();

    /// <summary>Host cost of one launch, by layer: the raw backend primitive, then a tensor op with its allocation and scope.</summary>
    private static void Launch(IlgpuBackend backend)
    {
        const int n = 20000;
        using var a = Tensor.Ones([16]).Untrack();
        using var b = Tensor.Ones([16]).Untrack();
        var sa = a.Storage;
        double Host(Action op)
        {
            op();
            backend.Synchronize();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 500; i++) op();
            double t = sw.Elapsed.TotalMicroseconds / 500;
            backend.Synchronize();
            return t;
        }
        double Total(Action op)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) op();
            backend.Synchronize();
            return sw.Elapsed.TotalMicroseconds / n;
        }
        Console.WriteLine();
        Console.WriteLine("| one 16-element op | host µs/op (enqueue) | µs/op with the GPU (20,000 in a row) |");
        Console.WriteLine("|---|---:|---:|");
        var rows = new (string, Action)[]
        {
            ("IBackend.Fill (one ILGPU launch)", () => backend.Fill(sa, 0, 16, 1f)),
            ("IBackend.Unary exp in place", () => backend.Unary(UnaryOp.Exp, sa, sa, 16)),
            ("Tensor.AddInPlace (no allocation)", () => a.AddInPlace(b)),
            ("a + b in a scope (allocate, launch, free)", () => { using var s = TensorScope.Begin(); _ = a + b; }),
        };
        foreach (var (name, op) in rows)
            Console.WriteLine($"| {name} | {Host(op):F2} | {Total(op):F2} |");
    }

    private static void Row(string label, IlgpuBackend backend, Action step, int rounds, string peerArgs)
    {
        const int count = 200;
        var mine = new List<double>();
        var theirs = new List<double>();
        long launches0 = backend.Launches;
        for (int i = 0; i < 10; i++) step();
        backend.Synchronize();
        double perStep = (backend.Launches - launches0) / 10.0;
        // Host time per step: enqueueing 10 steps after the queue has drained (10·launches stays well inside CUDA's
        // launch queue, so the host never waits for the GPU here). Close to ms/step means the step is host-bound.
        var host = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 10; i++) step();
            host.Add(sw.Elapsed.TotalMilliseconds / 10);
            backend.Synchronize();
        }
        for (int r = 0; r < rounds; r++)
        {
            mine.Add(1 / PerCall(backend, step, count));
            theirs.Add(PeerBench.Peer("torch_cuda.py", peerArgs));
        }
        double m = PeerBench.Med(mine), t = PeerBench.Med(theirs);
        Console.WriteLine($"| {label} | {m:F0} ({mine.Min():F0}–{mine.Max():F0}) | {t:F0} ({theirs.Min():F0}–{theirs.Max():F0}) | **{m / t:F2}** | {1000 / m:F3} | {PeerBench.Med(host):F3} | {perStep:F0} | {rounds} |");
    }
}
