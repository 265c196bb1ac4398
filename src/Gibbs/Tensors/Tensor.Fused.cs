// Fused chains (issue 15, item 3): where the backend has IFusedKernels, a chain of primitives runs as one launch and
// the op records the chain's gradient rule itself; elsewhere (the CPU backend) the same recorded ops run as before, so
// results there do not change by a bit. Each fused op falls back to the chain on shapes its kernel does not take.
using Gibbs.Backends;
using Gibbs.Rng;

namespace Gibbs;

public sealed partial class Tensor
{
    /// <summary>The backend's fused kernels, or null when it has none.</summary>
    internal static IFusedKernels? FusedKernels(Tensor t) => t.Backend as IFusedKernels;

    /// <summary>
    /// act(x + b) for x [N×F] and b [F]: Copy (none), Tanh, Sigmoid, Relu or Softplus — the bias add and non-linearity
    /// of a linear layer in one launch where the backend has fused kernels. Same values and gradients as
    /// <c>(x + b).Tanh()</c> etc.: dL/dx = g ⊙ act′, dL/db = Σ_rows g ⊙ act′.
    /// </summary>
    public static Tensor BiasActivation(Tensor x, Tensor bias, UnaryOp activation)
    {
        if (activation is not (UnaryOp.Copy or UnaryOp.Tanh or UnaryOp.Sigmoid or UnaryOp.Relu or UnaryOp.Softplus))
            Internals.Throw.Argument($"BiasActivation takes Copy, Tanh, Sigmoid, Relu or Softplus, not {activation}");
        if (FusedKernels(x) is not { } f || x.Rank != 2 || bias.Rank != 1 || bias.Length != x._shape[1] || x.Device != bias.Device)
            return ApplyActivation(x + bias, activation);
        var y = Empty(x.Backend, x._shape);
        f.BiasActivation(x.Storage, bias.Storage, y.Storage, x._shape[0], x._shape[1], activation);
        if (!Taping(x, bias)) return y;
        return Record(y, "bias_" + activation.ToString().ToLowerInvariant(), [x, bias], activation switch
        {
            UnaryOp.Tanh => static (g, y, x) => BiasGrads(g * (1f - y.Square()), x),
            UnaryOp.Sigmoid => static (g, y, x) => BiasGrads(g * y * (1f - y), x),
            UnaryOp.Relu => static (g, y, x) => BiasGrads(g * y.UnaryRaw(UnaryOp.Step), x), // step(relu(s)) = step(s)
            UnaryOp.Softplus => static (g, _, x) => BiasGrads(g * BiasActivation(x[0], x[1], UnaryOp.Sigmoid), x),
            _ => static (g, _, x) => BiasGrads(g, x),
        });
    }

    // The add's rule after the activation's: the pre-activation gradient to x, summed over rows to b.
    private static Tensor?[] BiasGrads(Tensor gs, Tensor[] x) =>
        [x[0].NeedsGrad ? gs : null, x[1].NeedsGrad ? SumTo(gs, x[1].Shape) : null];

    private static Tensor ApplyActivation(Tensor s, UnaryOp activation) => activation switch
    {
        UnaryOp.Tanh => s.Tanh(),
        UnaryOp.Sigmoid => s.Sigmoid(),
        UnaryOp.Relu => s.Relu(),
        UnaryOp.Softplus => s.Softplus(),
        _ => s,
    };

    /// <summary>
    /// act(x·op(W) + b) with no tape, as one GEMM and one fused launch; null when the backend has no fused kernels or a
    /// tape would be recorded (the caller then runs its unfused chain).
    /// </summary>
    internal static Tensor? LinearActivationUntaped(Tensor x, Tensor w, Tensor b, bool transW, UnaryOp activation)
    {
        if (!Fusable(x, w, b, transW)) return null;
        var y = MatMul(x, w, transB: transW);
        FusedKernels(x)!.BiasActivation(y.Storage, b.Storage, y.Storage, y._shape[0], y._shape[1], activation);
        return y;
    }

    /// <summary>
    /// Bernoulli(σ(x·op(W) + b)) with no tape: one GEMM and one fused launch (sigmoid and draw), consuming the generator
    /// exactly as <c>Bernoulli(Linear(x, W, b).Sigmoid(), gen)</c>; null where <see cref="LinearActivationUntaped"/> is.
    /// </summary>
    internal static Tensor? SampleLinearSigmoidUntaped(Tensor x, Tensor w, Tensor b, bool transW, Generator gen)
    {
        if (!Fusable(x, w, b, transW)) return null;
        var y = MatMul(x, w, transB: transW);
        using var p = EmptyLike(y).Untrack();
        ulong counter = gen.Reserve(y.Length);
        FusedKernels(x)!.SampleSigmoidBernoulli(y.Storage, b.Storage, y._shape[0], y._shape[1], gen.Seed, counter, p.Storage, y.Storage);
        return y;
    }

    /// <summary>
    /// The reparameterised draw y = μ + s·ε [shape], ε standard Normal or Laplace from <paramref name="gen"/> (reserved as
    /// <c>Randn(shape, gen)</c> / <c>RandLaplace(shape, gen)</c> would), in one launch; μ and s have one shape with as many
    /// elements as <paramref name="shape"/> (no broadcasting). dL/dμ = g, dL/ds = g ⊙ ε (ε drawn again from the same
    /// stream in the backward: one launch, no stored noise). Null when the backend has no fused kernels or the shapes
    /// do not fit: the caller then draws ε and runs μ + s·ε.
    /// </summary>
    internal static Tensor? TryReparameterize(Tensor mu, Tensor scale, RandomKind kind, Generator gen, int[] shape)
    {
        if (kind == RandomKind.Uniform || FusedKernels(mu) is not { } f || mu.Device != scale.Device
            || !mu.Shape.SequenceEqual(scale.Shape) || ShapeLength(shape) != mu.Length)
            return null;
        var y = Empty(mu.Backend, shape);
        ulong seed = gen.Seed, counter = gen.Reserve(y.Length);
        f.Reparameterize(kind, mu.Storage, scale.Storage, seed, counter, y.Storage, y.Length);
        if (!Taping(mu, scale)) return y;
        return Record(y, "reparameterize", [mu, scale], g =>
        {
            if (!scale.NeedsGrad) return [mu.NeedsGrad ? g.Reshape(mu._shape) : null, null];
            var eps = Empty(g.Backend, g._shape);
            g.Backend.Random(kind, seed, counter, eps.Storage, eps.Length, 0f, 1f);
            return [mu.NeedsGrad ? g.Reshape(mu._shape) : null, (g * eps).Reshape(scale._shape)];
        });
    }

    private static bool Fusable(Tensor x, Tensor w, Tensor b, bool transW) =>
        FusedKernels(x) is not null && x.Rank == 2 && w.Rank == 2 && b.Rank == 1 && b.Length == (transW ? w._shape[0] : w._shape[1])
        && x.Device == w.Device && x.Device == b.Device
        && !(GradMode.IsEnabled && (x._requiresGrad || w._requiresGrad || b._requiresGrad));
}
