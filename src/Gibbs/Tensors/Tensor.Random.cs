// Random tensors from the counter-based generator: the same seed gives the same numbers on any
// thread count and (with the CUDA backend) on any device.
using Gibbs.Backends;
using Gibbs.Rng;

namespace Gibbs;

public sealed partial class Tensor
{
    private static Tensor RandomRaw(RandomKind kind, ReadOnlySpan<int> shape, Generator gen, float a, float b, Device? device)
    {
        var t = Empty(shape, device);
        ulong counter = gen.Reserve(t.Length);
        t.Backend.Random(kind, gen.Seed, counter, t.Storage, t.Length, a, b);
        return t;
    }

    /// <summary>Uniform on [lo, hi).</summary>
    public static Tensor Rand(ReadOnlySpan<int> shape, Generator gen, float lo = 0f, float hi = 1f, Device? device = null) =>
        RandomRaw(RandomKind.Uniform, shape, gen, lo, hi, device);

    /// <summary>Normal N(mean, std²).</summary>
    public static Tensor Randn(ReadOnlySpan<int> shape, Generator gen, float mean = 0f, float std = 1f, Device? device = null) =>
        RandomRaw(RandomKind.Normal, shape, gen, mean, std, device);

    /// <summary>Laplace with density exp(−|x−loc|/scale)/(2·scale).</summary>
    public static Tensor RandLaplace(ReadOnlySpan<int> shape, Generator gen, float loc = 0f, float scale = 1f, Device? device = null) =>
        RandomRaw(RandomKind.Laplace, shape, gen, loc, scale, device);

    /// <summary>Bernoulli samples (1 with probability p) of the same shape as <paramref name="probabilities"/>. Not differentiable.</summary>
    public static Tensor Bernoulli(Tensor probabilities, Generator gen)
    {
        var y = EmptyLike(probabilities);
        ulong counter = gen.Reserve(y.Length);
        y.Backend.SampleBernoulli(probabilities.Storage, gen.Seed, counter, y.Storage, y.Length);
        return y;
    }

    /// <summary>One categorical draw per row of [N×C] logits (Gumbel-max), as float class indices [N].</summary>
    public static Tensor Categorical(Tensor logits, Generator gen)
    {
        using var scope = TensorScope.Begin();
        using var _ = NoGrad();
        var u = RandomRaw(RandomKind.Uniform, logits.Shape, gen, 0f, 1f, logits.Device);
        // Gumbel noise −log(−log u); u ∈ [0,1) so shift away from 0.
        var gumbel = (u * (1f - 1e-7f) + 1e-7f).Log().Neg().Log().Neg();
        return (logits + gumbel).ArgMax(1).MoveToOuterScope();
    }
}
