// The core's fused hooks (Tensor.Fused.cs, issue 15 item 3) on the ILGPU backend (CPU accelerator) against the CPU
// backend, which has no fused kernels and runs the unfused chains: forward values, gradients (non-uniform upstream,
// so a dropped term or flipped sign shows), second derivatives through the recorded rules, the generator's
// consumption, and that each hook launches fewer kernels than the chain it replaces on the same backend.
// Serial: the launch counter belongs to the shared backend, so nothing else may run kernels on it meanwhile.
using Gibbs.Backends;
using Gibbs.Cuda;
using Gibbs.Models.Gm;
using Gibbs.Models.Rbm;
using Gibbs.Nn;
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Tests.Cuda;

[Collection("serial")]
public class FusedHookTests
{
    public FusedHookTests() => _ = IlgpuTestBackend.Backend; // (re-)registered: a provider registration drops it

    private static IlgpuBackend B => IlgpuTestBackend.Backend;
    private static Device D => IlgpuTestBackend.Device;

    /// <summary>Kernel launches on the ILGPU backend while <paramref name="a"/> runs.</summary>
    private static long Launches(Action a)
    {
        var b = B;
        long before = b.Launches;
        a();
        return b.Launches - before;
    }

    private static void Close(Tensor expected, Tensor actual, double rtol = 1e-5, string what = "")
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        var (e, a) = (expected.ToArray(), actual.ToArray());
        double scale = e.Length == 0 ? 0 : e.Max(v => Math.Abs((double)v));
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= rtol * (Math.Abs(e[i]) + 0.1 * scale) + 1e-12, $"{what}[{i}]: {a[i]} vs {e[i]}");
    }

    private static Tensor Leaf(Tensor host, Device d) => host.To(d).RequireGrad();

    // ---- Binary cross-entropy with logits ----

    [Fact]
    public void BceWithLogitsMatchesTheCpuChainWithFewerLaunches()
    {
        using var scope = TensorScope.Begin();
        var z = Tensor.Randn([9, 13], new Generator(1), 0f, 3f);
        var t = Tensor.Rand([9, 13], new Generator(2));
        var w = Tensor.Randn([9, 13], new Generator(3));
        var (zc, zg) = (Leaf(z, Device.Cpu), Leaf(z, D));
        var lc = Tensor.BinaryCrossEntropyWithLogits(zc, t);
        Tensor lg = null!;
        long fused = Launches(() => lg = Tensor.BinaryCrossEntropyWithLogits(zg, t.To(D)));
        Close(lc, lg, what: "loss");
        (lc * w).Sum().Backward();
        var wg = w.To(D);
        var sg = (lg * wg).Sum();
        long fusedBackward = Launches(() => sg.Backward());
        Close(zc.Grad!, zg.Grad!, what: "dz");

        // The chain it replaces, on the same backend: three launches forward, more backward.
        var zu = Leaf(z, D);
        Tensor lu = null!;
        long chain = Launches(() => lu = zu.Softplus() - t.To(D) * zu);
        var su = (lu * wg).Sum();
        long chainBackward = Launches(() => su.Backward());
        Assert.Equal(1, fused);
        Assert.True(fused < chain, $"{fused} vs {chain}");
        Assert.True(fusedBackward < chainBackward, $"backward: {fusedBackward} vs {chainBackward}");
    }

    [Fact]
    public void BceWithLogitsSecondDerivativeAndTargetGradient()
    {
        using var scope = TensorScope.Begin();
        var z = Tensor.Randn([40], new Generator(4), 0f, 2f);
        var t = Tensor.Rand([40], new Generator(5));
        var w = Tensor.Randn([40], new Generator(6));
        Tensor[] Run(Device d)
        {
            var zl = Leaf(z, d);
            var dz = Autograd.Grad((Tensor.BinaryCrossEntropyWithLogits(zl, t.To(d)) * w.To(d)).Sum(), [zl], createGraph: true)[0];
            var d2 = Autograd.Grad((dz * w.To(d)).Sum(), [zl])[0];   // w² σ′(z)
            var (zt, tt) = (Leaf(z, d), Leaf(t, d));               // targets that need a gradient: −z·g (the chain)
            (Tensor.BinaryCrossEntropyWithLogits(zt, tt) * w.To(d)).Sum().Backward();
            return [dz, d2, zt.Grad!, tt.Grad!];
        }
        var (c, g) = (Run(Device.Cpu), Run(D));
        for (int i = 0; i < c.Length; i++) Close(c[i], g[i], what: $"#{i}");
    }

    // ---- Linear + activation ----

    private static Sequential Mlp(ActivationKind act, Device d)
    {
        var gen = new Generator(7);
        var m = new Sequential(new Linear(7, 6, gen, device: d), new Activation(act), new Linear(6, 5, gen, device: d), new Activation(act));
        using var _ = Tensor.NoGrad();
        foreach (var p in m.Parameters().Where(p => p.Rank == 1)) p.CopyFrom(Tensor.Randn(p.Shape, new Generator(8), 0f, 0.5f, d)); // biases that matter
        return m;
    }

    [Theory]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Relu)]
    [InlineData(ActivationKind.Softplus)]
    public void LinearActivationMatchesTheCpuChainWithFewerLaunches(ActivationKind act)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([11, 7], new Generator(9));
        var w = Tensor.Randn([11, 5], new Generator(10));
        using var mc = Mlp(act, Device.Cpu);
        using var mg = Mlp(act, D);
        var xc = Leaf(x, Device.Cpu);
        var yc = mc.Forward(xc);
        (yc * w).Sum().Backward();
        var xg = Leaf(x, D);
        Tensor yg = null!;
        long fused = Launches(() => yg = mg.Forward(xg));
        Close(yc, yg, what: "y");
        (yg * w.To(D)).Sum().Backward();
        Close(xc.Grad!, xg.Grad!, what: "dx");
        var (pc, pg) = (mc.NamedParameters().ToList(), mg.NamedParameters().ToList());
        for (int i = 0; i < pc.Count; i++) Close(pc[i].Tensor.Grad!, pg[i].Tensor.Grad!, what: pc[i].Name);

        long chain = Launches(() => { Tensor h = xg; foreach (var l in mg.Layers) h = l.Forward(h); });
        Assert.True(fused + 2 <= chain, $"{fused} vs {chain}");   // one launch fewer per Linear + Activation pair
    }

    [Theory]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Softplus)]
    public void LinearActivationSecondDerivative(ActivationKind act)
    {
        // ‖∂L/∂x‖² differentiated in the parameters: the backward rule itself must be recorded correctly.
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([6, 7], new Generator(11));
        var w = Tensor.Randn([6, 5], new Generator(12));
        Tensor[] Run(Device d)
        {
            var m = Mlp(act, d);
            var xl = Leaf(x, d);
            var gx = Autograd.Grad((m.Forward(xl) * w.To(d)).Sum(), [xl], createGraph: true)[0];
            gx.Square().Sum().Backward();
            return [gx, .. m.Parameters().Select(p => p.Grad!)];
        }
        var (c, g) = (Run(Device.Cpu), Run(D));
        for (int i = 0; i < c.Length; i++) Close(c[i], g[i], 1e-4, $"#{i}");
    }

    [Fact]
    public void AutoencoderStepLaunchesFewerKernels()
    {
        // The AE step of the CUDA bench at small shapes: Linear/Tanh pairs fused, BCE fused.
        using var scope = TensorScope.Begin();
        var gen = new Generator(13);
        using var model = new Sequential(
            new Linear(16, 12, gen, device: D), new Activation(ActivationKind.Tanh),
            new Linear(12, 8, gen, device: D), new Activation(ActivationKind.Tanh),
            new Linear(8, 12, gen, device: D), new Activation(ActivationKind.Tanh),
            new Linear(12, 16, gen, device: D));
        var opt = new Adam(model.Parameters(), 1e-3f);
        var x = Tensor.Rand([4, 16], gen, device: D);
        long Step(bool fused) => Launches(() =>
        {
            using var s = TensorScope.Begin();
            opt.ZeroGrad();
            Tensor y = x;
            if (fused) y = model.Forward(x);
            else foreach (var l in model.Layers) y = l.Forward(y);
            var loss = fused ? Tensor.BinaryCrossEntropyWithLogits(y, x) : y.Softplus() - x * y;
            loss.Mean().Backward();
            opt.Step();
        });
        Step(true);
        var (f, u) = (Step(true), Step(false));
        Assert.True(u - f >= 3 + 2, $"fused {f}, unfused {u}");   // three bias+tanh, BCE forward (3 → 1), and its backward
    }

    // ---- RBM sampling ----

    private static BernoulliRbm Rbm(Device d)
    {
        var rbm = new BernoulliRbm(9, 7, d);
        rbm.InitializeWeights(new Generator(14), 0.5f);
        using var _ = Tensor.NoGrad();
        rbm.VisibleBias.CopyFrom(Tensor.Randn([9], new Generator(15), device: d));
        rbm.HiddenBias.CopyFrom(Tensor.Randn([7], new Generator(16), device: d));
        return rbm;
    }

    [Fact]
    public void RbmSamplingMatchesTheCpuDrawsWithFewerLaunches()
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        using var rc = Rbm(Device.Cpu);
        using var rg = Rbm(D);
        var v = Tensor.Bernoulli(Tensor.Full([50, 9], 0.4f), new Generator(17));
        var vg = v.To(D);
        var (gc, gg) = (new Generator(18), new Generator(18));
        var hc = rc.SampleHidden(v, gc);
        Tensor hg = null!;
        long fusedH = Launches(() => hg = rg.SampleHidden(vg, gg));
        Assert.Equal(hc.ToArray(), hg.ToArray());
        var vc2 = rc.SampleVisible(hc, gc);
        Tensor vg2 = null!;
        long fusedV = Launches(() => vg2 = rg.SampleVisible(hg, gg));
        Assert.Equal(vc2.ToArray(), vg2.ToArray());
        Assert.Equal(gc.State, gg.State);
        Assert.True(vc2.ToArray().Sum() is > 0 and < 450);   // not a degenerate draw
        Close(rc.HiddenProbabilities(v), rg.HiddenProbabilities(vg), what: "P(h|v)");
        Close(rc.VisibleMean(hc), rg.VisibleMean(hg), what: "E[v|h]");

        var gu = new Generator(18);
        long chainH = Launches(() => Tensor.Bernoulli(Tensor.Linear(vg, rg.W, rg.HiddenBias).Sigmoid(), gu));
        long chainV = Launches(() => Tensor.Bernoulli(Tensor.Linear(hg, rg.W, rg.VisibleBias, transW: true).Sigmoid(), gu));
        Assert.Equal(chainH - 2, fusedH);   // bias copy, GEMM, σ, draw → GEMM, fused σ-and-draw
        Assert.Equal(chainV - 2, fusedV);
    }

    [Fact]
    public void PcdStepsMatchTheCpuTrainer()
    {
        var host = new float[20 * 9];
        var g = new Generator(19);
        for (int i = 0; i < host.Length; i++) host[i] = g.NextDouble() < 0.3 ? 1f : 0f;
        (float[] W, float[] Chains) Train(Device d)
        {
            using var scope = TensorScope.Begin();
            using var rbm = Rbm(d);
            using var trainer = new RbmTrainer(rbm, new RbmTrainingOptions { Solver = RbmSolver.Pcd, BatchSize = 20, LearningRate = 0.05f, Seed = 3 });
            var v = Tensor.FromArray(host, [20, 9], d);
            trainer.RecordNegatives = true;
            for (int s = 0; s < 3; s++) trainer.Step(v);
            return (rbm.W.ToArray(), trainer.LastNegative!.Value.V.ToArray());
        }
        var (c, u) = (Train(Device.Cpu), Train(D));
        Assert.Equal(c.Chains, u.Chains);
        for (int i = 0; i < c.W.Length; i++) Assert.True(Math.Abs(c.W[i] - u.W[i]) <= 1e-5 * (Math.Abs(c.W[i]) + 0.1), $"W[{i}]: {u.W[i]} vs {c.W[i]}");
    }

    // ---- Reparameterised draws ----

    [Theory]
    [InlineData("gaussian")]
    [InlineData("laplace")]
    public void ReparameterisedDrawMatchesTheCpuChainWithFewerLaunches(string family)
    {
        using var scope = TensorScope.Begin();
        var latent = LatentFamilies.Get(family);
        var mu = Tensor.Randn([8, 5], new Generator(20));
        var logSigma = Tensor.Randn([8, 5], new Generator(21), 0f, 0.5f);
        var w = Tensor.Randn([1, 8, 5], new Generator(22));
        var (muc, lsc, gc) = (Leaf(mu, Device.Cpu), Leaf(logSigma, Device.Cpu), new Generator(23));
        var zc = latent.Draw(muc, lsc, 1, gc);
        (zc * w).Sum().Backward();
        var (mug, lsg, gg) = (Leaf(mu, D), Leaf(logSigma, D), new Generator(23));
        Tensor zg = null!;
        long fused = Launches(() => zg = latent.Draw(mug, lsg, 1, gg));
        Close(zc, zg, what: "z");
        Assert.Equal(gc.State, gg.State);
        (zg * w.To(D)).Sum().Backward();
        Close(muc.Grad!, mug.Grad!, what: "dμ");
        Close(lsc.Grad!, lsg.Grad!, what: "d log σ");

        var gu = new Generator(23);
        long chain = Launches(() => latent.Sample(mug, lsg, latent.Noise([1, 8, 5], gu, D)));
        Assert.True(fused < chain, $"{fused} vs {chain}");
    }
}
