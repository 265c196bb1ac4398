// The β-VAE preset (001_ada2633fde8fc741.txt §3: δ = 1, γ = 0, ρ = β, i.e. D + βR) on the Gibbs machine's components
// (src/Gibbs/Models/Gm, seed 000): its tanh encoder to (μ, log σ), Gaussian latents with prior N(0, I), and its Bernoulli
// decoder. The Gibbs machine's generative error D_gen is exactly the rate R = KL(p(z|x) ‖ N(0, I)) and its reconstruction
// error −log L_rec exactly the distortion D = E −log q(x|z); β = 1 is the machine's own bound B (the VAE's negative ELBO).
// Not here: training (DataScaleTrainer), which binarises each batch afresh as the Gibbs-machine trainer does.
using Gibbs.Models.Gm;
using Gibbs.Rng;

namespace Gibbs.Models.Therml;

public static class BetaVae
{
    /// <summary>A Gibbs machine with Gaussian latents and Bernoulli reconstruction, e.g. arch "784-1024-1024-256-1024-1024-784".</summary>
    public static GibbsMachine Create(string arch, Generator gen, Backends.Device? device = null) =>
        new(GmArchitecture.Parse(arch), LatentFamilies.Get("gaussian"), ReconstructionKind.Bernoulli, gen, device);

    /// <summary>Batch means of R (nats) and D (nats) for binary rows x [N×features], one reparameterised draw per row from <paramref name="gen"/>. Differentiable.</summary>
    public static (Tensor Rate, Tensor Distortion) Terms(GibbsMachine model, Tensor x, Generator gen)
    {
        Check(model);
        var terms = model.Objective(x, GmObjective.Bound, 1, gen);
        return (terms.GenerativeError.Mean(), terms.ReconstructionError.Mean());
    }

    /// <summary>The β-VAE needs Gaussian latents (R is the KL to N(0, I)) and Bernoulli reconstruction (D of binary pixels).</summary>
    public static void Check(GibbsMachine model)
    {
        if (model.Latent.Name != "gaussian" || model.Reconstruction != ReconstructionKind.Bernoulli || model.Symmetry is not null)
            throw new GibbsException($"the β-VAE preset runs on a Gibbs machine with Gaussian latents, Bernoulli reconstruction and no symmetry latents; this one has {model.Latent.Name} latents and {model.Reconstruction.ToString().ToLowerInvariant()} reconstruction");
    }
}
