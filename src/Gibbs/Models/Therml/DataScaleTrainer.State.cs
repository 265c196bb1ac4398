// DataScaleTrainer: test evaluation (no gradient, in chunks, from a generator the caller gives) and the training state —
// everything the next update reads: weights, Adam's moments and step count, the noise generator's position, the epoch
// and its history, and the configuration (model and multipliers), which a resume must match.
using System.Globalization;
using Gibbs.Models.Gm;
using Gibbs.Rng;
using Gibbs.Training;

namespace Gibbs.Models.Therml;

public sealed partial class DataScaleTrainer
{
    /// <summary>
    /// R, D, C and the errors on rows x [rows×features] in [0, 1] (labels for a VIB, else null), drawing from <paramref name="gen"/>.
    /// VIB: S = <see cref="DataScaleTrainingOptions.TestSamples"/> draws per row, class probabilities averaged (the error), C the
    /// mean over draws of −log q(y|z_s), the error of the first draw alone; the deterministic baseline reads z = μ (R is NaN: a
    /// point encoder's rate is infinite). β-VAE: the fixed test binarisation, one draw per row for D.
    /// </summary>
    public DataScaleEvaluation Evaluate(float[] x, int[]? labels, Generator gen)
    {
        Check(x, labels, "test");
        int f = Features, n = x.Length / f;
        double rate = 0, dist = 0, cls = 0;
        long wrong = 0, wrongOne = 0;
        bool training = Model.Training;
        Model.Eval();
        using var _ = Tensor.NoGrad();
        try
        {
            var data = Machine is null ? x : GibbsMachineTrainer.TestBinarization(x);
            for (int start = 0; start < n; start += EvaluationChunk)
            {
                using var scope = TensorScope.Begin();
                int rows = Math.Min(EvaluationChunk, n - start);
                var xs = Tensor.FromArray(data.AsSpan(start * f, rows * f), [rows, f], Model.Device);
                if (Machine is { } gm)
                {
                    var terms = gm.Objective(xs, GmObjective.Bound, 1, gen);
                    rate += terms.GenerativeError.Sum().Item();
                    dist += terms.ReconstructionError.Sum().Item();
                    continue;
                }
                var vib = Vib!;
                int s = Options.Objective.DeterministicEncoder ? 1 : Options.TestSamples, c = vib.Classes;
                float[] probs, logp;
                if (Options.Objective.DeterministicEncoder)
                {
                    logp = vib.Forward(xs).LogSoftmax(1).ToArray();
                    probs = logp.Select(MathF.Exp).ToArray();
                    rate = double.NaN;
                }
                else
                {
                    var (p, r, lp) = vib.Predict(xs, s, gen);
                    (probs, logp) = (p.ToArray(), lp.ToArray());
                    rate += r.Sum().Item();
                }
                for (int i = 0; i < rows; i++)
                {
                    int y = labels![start + i];
                    if (ArgMax(probs.AsSpan(i * c, c)) != y) wrong++;
                    if (ArgMax(logp.AsSpan(i * c, c)) != y) wrongOne++; // draw 0
                    for (int d = 0; d < s; d++) cls -= logp[((long)d * rows + i) * c + y] / s;
                }
            }
        }
        finally { Model.Train(training); }
        bool vibModel = Vib is not null;
        return new DataScaleEvaluation(n, rate / n, vibModel ? double.NaN : dist / n, vibModel ? cls / n : double.NaN,
            vibModel ? (double)wrong / n : double.NaN, vibModel ? (double)wrongOne / n : double.NaN);
    }

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    // ── state: everything the next update reads ────────────────────────────────────────────────────

    /// <summary>The model's configuration and the multipliers: what a checkpoint must match to be resumed.</summary>
    public Dictionary<string, string> Config()
    {
        var config = Vib?.Config() ?? Machine!.Config();
        var o = Options.Objective;
        config["objective"] = o.Name;
        config["rho"] = EpochHistory.Num(o.Rho);
        config["delta"] = EpochHistory.Num(o.Delta);
        config["gamma"] = EpochHistory.Num(o.Gamma);
        config["deterministic_encoder"] = o.DeterministicEncoder ? "true" : "false";
        return config;
    }

    public TrainingState CaptureState()
    {
        var s = new TrainingState();
        s.AddModule(Model);
        s.AddOptimizer(Optimizer);
        s.AddGenerator("noise", Generator);
        s.SetMeta("trainer.epoch", Epoch.ToString(CultureInfo.InvariantCulture));
        s.SetMeta("trainer.history", EpochHistory.Encode(_history, r => r.Epoch, r =>
            new[] { r.Seconds, r.LearningRate, r.Loss, r.Rate, r.Distortion, r.Classification, r.TestRate, r.TestDistortion, r.TestClassification, r.TestError, r.TestErrorOneDraw }
                .Select(EpochHistory.Num)));
        foreach (var (k, v) in Config()) s.SetMeta("config." + k, v);
        return s;
    }

    public void RestoreState(TrainingState s)
    {
        foreach (var (k, v) in Config())
            if (s.TryMeta("config." + k) is not { } saved)
                throw new GibbsFormatException($"{s.Path ?? "the saved state"}: not a TherML data-scale checkpoint (no 'config.{k}'); pass the checkpoint `gibbs therml train` wrote");
            else if (saved != v)
                throw new GibbsException($"{s.Path ?? "the saved state"} holds a run with {k} {saved}, this one has {v}; resume with the same settings");
        int epoch = s.MetaInt("trainer.epoch");
        var history = EpochHistory.Decode(s.Meta("trainer.history"), s.Path, 12, (e, n, _) =>
            new DataScaleEpochReport(e, n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8), n(9), n(10), n(11)));
        s.RestoreModule(Model);
        s.RestoreOptimizer(Optimizer);
        s.RestoreGenerator("noise", Generator);
        Epoch = epoch;
        _history.Clear();
        _history.AddRange(history);
    }
}
