// Each fused kernel against the chain of primitives it replaces, on the same backend (the CPU accelerator):
// the same bits, except BCE's gradient: (σ(z) − t)·g rounds once where σ(z)·g − t·g cancels, so they agree to 1e-5.
using Gibbs.Backends;
using Gibbs.Cuda;
using Gibbs.Rng;

namespace Gibbs.Tests.Cuda;

public class FusedKernelTests
{
    private readonly IlgpuBackend _b = IlgpuTestBackend.Backend;
    private Device D => IlgpuTestBackend.Device;

    [Theory]
    [InlineData(UnaryOp.Relu)]
    [InlineData(UnaryOp.Tanh)]
    [InlineData(UnaryOp.Sigmoid)]
    [InlineData(UnaryOp.Softplus)]
    public void BiasActivationIsAddThenActivation(UnaryOp act)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([37, 29], new Generator(1), device: D);
        var bias = Tensor.Randn([29], new Generator(2), device: D);
        var y = Tensor.Zeros([37, 29], D);
        _b.BiasActivation(x.Storage, bias.Storage, y.Storage, 37, 29, act);
        var sum = x + bias;
        var expected = Tensor.Zeros([37, 29], D);
        _b.Unary(act, sum.Storage, expected.Storage, sum.Length);
        Assert.Equal(expected.ToArray(), y.ToArray());
    }

    [Fact]
    public void SigmoidBceGivesTheLossAndItsGradient()
    {
        using var scope = TensorScope.Begin();
        var z = Tensor.Randn([1000], new Generator(3), 0f, 4f, device: D);
        var t = Tensor.Rand([1000], new Generator(4), device: D);
        var (loss, grad) = (Tensor.Zeros([1000], D), Tensor.Zeros([1000], D));
        _b.SigmoidBceWithLogits(z.Storage, t.Storage, loss.Storage, grad.Storage, 1000, 1f / 1000);
        Assert.Equal(Tensor.BinaryCrossEntropyWithLogits(z, t).ToArray(), loss.ToArray());
        var zt = z.Detach().RequireGrad();
        Tensor.BinaryCrossEntropyWithLogits(zt, t).Mean().Backward();
        var (g, e) = (grad.ToArray(), zt.Grad!.ToArray());
        for (int i = 0; i < g.Length; i++) Assert.True(Math.Abs(g[i] - e[i]) <= 1e-5 * Math.Abs(e[i]) + 1e-10, $"{g[i]} vs {e[i]}");
    }

    [Theory]
    [InlineData(RandomKind.Normal)]
    [InlineData(RandomKind.Laplace)]
    public void ReparameterizeIsNoiseTimesScalePlusMean(RandomKind kind)
    {
        using var scope = TensorScope.Begin();
        const int n = 1003;
        var mu = Tensor.Randn([n], new Generator(5), device: D);
        var s = Tensor.Rand([n], new Generator(6), 0.1f, 2f, device: D);
        var y = Tensor.Zeros([n], D);
        _b.Reparameterize(kind, mu.Storage, s.Storage, 77, 5, y.Storage, n);
        var eps = Tensor.Zeros([n], D);
        _b.Random(kind, 77, 5, eps.Storage, n, 0f, 1f);
        Assert.Equal((mu + s * eps).ToArray(), y.ToArray());
    }

    [Fact]
    public void SampleSigmoidBernoulliIsAddSigmoidSample()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([50, 21], new Generator(7), device: D);
        var bias = Tensor.Randn([21], new Generator(8), device: D);
        var (p, h) = (Tensor.Zeros([50, 21], D), Tensor.Zeros([50, 21], D));
        _b.SampleSigmoidBernoulli(x.Storage, bias.Storage, 50, 21, 99, 3, p.Storage, h.Storage);
        var expectedP = (x + bias).Sigmoid();
        var expectedH = Tensor.Zeros([50, 21], D);
        _b.SampleBernoulli(expectedP.Storage, 99, 3, expectedH.Storage, 50 * 21);
        Assert.Equal(expectedP.ToArray(), p.ToArray());
        Assert.Equal(expectedH.ToArray(), h.ToArray());
    }
}
