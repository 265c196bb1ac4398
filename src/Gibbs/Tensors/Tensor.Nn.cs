// Composite ops the models need: one-hot, gather by label, maxout, numerically stable
// binary cross-entropy with logits. Composed from primitives, so their gradients come for free.
using Gibbs.Internals;

namespace Gibbs;

public sealed partial class Tensor
{
    /// <summary>[N] integer labels (stored as floats) → [N×classes] one-hot rows. Not differentiable.</summary>
    public static Tensor OneHot(Tensor labels, int classes)
    {
        if (labels.Rank != 1) Throw.Shape($"one-hot needs rank-1 labels, got {Format(labels.Shape)}");
        if (classes < 1) Throw.Argument($"one-hot needs at least one class, got {classes}");
        CheckIndices(labels, classes, "one-hot labels");
        var y = Empty(labels.Backend, [labels.Length, classes]);
        labels.Backend.OneHot(labels.Storage, y.Storage, labels.Length, classes);
        return y;
    }

    /// <summary>[N×C] values, [N] labels → [N] with y[i] = x[i, labels[i]], in O(N) (no one-hot). Gradient flows to x.</summary>
    public Tensor Gather(Tensor labels)
    {
        if (Rank != 2 || labels.Rank != 1 || labels.Length != _shape[0])
            Throw.Shape($"gather needs [N×C] values and [N] labels, got {Format(Shape)} and {Format(labels.Shape)}");
        return TakeAlong(1, labels);
    }

    /// <summary>Maxout (Goodfellow et al. 2013): [N×(G·k)] → [N×G], the maximum over each group of k consecutive units.</summary>
    public Tensor Maxout(int k)
    {
        if (k < 1 || Rank != 2 || _shape[1] % k != 0)
            Throw.Shape($"maxout with groups of {k} needs a [N×F] tensor with F divisible by {k}, got {Format(Shape)}");
        return Reshape(_shape[0], _shape[1] / k, k).Max(2);
    }

    /// <summary>
    /// Elementwise binary cross-entropy from logits z and targets x ∈ [0,1]:
    /// −[x log σ(z) + (1−x) log(1−σ(z))] = softplus(z) − x·z (stable for any z). Gradient σ(z) − x.
    /// Where the backend has fused kernels (and z, x have one shape, x needing no gradient) the loss and σ(z) − x come
    /// from one launch and the backward is one product; elsewhere it is the chain of recorded ops.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets)
    {
        if (FusedKernels(logits) is { } f && logits.Device == targets.Device && logits.Shape.SequenceEqual(targets.Shape)
            && !(GradMode.IsEnabled && targets._requiresGrad))
            return FusedBce(f, logits, targets);
        return logits.Softplus() - targets * logits;
    }

    private static Tensor FusedBce(Backends.IFusedKernels f, Tensor logits, Tensor targets)
    {
        var loss = EmptyLike(logits);
        var d = EmptyLike(logits); // σ(z) − x, kept for the backward
        f.SigmoidBceWithLogits(logits.Storage, targets.Storage, loss.Storage, d.Storage, logits.Length, 1f);
        if (!Taping(logits))
        {
            d.Dispose();
            return loss;
        }
        // With createGraph the rule is written in recorded ops (σ(z) − x depends on z); otherwise g ⊙ d.
        return Record(loss, "bce_with_logits", [logits, targets], g =>
            [logits.NeedsGrad ? (GradMode.IsEnabled ? g * (logits.Sigmoid() - targets) : g * d) : null, null]);
    }

    /// <summary>Mean over rows of −log softmax(z)[label]: [N×C] logits, [N] labels → scalar.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels) =>
        -logits.LogSoftmax(1).Gather(labels).Mean();

    /// <summary>Fraction of rows whose arg-max equals the label.</summary>
    public static float Accuracy(Tensor logits, Tensor labels)
    {
        using var scope = TensorScope.Begin();
        using var _ = NoGrad();
        return logits.ArgMax(1).Eq(labels).Mean().Item();
    }
}
