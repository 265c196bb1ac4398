// The backend contract, written once and run for every backend (ILGPU's pattern): a subclass names the
// device. Covers the whole op/gradient catalogue, RNG parity with the host definition of every stream
// (bit for bit), reductions against float64, the index kernels, batched GEMM with offsets and strides,
// the fused optimiser steps lane by lane, and model-level training steps against the CPU backend.
using Gibbs.Backends;
using Gibbs.Diagnostics;
using Gibbs.Rng;

namespace Gibbs.Tests.Contract;

public abstract class BackendContractTests
{
    /// <summary>The device under test.</summary>
    protected abstract Device Device { get; }

    /// <summary>Relative tolerance for results compared with the CPU backend (0 on the CPU itself).</summary>
    protected virtual double ParityTolerance => 1e-5;

    public static TheoryData<string> Cases()
    {
        var d = new TheoryData<string>();
        foreach (var c in OpCatalog.All) d.Add(c.Name);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OpMatchesReferenceAndFiniteDifferences(string name)
    {
        var c = OpCatalog.All.Single(x => x.Name == name);
        var r = GradCheck.Check(c, Device);
        Assert.True(r.Passed, $"{r.Name} on {Device}: {r.Detail} (forward {r.ForwardError:G3}, gradient {r.GradientError:G3})");
    }

    [Theory]
    [InlineData(RandomKind.Uniform, 0.5f, 2f)]
    [InlineData(RandomKind.Normal, 1f, 3f)]
    [InlineData(RandomKind.Laplace, -1f, 0.5f)]
    public void RandomFillsAreTheHostStreamBitForBit(RandomKind kind, float a, float b)
    {
        // Odd lengths and a counter that is not block-aligned relative to previous draws.
        var gen = new Generator(77);
        gen.Reserve(5);
        using var scope = TensorScope.Begin();
        foreach (int n in new[] { 1, 7, 4099, 70_001 })
        {
            ulong counter = gen.Counter;
            var t = kind switch
            {
                RandomKind.Uniform => Tensor.Rand([n], gen, a, b, Device),
                RandomKind.Normal => Tensor.Randn([n], gen, a, b, Device),
                _ => Tensor.RandLaplace([n], gen, a, b, Device),
            };
            var host = new float[n];
            Philox.Fill(kind, gen.Seed, counter, 0, host, a, b);
            Assert.Equal(host, t.ToArray());
        }
    }

    [Fact]
    public void BernoulliSamplesAreTheHostStreamBitForBit()
    {
        var gen = new Generator(5);
        using var scope = TensorScope.Begin();
        var p = Tensor.Rand([3, 1001], new Generator(9), device: Device);
        ulong counter = gen.Counter;
        var s = Tensor.Bernoulli(p, gen).ToArray();
        var u = new float[s.Length];
        Philox.Fill(RandomKind.Uniform, gen.Seed, counter, 0, u, 0f, 1f);
        var ph = p.ToArray();
        for (int i = 0; i < s.Length; i++) Assert.Equal(u[i] < ph[i] ? 1f : 0f, s[i]);
    }

    [Theory]
    [InlineData(1, 100_000, 1)]
    [InlineData(3, 257, 1)]
    [InlineData(1, 1000, 784)]
    [InlineData(5, 33, 300)]
    [InlineData(2, 16_385, 1)]   // the CUDA backend's two-pass row sums: three chunks per row, the last of one element
    [InlineData(2, 300, 3)]      // its two-pass column sums: chunks of 32 rows, the last short
    public void ReductionsMatchFloat64(int outer, int n, int inner)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([outer, n, inner], new Generator(11), device: Device);
        var h = x.ToArray();
        var sum = x.Sum(1).ToArray();
        var max = x.Max(1).ToArray();
        var arg = x.ArgMax(1).ToArray();
        var lse = x.LogSumExp(1).ToArray();
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double s = 0, m = double.NegativeInfinity, e = 0;
                int am = 0;
                for (int j = 0; j < n; j++)
                {
                    double v = h[((long)o * n + j) * inner + i];
                    s += v;
                    if (v > m) { m = v; am = j; }
                }
                for (int j = 0; j < n; j++) e += Math.Exp(h[((long)o * n + j) * inner + i] - m);
                int k = o * inner + i;
                Assert.True(Math.Abs(sum[k] - s) <= 1e-6 * Math.Sqrt(n) + 1e-6 * Math.Abs(s), $"sum[{k}] {sum[k]} vs {s}");
                Assert.Equal((float)m, max[k]);
                Assert.Equal(am, arg[k]);
                Assert.True(Math.Abs(lse[k] - (m + Math.Log(e))) <= 2e-6 * (1 + Math.Abs(m)), $"logsumexp[{k}] {lse[k]} vs {m + Math.Log(e)}");
            }
    }

    [Fact]
    public void IndexKernelsFollowTheirDefinitions()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([4, 6, 300], new Generator(2), device: Device);
        var idx = Tensor.FromArray([5f, 0f, 5f, 2f], Device);
        var y = x.IndexSelect(1, idx).ToArray();
        var h = x.ToArray();
        for (int o = 0; o < 4; o++)
            for (int j = 0; j < 4; j++)
                for (int i = 0; i < 300; i++)
                    Assert.Equal(h[(o * 6 + (int)new[] { 5, 0, 5, 2 }[j]) * 300 + i], y[(o * 4 + j) * 300 + i]);
        var src = Tensor.Ones([4, 4, 300], Device);
        var added = Tensor.Zeros([4, 6, 300], Device).IndexAdd(1, idx, src).ToArray();
        for (int o = 0; o < 4; o++)
            for (int i = 0; i < 300; i += 37)
            {
                Assert.Equal(2f, added[(o * 6 + 5) * 300 + i]);
                Assert.Equal(1f, added[(o * 6 + 0) * 300 + i]);
                Assert.Equal(0f, added[(o * 6 + 1) * 300 + i]);
            }
        var labels = Tensor.FromArray([2f, 0f, 1f], Device);
        var logits = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f], [3, 3], Device);
        Assert.Equal([3f, 4f, 8f], logits.Gather(labels).ToArray());
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f, 0f, 1f, 0f], Tensor.OneHot(labels, 3).ToArray());
    }

    [Fact]
    public void FusedOptimiserStepsFollowTheirFormulasOnEveryLane()
    {
        using var scope = TensorScope.Begin();
        const int n = 1037;
        var gen = new Generator(8);
        var p = Tensor.Randn([n], gen, device: Device);
        var g = Tensor.Randn([n], gen, device: Device);
        var v = Tensor.Randn([n], gen, device: Device);
        var (p0, g0, v0) = (p.ToArray(), g.ToArray(), v.ToArray());
        p.Backend.SgdStep(p.Storage, g.Storage, v.Storage, n, 0.1f, 0.9f, nesterov: true, 0.01f, 0.001f);
        var (p1, v1) = (p.ToArray(), v.ToArray());
        for (int i = 0; i < n; i++)
        {
            float gi = g0[i] + 0.01f * p0[i] + 0.001f * MathF.Sign(p0[i]);
            float vi = 0.9f * v0[i] + gi;
            Close(vi, v1[i]);
            Close(p0[i] - 0.1f * (gi + 0.9f * vi), p1[i]);
        }
        var m = Tensor.Zeros([n], Device);
        var s = Tensor.Zeros([n], Device);
        p.Backend.AdamStep(p.Storage, g.Storage, m.Storage, s.Storage, n, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f);
        var p2 = p.ToArray();
        for (int i = 0; i < n; i++)
        {
            float mi = 0.1f * g0[i], si = 0.001f * g0[i] * g0[i];
            Close(p1[i] - 0.01f * (mi / 0.1f) / (MathF.Sqrt(si / 0.001f) + 1e-8f), p2[i]);
        }
    }

    private static void Close(double expected, float actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-6 * (1 + Math.Abs(expected)), $"{actual} vs {expected}");

    [Fact]
    public void BatchedGemmWithOffsetsAndStrides()
    {
        using var scope = TensorScope.Begin();
        var gen = new Generator(21);
        var a = Tensor.Randn([3, 7, 5], gen, device: Device);
        var b = Tensor.Randn([3, 6, 5], gen, device: Device);
        var c = Tensor.Full([2, 7, 6], 1f, Device);
        // C[i] = 2·A[i+1]·B[i+1]ᵀ + 0.5·C[i] for i < 2: offsets skip the first matrix of A and B.
        a.Backend.Gemm(false, true, 7, 6, 5, 2f, a.Storage, 35, 5, 35, b.Storage, 30, 5, 30, 0.5f, c.Storage, 0, 6, 42, 2);
        var (ha, hb, hc) = (a.ToArray(), b.ToArray(), c.ToArray());
        for (int i = 0; i < 2; i++)
            for (int r = 0; r < 7; r++)
                for (int col = 0; col < 6; col++)
                {
                    double acc = 0;
                    for (int k = 0; k < 5; k++) acc += ha[(i + 1) * 35 + r * 5 + k] * hb[(i + 1) * 30 + col * 5 + k];
                    Assert.True(Math.Abs(hc[i * 42 + r * 6 + col] - (2 * acc + 0.5)) <= 1e-5 * (1 + Math.Abs(acc)));
                }
    }

    [Fact]
    public void TrainingStepsMatchTheCpuBackend()
    {
        var mlp = SelfTest.TinyTrainingRun(Device);
        var cpu = SelfTest.TinyTrainingRun(Device.Cpu);
        AssertClose(cpu, mlp, "MLP training run");
        AssertClose(RbmSteps(Device.Cpu), RbmSteps(Device), "RBM PCD and TAP2 steps");
    }

    private static float[] RbmSteps(Device device)
    {
        var data = Gibbs.Data.Binarize.Threshold(Gibbs.Data.Datasets.Mnist10k().Take(200).X);
        var result = new List<float>();
        foreach (var solver in new[] { Gibbs.Models.Rbm.RbmSolver.Pcd, Gibbs.Models.Rbm.RbmSolver.Tap2 })
        {
            using var rbm = new Gibbs.Models.Rbm.BernoulliRbm(784, 20, device);
            rbm.InitializeWeights(new Generator(3));
            using var t = new Gibbs.Models.Rbm.RbmTrainer(rbm, new Gibbs.Models.Rbm.RbmTrainingOptions { Solver = solver, Epochs = 1, BatchSize = 50, LearningRate = 0.05f, Momentum = 0.5f }, data);
            t.Fit();
            result.AddRange(rbm.W.ToArray());
        }
        return result.ToArray();
    }

    private void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / (1e-3 + Math.Abs(expected[i])));
        Assert.True(worst <= ParityTolerance, $"{what} on {Device} differs from the CPU backend by {worst:G3} (relative)");
    }
}

/// <summary>The contract on the CPU backend (with whichever GEMM provider this machine uses).</summary>
public sealed class CpuBackendContractTests : BackendContractTests
{
    protected override Device Device => Device.Cpu;

    protected override double ParityTolerance => 0;
}
