// The dual reconstruction error of 000_c7b547386cdeff84.txt eq. 5.1 (§5.1, App. A): in the space of observations,
// each observable — column xᵢ = {x_μi}_μ of the B × N batch — is reconstructed from the first hidden layer H [B × P]
// of a classifier, treated as the rescaled dual weight matrix √B·V of a shallow auto-encoder, as σ(H Hᵀ xᵢ / B), and
//   −log L′ = (1/B) Σᵢ Σ_μ BCE(x_μi, σ((H Hᵀ X / B)_μi)),
// the binary cross-entropy summed over the batch and the observables and normalised by B. Computed as H·(HᵀX)/B
// (2·B·P·N multiply-adds, never the B × B matrix), with BCE from logits.
namespace Gibbs.Models.Ace;

public static class DualReconstruction
{
    /// <summary>−log L′ of eq. 5.1 for the first hidden layer h [B×P] and the batch x [B×N] (values in [0, 1]); a scalar.</summary>
    public static Tensor Error(Tensor h, Tensor x)
    {
        if (h.Rank != 2 || x.Rank != 2 || h.Dim(0) != x.Dim(0))
            throw new ShapeException($"the dual reconstruction needs H [B×P] and the batch [B×N] with the same B, got {Tensor.Format(h.Shape)} and {Tensor.Format(x.Shape)}");
        float inv = 1f / h.Dim(0);
        var logits = Tensor.MatMul(h, Tensor.MatMul(h, x, transA: true)) * inv;
        return Tensor.BinaryCrossEntropyWithLogits(logits, x).Sum() * inv;
    }
}
