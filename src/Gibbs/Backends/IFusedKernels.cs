// Fused kernels for the hot chains of a training step (issue 15, item 3), as an optional backend capability: a
// backend that has them implements this interface (the ILGPU backend does; the CPU backend does not), and the core
// tests `backend is IFusedKernels` where a chain of primitives would otherwise be launched one by one (Tensor.Fused.cs).
// Each is defined as the unfused chain it replaces and gives the same bits on the same backend (FusedKernelTests);
// none is differentiable on its own — the core records the chain's gradient rule (FusedHookTests).
namespace Gibbs.Backends;

public interface IFusedKernels
{
    /// <summary>
    /// y[r, c] = act(x[r, c] + bias[c]) for x, y [rows, cols], bias [cols]; act is one of Copy, Relu, Tanh, Sigmoid,
    /// Softplus (as Binary(Add) then Unary(act)). y may be x.
    /// </summary>
    void BiasActivation(Storage x, Storage bias, Storage y, int rows, int cols, UnaryOp activation);

    /// <summary>
    /// Binary cross-entropy with logits, elementwise, and its gradient in one pass over z, t [n]:
    /// loss[i] = softplus(z) − t·z (Tensor.BinaryCrossEntropyWithLogits, same bits),  grad[i] = (σ(z) − t)·gradScale
    /// (gradScale = upstream / n for a mean; one rounding where the unfused chain σ(z)·g − t·g cancels: equal to ~1e-5).
    /// </summary>
    void SigmoidBceWithLogits(Storage logits, Storage targets, Storage loss, Storage grad, int n, float gradScale);

    /// <summary>
    /// Reparameterised draw y = μ + s·ε over n elements, ε element i of the standard Normal or Laplace stream
    /// (seed, counter): the same bits as Random(kind, seed, counter, ε, n, 0, 1), then Mul, then Add.
    /// </summary>
    void Reparameterize(RandomKind kind, Storage mu, Storage scale, ulong seed, ulong counter, Storage y, int n);

    /// <summary>
    /// The RBM's sampling step: p[r, c] = σ(x[r, c] + bias[c]) and s[r, c] = 1 when uniform (r·cols + c) of stream
    /// (seed, counter) is below p, else 0 — Binary(Add), Unary(Sigmoid), SampleBernoulli in one launch.
    /// </summary>
    void SampleSigmoidBernoulli(Storage x, Storage bias, int rows, int cols, ulong seed, ulong counter, Storage probabilities, Storage samples);
}
