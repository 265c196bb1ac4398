// The non-gradient self-test checks: GEMM provider vs the scalar reference, RNG reproducibility,
// thread-count independence of a short training run, and the allocator leak check.
using Gibbs.Backends;
using Gibbs.Backends.Cpu;
using Gibbs.Backends.Cpu.Gemm;
using Gibbs.Nn;
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Diagnostics;

public static partial class SelfTest
{
    private static unsafe (bool, string) GemmVsReference(Device device)
    {
        var gen = new Generator(7);
        double worst = 0;
        bool reduced = Engine.Backend(device).GemmPrecisionBits < 24;
        foreach (var (m, k, n, ta, tb) in new[] { (37, 53, 29, false, false), (64, 100, 48, true, false), (33, 17, 65, false, true), (20, 31, 9, true, true) })
        {
            using var scope = TensorScope.Begin();
            var a = Tensor.Randn(ta ? [k, m] : [m, k], gen, device: device);
            var b = Tensor.Randn(tb ? [n, k] : [k, n], gen, device: device);
            var c = Tensor.MatMul(a, b, ta, tb).ToArray();
            var ha = a.ToArray();
            var hb = b.ToArray();
            var r = new float[m * n];
            fixed (float* pa = ha, pb = hb, pr = r)
                new ReferenceGemm().Sgemm(ta, tb, m, n, k, 1f, pa, ta ? m : k, pb, tb ? k : n, 0f, pr, n);
            if (reduced) worst = Math.Max(worst, GradCheck.NormRelError([.. c.Select(v => (double)v)], [.. r.Select(v => (double)v)]));
            else for (int i = 0; i < r.Length; i++) worst = Math.Max(worst, Math.Abs(c[i] - r[i]) / (1e-3 + Math.Abs(r[i]))); // Math.Max keeps a NaN
        }
        string name = device.Kind == DeviceKind.Cpu ? GemmProvider.Current.Name : device.ToString();
        return reduced
            ? (worst < GradCheck.ReducedPrecisionTolerance, $"{name} ({Engine.Backend(device).GemmPrecisionBits}-bit GEMM products): normwise rel. error {worst:0.0e0}")
            : (worst < 1e-3, $"{name}: max rel. error {worst:0.0e0}");
    }

    /// <summary>The device's Philox streams (uniform, normal, Laplace, fused Bernoulli) equal the CPU backend's bit for bit.</summary>
    private static (bool, string) DeviceMatchesCpu(Device device)
    {
        if (device.Kind == DeviceKind.Cpu) return (true, "cpu is the reference stream");
        float[] Draw(Device d)
        {
            var g = new Generator(2024);
            using var scope = TensorScope.Begin();
            var p = Tensor.FromArray([.. Enumerable.Range(0, 999).Select(i => (i % 37) / 36f)], d);
            return [.. Tensor.Rand([4097], g, device: d).ToArray(), .. Tensor.Randn([1001], g, device: d).ToArray(),
                    .. Tensor.RandLaplace([515], g, device: d).ToArray(), .. Tensor.Bernoulli(p, g).ToArray()];
        }
        var cpu = Draw(Device.Cpu);
        var dev = Draw(device);
        int first = cpu.AsSpan().CommonPrefixLength(dev);
        return first == cpu.Length
            ? (true, $"{cpu.Length} draws (uniform, normal, Laplace, Bernoulli) bit-identical to the cpu")
            : (false, $"draw {first} differs from the cpu's: {dev[first]:R} vs {cpu[first]:R}");
    }

    private static (bool, string) SameSeedSameStream(Device device)
    {
        float[] Draw(ulong seed)
        {
            var g = new Generator(seed);
            using var scope = TensorScope.Begin();
            return [.. Tensor.Rand([1000], g, device: device).ToArray(), .. Tensor.Randn([1001], g, device: device).ToArray(), .. Tensor.RandLaplace([3], g, device: device).ToArray()];
        }
        var a = Draw(42);
        var b = Draw(42);
        var c = Draw(43);
        bool same = a.AsSpan().SequenceEqual(b);
        bool differs = !a.AsSpan().SequenceEqual(c);
        return (same && differs, same ? (differs ? "seed 42 twice: identical; seed 43: different" : "seeds 42 and 43 gave the same stream") : "seed 42 twice gave different streams");
    }

    private static (bool, string) ThreadsBitIdentical(Device device)
    {
        int saved = Engine.Threads;
        try
        {
            Engine.Threads = 1;
            var one = TinyTrainingRun(device);
            Engine.Threads = Math.Max(2, Environment.ProcessorCount);
            var many = TinyTrainingRun(device);
            bool same = one.AsSpan().SequenceEqual(many);
            return (same, same ? $"5 Adam steps of a 64-600-64 tanh MLP (batch 512): bit-identical with 1 and {Engine.Threads} threads"
                               : $"results differ between 1 and {Engine.Threads} threads");
        }
        finally { Engine.Threads = saved; }
    }

    /// <summary>A short, seeded training run returning every final parameter value.</summary>
    internal static float[] TinyTrainingRun(Device device, ulong seed = 11)
    {
        var gen = new Generator(seed);
        // Inner dimensions up to 600 and batch 512 (GEMM libraries split large K differently per thread count).
        using var model = new Sequential(new Linear(64, 600, gen, device: device), new Activation(ActivationKind.Tanh), new Linear(600, 64, gen, device: device));
        var opt = new Adam(model.Parameters(), 1e-2f);
        using var x = Tensor.Rand([512, 64], gen, device: device).Untrack();
        for (int step = 0; step < 5; step++)
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            var loss = Tensor.BinaryCrossEntropyWithLogits(model.Forward(x), x).Mean();
            loss.Backward();
            opt.Step();
        }
        return model.Parameters().SelectMany(p => p.ToArray()).ToArray();
    }

    private static (bool, string) ScopedStepFreesTemporaries(Device device)
    {
        var gen = new Generator(3);
        var backend = Engine.Backend(device);
        using var model = new Sequential(new Linear(32, 16, gen, device: device), new Activation(ActivationKind.Sigmoid), new Linear(16, 32, gen, device: device));
        using var opt = new Sgd(model.Parameters(), 0.1f, momentum: 0.9f);
        using var x = Tensor.Rand([8, 32], gen, device: device).Untrack();
        void Step()
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            Tensor.BinaryCrossEntropyWithLogits(model.Forward(x), x).Mean().Backward();
            opt.Step();
        }
        Step(); // creates optimiser state and gradients
        long before = backend.LiveBuffers;
        for (int i = 0; i < 10; i++) Step();
        long after = backend.LiveBuffers;
        return (after == before, $"live {device} buffers before {before}, after 10 more steps {after}");
    }
}
