// Evaluation of a trained RBM on data: log Z (exact, AIS or TAP), hence the mean log-likelihood
// −F̄(v) − log Z in nats, plus pseudo-likelihood, reconstruction error and the EMF (TAP) score.
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

public enum LogZMethod { Auto, Exact, Ais, Tap }

/// <summary>What <see cref="RbmEvaluation.Evaluate"/> measured. NaN marks quantities that do not apply.</summary>
public sealed record RbmScores(
    string Method, double LogZ, double LogZStdErr, double LogZLow, double LogZHigh,
    double MeanFreeEnergy, double MeanLogLikelihood, double LogLikelihoodLow, double LogLikelihoodHigh,
    double PseudoLikelihood, double ReconstructionError, double TapScore, int Samples);

public static class RbmEvaluation
{
    /// <param name="rbm">The model.</param>
    /// <param name="data">Evaluation rows [N × n_visible] (binary for Bernoulli models).</param>
    /// <param name="baseRateData">Rows whose marginals define AIS's base model (usually the training data); defaults to <paramref name="data"/>.</param>
    public static RbmScores Evaluate(Rbm rbm, Tensor data, LogZMethod method, AisOptions? ais = null, Tensor? baseRateData = null,
                                     ulong seed = 1, Action<int, int>? progress = null)
    {
        rbm.CheckVisible(data);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        if (method == LogZMethod.Auto)
            method = (rbm is GaussianBernoulliRbm ? rbm.NHidden : Math.Min(rbm.NVisible, rbm.NHidden)) <= PartitionFunction.MaxEnumeratedUnits ? LogZMethod.Exact : LogZMethod.Ais;
        double logZ, se = 0, lo, hi;
        switch (method)
        {
            case LogZMethod.Exact:
                logZ = PartitionFunction.ExactLogZ(rbm);
                lo = hi = logZ;
                break;
            case LogZMethod.Ais:
                var options = (ais ?? new AisOptions()) with { Seed = seed };
                var r = rbm is GaussianBernoulliRbm g
                    ? Ais.LogZ(g, Ais.BaseMean(g, baseRateData ?? data), options, progress)
                    : Ais.LogZ((BernoulliRbm)rbm, Ais.BaseRateBias(baseRateData ?? data), options, progress);
                (logZ, se, lo, hi) = (r.LogZ, r.StdErr, r.LogZLow, r.LogZHigh);
                break;
            case LogZMethod.Tap:
                var bt = rbm as BernoulliRbm ?? throw new GibbsException("the TAP estimate of log Z needs binary visible units");
                logZ = bt.TapLogZ(baseRateData ?? data, TapOrder.Tap2);
                lo = hi = logZ;
                se = double.NaN;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(method));
        }
        double f = rbm.MeanFreeEnergy(data);
        if (!double.IsFinite(logZ) || !double.IsFinite(f))
            throw new GibbsException($"the log-likelihood overflows: {(double.IsFinite(f) ? $"log Z ({method.ToString().ToLowerInvariant()})" : "the mean free energy")} is not finite in float32 (max |W| = {Math.Max(rbm.W.MaxValue(), -rbm.W.MinValue()):G3}); the model's weights are too large to evaluate — retrain with a smaller --lr or with --decay");
        double pl = double.NaN, tap = double.NaN;
        if (rbm is BernoulliRbm br)
        {
            pl = br.PseudoLikelihood(data, new Generator(seed).Fork(0x706c)).Mean().Item();
            tap = br.TapScore(data).Mean().Item();
        }
        return new RbmScores(method.ToString().ToLowerInvariant(), logZ, se, lo, hi, f, -f - logZ, -f - hi, -f - lo,
                             pl, rbm.ReconstructionError(data), tap, data.Dim(0));
    }
}
