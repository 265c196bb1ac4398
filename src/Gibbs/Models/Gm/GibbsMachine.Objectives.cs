// What a Gibbs machine minimises, per observation (000_c7b547386cdeff84.txt §3.5–3.8):
//   bound — B = D_gen − log L_rec (eq. 3.8), D_gen closed form, −log L_rec by L reparameterised draws (the seed's target);
//   iwae  — −log (1/K) Σₖ wₖ, wₖ = p(x, zₖ)/p(zₖ|x) (Burda et al. 2016): the Monte-Carlo form of eq. 3.15–3.16, since
//           B − log E[e^ε] = −log E[w] with ε = log w + B (eq. 3.13); it tightens towards −log q(x) as K grows;
//   dvar  — B − D̂_var with the seed's Gaussian closed form D̂_var = σ_ε²/2 (§3.8), σ_ε² the sample variance of log wₖ
//           over L draws (the residual of eq. 3.13 about its mean). Not a bound: a second-order cumulant correction.
namespace Gibbs.Models.Gm;

public enum GmObjective { Bound, Iwae, Dvar }

/// <summary>The per-observation terms of one evaluation of the objective, each [N].</summary>
public sealed record GmTerms(Tensor Loss, Tensor GenerativeError, Tensor ReconstructionError);

public sealed partial class GibbsMachine
{
    /// <summary>
    /// The objective per observation for rows x [N×features]: <paramref name="draws"/> latent draws per row (L for the
    /// bound and dvar, K for iwae). Differentiable; the batch loss is <c>terms.Loss.Mean()</c>.
    /// </summary>
    public GmTerms Objective(Tensor x, GmObjective objective, int draws, Rng.Generator gen)
    {
        if (draws < 1) throw new GibbsException($"the objective needs at least 1 latent draw per observation, got {draws}");
        if (objective == GmObjective.Dvar && draws < 2) throw new GibbsException("--objective dvar estimates a variance: give at least 2 latent draws (--draws 2 or more)");
        var (mu, logSigma) = Encode(x);
        var dgen = Latent.GenerativeError(mu, logSigma).Sum(1);
        var z = Latent.Draw(mu, logSigma, draws, gen);                                                 // [D×N×latent]
        var logRec = ReconstructionLogLikelihood(x, Decode(z));                                            // [D×N]
        var rec = -logRec.Mean(0);
        if (objective == GmObjective.Bound) return new GmTerms(dgen + rec, dgen, rec);
        var logW = logRec + (Latent.LogPrior(z) - Latent.LogPosterior(z, mu, logSigma)).Sum(2);           // [D×N]
        if (objective == GmObjective.Iwae)
            return new GmTerms(-(logW.LogSumExp(0) - MathF.Log(draws)), dgen, rec);
        var centred = logW - logW.Mean(0, keepDim: true);
        var variance = centred.Square().Sum(0) * (1f / (draws - 1));
        return new GmTerms(dgen + rec - variance * 0.5f, dgen, rec);
    }
}
