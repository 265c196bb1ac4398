// A latent density family of a Gibbs machine (000_c7b547386cdeff84.txt §2.3–2.7, §3.7, App. B): a prior p(z)
// and a posterior p(z|x) in the same Gibbs/exponential family, parameterised per latent unit by a location μ and a
// log-scale s = log σ (σ = 1, μ = 0 gives the prior). Every member gives reparameterised draws z = μ + σ·c·ε with a
// fixed noise law ε, elementwise log densities, and the generative error D_gen = D(p(z|x) ‖ p(z)) in closed form.
// A family is one file implementing this interface; LatentFamilies finds it by reflection.
using Gibbs.Rng;

namespace Gibbs.Models.Gm;

public interface ILatentFamily
{
    /// <summary>The name the CLI and checkpoints use ("gaussian", "laplace").</summary>
    string Name { get; }

    /// <summary>One line: the prior and the posterior.</summary>
    string Description { get; }

    /// <summary>Standard noise ε (the posterior at μ = 0, σ = 1 is the law of ε), [shape].</summary>
    Tensor Noise(ReadOnlySpan<int> shape, Generator gen, Backends.Device? device = null);

    /// <summary>The reparameterised draw z = μ + σ·c·ε (differentiable in μ and log σ); shapes broadcast.</summary>
    Tensor Sample(Tensor mu, Tensor logSigma, Tensor noise);

    /// <summary>
    /// <paramref name="draws"/> reparameterised draws per row, [draws×N×latent] for μ, log σ [N×latent]: the same as
    /// <c>Sample(mu, logSigma, Noise([draws, N, latent], gen, mu.Device))</c>, which a family may fuse into one launch.
    /// </summary>
    Tensor Draw(Tensor mu, Tensor logSigma, int draws, Generator gen) =>
        Sample(mu, logSigma, Noise([draws, mu.Dim(0), mu.Dim(1)], gen, mu.Device));

    /// <summary>Elementwise log p(z|x) for the posterior with location μ and log-scale log σ.</summary>
    Tensor LogPosterior(Tensor z, Tensor mu, Tensor logSigma);

    /// <summary>Elementwise log p(z) of the prior.</summary>
    Tensor LogPrior(Tensor z);

    /// <summary>Elementwise D_gen = D(p(z|x) ‖ p(z)) in nats (closed form, differentiable).</summary>
    Tensor GenerativeError(Tensor mu, Tensor logSigma);

    /// <summary>The same in double, for tests and reports.</summary>
    double GenerativeError(double mu, double sigma);

    /// <summary>log p(z|x) in double.</summary>
    double LogPosterior(double z, double mu, double sigma);

    /// <summary>log p(z) in double.</summary>
    double LogPrior(double z);

    /// <summary>
    /// The regressors of the seed's variational-error regression (eq. 3.11) for one latent unit: the statistics that
    /// log p(z) − log p(z|x) is linear in, so that regressing log p(x, z) − log p(z|x) on them leaves the residual ε.
    /// </summary>
    double[] RegressionFeatures(double z, double mu);
}
