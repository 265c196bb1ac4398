// Bernoulli log-likelihood from logits, stable for any logit: log p(x | z) = x·log σ(z) + (1−x)·log σ(−z)
// = −(softplus(z) − x·z), the reconstruction term of binarised-data models.
namespace Gibbs.Distributions;

public static class Bernoulli
{
    public static double LogLikelihood(double x, double logit) =>
        x * -Softplus(-logit) + (1 - x) * -Softplus(logit);

    /// <summary>Elementwise log p(x | logits) (≤ 0).</summary>
    public static Tensor LogLikelihood(Tensor x, Tensor logits) => -Tensor.BinaryCrossEntropyWithLogits(logits, x);

    private static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
}
