// TherML at data scale (issue 12 item 6): the Gaussian rate against numerical integration; the VIB loss C + βR against
// an independent float64 network; training steps against the exact Adam updates of float64 central-difference gradients
// on the path training runs (TrainEpoch, its batch order, noise and learning-rate staircase); test-time averaging of
// probabilities (not logits) against a float64 replay of the same draws; the presets' objectives; bit-identical resume
// (VIB and β-VAE); bad input as one line.
using Gibbs.Data;
using Gibbs.Models.Gm;
using Gibbs.Models.Therml;
using Gibbs.Rng;
using Gibbs.Training;

namespace Gibbs.Tests.Therml;

public class VibTests : TempDirTest
{
    /// <summary>n rows of f features in [0, 1] whose class (of 3) shifts the mean, and the labels.</summary>
    internal static (float[] X, int[] Labels) Synthetic(int n, int f, ulong seed, int classes = 3)
    {
        var gen = new Generator(seed);
        var x = new float[n * f];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % classes;
            for (int j = 0; j < f; j++)
                x[i * f + j] = (float)Math.Clamp(0.5 + 0.3 * ((j % classes == y[i]) ? 1 : -0.5) + 0.2 * (gen.NextDouble() - 0.5), 0, 1);
        }
        return (x, y);
    }

    private static double Simpson(Func<double, double> f, double a, double b, int n)
    {
        double h = (b - a) / n, s = f(a) + f(b);
        for (int i = 1; i < n; i++) s += f(a + i * h) * (i % 2 == 1 ? 4 : 2);
        return s * h / 3;
    }

    [Fact]
    public void GaussianRateMatchesNumericalIntegration()
    {
        // σ from vib_demo's starting scale softplus(−5) ≈ 0.0067 up to 3; μ on both sides of 0.
        double[] mu = [0, 0.7, -2.5, 1.3, 0, -0.2];
        double[] sigma = [Math.Log(1 + Math.Exp(-5)), 0.35, 1.0, 3.0, 1.0, 0.05];
        using var scope = TensorScope.Begin();
        var rate = Vib.Rate(Tensor.FromArray(mu.Select(v => (float)v).ToArray(), [2, 3]), Tensor.FromArray(sigma.Select(v => (float)v).ToArray(), [2, 3])).ToArray();
        Assert.Equal(2, rate.Length);
        for (int row = 0; row < 2; row++)
        {
            double integral = 0;
            for (int k = 0; k < 3; k++)
            {
                double m = mu[row * 3 + k], s = sigma[row * 3 + k];
                // ∫ p(z) [log p(z) − log N(z; 0, 1)] dz with p = N(m, s²), by Simpson's rule over m ± 12 s.
                double LogP(double z) => -0.5 * Math.Pow((z - m) / s, 2) - Math.Log(s) - 0.5 * Math.Log(2 * Math.PI);
                integral += Simpson(z => Math.Exp(LogP(z)) * (LogP(z) + 0.5 * z * z + 0.5 * Math.Log(2 * Math.PI)), m - 12 * s, m + 12 * s, 20_000);
            }
            Assert.Equal(integral, rate[row], Math.Max(1e-5, Math.Abs(integral) * 2e-6));
        }
        // The zero-rate case: the posterior is the prior.
        Assert.Equal(0.0, Vib.Rate(Tensor.Zeros([1, 4]), Tensor.Ones([1, 4])).Item(), 6);
        // Bits are nats / ln 2.
        var e = new DataScaleEvaluation(1, Math.Log(2) * 3, 0, 0, 0, 0);
        Assert.Equal(3.0, e.RateBits, 12);
    }

    /// <summary>A tiny VIB whose σ is not negligible (the head's ρ bias raised), so the noise matters.</summary>
    private static Vib TinyVib(ulong seed, int[]? sizes = null, float rhoBias = 5.5f)
    {
        var vib = new Vib(sizes ?? [5, 4, 3], 3, new Generator(seed));
        var state = vib.StateDict();
        var b = state["head.b"].ToArray();
        for (int k = vib.Latent; k < b.Length; k++) b[k] = rhoBias + 0.1f * k;
        using var t = Tensor.FromArray(b, [b.Length]).Untrack();
        vib.LoadStateDict(new Dictionary<string, Tensor>(state) { ["head.b"] = t });
        return vib;
    }

    [Fact]
    public void VibLossIsCPlusBetaRAsAFloat64NetworkComputesIt()
    {
        using var scope = TensorScope.Begin();
        var (x, y) = Synthetic(6, 5, 3);
        using var vib = TinyVib(7);
        var options = new DataScaleTrainingOptions { Objective = DataScaleObjective.Vib(0.3), BatchSize = 6, Seed = 11 };
        using var trainer = new DataScaleTrainer(vib, options, x, y);
        var noiseGen = new Generator(0);
        noiseGen.Restore(trainer.Generator.Snapshot());
        var rows = Enumerable.Range(0, 6).ToArray();
        var (loss, rate, dist, cls) = trainer.Target(trainer.Batch(rows));
        var eps = Tensor.Randn([1, 6, 3], noiseGen).ToArray();
        var reference = new VibReference(vib);
        var (c, r) = reference.Terms(x, y, eps);
        Assert.Null(dist);
        Assert.Equal(r, rate.Item(), Math.Abs(r) * 2e-6);
        Assert.Equal(c, cls!.Item(), Math.Abs(c) * 2e-6);
        Assert.Equal(c + 0.3 * r, loss.Item(), Math.Abs(c + 0.3 * r) * 2e-6);
        Assert.True(r > 0.1, $"the rate {r} should be far from 0 here");
        // The deterministic preset reads z = μ and has no rate in its objective.
        using var det = new DataScaleTrainer(vib, options with { Objective = DataScaleObjective.Deterministic }, x, y);
        var (dl, _, _, _) = det.Target(det.Batch(rows));
        Assert.Equal(reference.Terms(x, y, null).C, dl.Item(), 5);
    }

    [Fact]
    public void TrainingStepsAreTheExactAdamUpdatesOfTheFloat64Gradient()
    {
        // Three epochs of one batch each through TrainEpoch: its permutation, its noise draws, Adam(β₁ = 0.5) and the
        // ×0.97 staircase at epoch 2 — against Adam written out in float64 on central-difference gradients.
        using var scope = TensorScope.Begin();
        const int n = 6;
        var (x, y) = Synthetic(n, 5, 5);
        using var vib = TinyVib(9);
        const double beta = 0.2, lr = 1e-2, b1 = 0.5, b2 = 0.999, eps = 1e-8;
        var options = new DataScaleTrainingOptions { Objective = DataScaleObjective.Vib(beta), BatchSize = n, LearningRate = (float)lr, Epochs = 3, Seed = 21 };
        using var trainer = new DataScaleTrainer(vib, options, x, y);
        var reference = new VibReference(vib);
        var initial = new VibReference(vib);
        var noiseGen = new Generator(0);
        noiseGen.Restore(trainer.Generator.Snapshot());
        var m = reference.P.ToDictionary(kv => kv.Key, kv => new double[kv.Value.Length]);
        var v = reference.P.ToDictionary(kv => kv.Key, kv => new double[kv.Value.Length]);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            trainer.TrainEpoch();
            var order = MiniBatches.Permutation(n, 21, epoch);
            var xb = order.SelectMany(i => x.AsSpan(i * 5, 5).ToArray()).ToArray();
            var yb = order.Select(i => y[i]).ToArray();
            var noise = Tensor.Randn([1, n, 3], noiseGen).ToArray();
            var g = reference.Gradient(xb, yb, noise, beta);
            double rate = lr * Math.Pow(0.97, epoch / 2);
            int t = epoch + 1;
            foreach (var (name, p) in reference.P)
                for (int i = 0; i < p.Length; i++)
                {
                    m[name][i] = b1 * m[name][i] + (1 - b1) * g[name][i];
                    v[name][i] = b2 * v[name][i] + (1 - b2) * g[name][i] * g[name][i];
                    p[i] -= rate * (m[name][i] / (1 - Math.Pow(b1, t))) / (Math.Sqrt(v[name][i] / (1 - Math.Pow(b2, t))) + eps);
                }
            Assert.Equal(rate, trainer.History[^1].LearningRate, 7);
        }
        int moved = 0;
        foreach (var (name, t) in vib.StateDict())
        {
            var got = t.ToArray();
            for (int i = 0; i < got.Length; i++)
            {
                Assert.True(Math.Abs(got[i] - reference.P[name][i]) < 2e-5, $"{name}[{i}]: trainer {got[i]}, float64 Adam {reference.P[name][i]}");
                if (Math.Abs(got[i] - initial.P[name][i]) > 1e-3) moved++;
            }
        }
        Assert.True(moved > 20, $"only {moved} parameters moved");
    }

    [Fact]
    public void TestTimeAveragingAveragesProbabilitiesNotLogits()
    {
        // One latent with σ = 3 and logits (3, 4z, −4z): averaging logits favours class 0 whenever |4·mean z| < 3; averaging
        // probabilities almost never does. Every row is the same x, so the rows differ only in their draws.
        using var scope = TensorScope.Begin();
        const int n = 300, s = 12;
        using var vib = new Vib([2, 1], 3, new Generator(1));
        float rho = 5f + (float)Math.Log(Math.Exp(3) - 1); // softplus(ρ − 5) = 3
        using (var hw = Tensor.Zeros([2, 2]).Untrack())
        using (var hb = Tensor.FromArray([0.1f, rho], [2]).Untrack())
        using (var cw = Tensor.FromArray([0f, 4f, -4f], [1, 3]).Untrack())
        using (var cb = Tensor.FromArray([3f, 0f, 0f], [3]).Untrack())
            vib.LoadStateDict(new Dictionary<string, Tensor> { ["head.W"] = hw, ["head.b"] = hb, ["classifier.W"] = cw, ["classifier.b"] = cb });
        var x = Enumerable.Repeat(0.5f, 2 * n).ToArray();
        var labels = new int[n]; // all class 0
        using var trainer = new DataScaleTrainer(vib, new DataScaleTrainingOptions { Objective = DataScaleObjective.Vib(1e-3), TestSamples = s }, x, labels);
        var result = trainer.Evaluate(x, labels, new Generator(77));
        // Float64 replay of the same draws: z = 0.1 + 3ε, ε ~ [S×N×1] from the same generator.
        var eps = Tensor.Randn([s, n, 1], new Generator(77)).ToArray();
        var reference = new VibReference(vib);
        int wrongProb = 0, wrongLogit = 0, wrongOne = 0;
        double c = 0;
        for (int i = 0; i < n; i++)
        {
            var probs = new double[3];
            var meanLogit = new double[3];
            for (int d = 0; d < s; d++)
            {
                double z = 0.1 + 3 * eps[d * n + i];
                var lp = reference.LogSoftmax([z]);
                for (int k = 0; k < 3; k++) { probs[k] += Math.Exp(lp[k]) / s; meanLogit[k] += new[] { 3, 4 * z, -4 * z }[k] / s; }
                c -= lp[0] / s;
                if (d == 0 && ArgMax(lp) != 0) wrongOne++;
            }
            if (ArgMax(probs) != 0) wrongProb++;
            if (ArgMax(meanLogit) != 0) wrongLogit++;
        }
        Assert.Equal((double)wrongProb / n, result.Error, 12);
        Assert.Equal((double)wrongOne / n, result.ErrorOneDraw, 12);
        Assert.Equal(c / n, result.Classification, 5);
        Assert.Equal(VibReference.Kl([0.1], [3.0]), result.Rate, 5);
        Assert.True(wrongLogit < wrongProb - 60, $"the construction should separate the two averages: logits {wrongLogit}, probabilities {wrongProb} of {n}");

        // Predict's probabilities themselves, row by row.
        var (p, _, _) = vib.Predict(Tensor.FromArray(x.AsSpan(0, 20), [10, 2]), s, new Generator(5));
        var got = p.ToArray();
        var eps2 = Tensor.Randn([s, 10, 1], new Generator(5)).ToArray();
        for (int i = 0; i < 10; i++)
            for (int k = 0; k < 3; k++)
            {
                double want = 0;
                for (int d = 0; d < s; d++) want += Math.Exp(reference.LogSoftmax([0.1 + 3 * eps2[d * 10 + i]])[k]) / s;
                Assert.Equal(want, got[i * 3 + k], 5);
            }
    }

    private static int ArgMax(double[] v) => Array.IndexOf(v, v.Max());

    [Fact]
    public void PresetsAreTheirObjectives()
    {
        Assert.Equal(new DataScaleObjective(1e-3, 0, 1), DataScaleObjective.Preset("vib", 1e-3));
        Assert.Equal(new DataScaleObjective(4, 1, 0), DataScaleObjective.Preset("beta-vae", 4));
        Assert.Equal(DataScaleObjective.Deterministic, DataScaleObjective.Preset("deterministic", 0));
        Assert.Equal("vib", DataScaleObjective.Vib(0.1).Name);
        Assert.Equal("beta-vae", DataScaleObjective.BetaVae(1).Name);
        // β-VAE at β = 1 is the Gibbs machine's own bound B = D_gen − log L_rec (the VAE's negative ELBO), at β = 4 it is D + 4R,
        // from the same draw.
        using var scope = TensorScope.Begin();
        using var gm = BetaVae.Create("6-5-3-5-6", new Generator(3));
        var (x, _) = Synthetic(8, 6, 4);
        foreach (double beta in new[] { 1.0, 4.0 })
        {
            using var trainer = new DataScaleTrainer(gm, new DataScaleTrainingOptions { Objective = DataScaleObjective.BetaVae(beta), BatchSize = 8, Seed = 2 }, x);
            var gen = new Generator(0);
            gen.Restore(trainer.Generator.Snapshot());
            var batch = trainer.Batch(Enumerable.Range(0, 8).ToArray());
            var (loss, rate, dist, cls) = trainer.Target(batch);
            gen.Reserve(batch.X.Length); // the batch's Bernoulli draw
            var terms = gm.Objective(batch.X, GmObjective.Bound, 1, gen);
            Assert.Null(cls);
            Assert.Equal(terms.ReconstructionError.Mean().Item(), dist!.Item(), 5);
            Assert.Equal(terms.GenerativeError.Mean().Item(), rate.Item(), 5);
            Assert.Equal(terms.ReconstructionError.Mean().Item() + beta * terms.GenerativeError.Mean().Item(), loss.Item(), 4);
            if (beta == 1) Assert.Equal(terms.Loss.Mean().Item(), loss.Item(), 4);
        }
    }

    [Theory]
    [InlineData("vib")]
    [InlineData("deterministic")]
    [InlineData("beta-vae")]
    public void ResumeIsBitIdentical(string preset)
    {
        using var scope = TensorScope.Begin();
        var (x, y) = Synthetic(40, 6, 8);
        var (tx, ty) = Synthetic(20, 6, 9);
        var options = new DataScaleTrainingOptions
        {
            Objective = DataScaleObjective.Preset(preset, preset == "deterministic" ? 0 : 0.01), BatchSize = 8, LearningRate = 1e-2f, Epochs = 4, Seed = 5, TestSamples = 3,
        };
        DataScaleTrainer Make(ulong initSeed) => preset == "beta-vae"
            ? new DataScaleTrainer(BetaVae.Create("6-5-3-5-6", new Generator(initSeed)), options, x, tx)
            : new DataScaleTrainer(new Vib([6, 5, 3], 3, new Generator(initSeed)), options, x, y, (tx, ty));

        using var whole = Make(1);
        whole.Fit();
        using var first = Make(1);
        first.Fit();
        var path = P("train.ckpt");
        using (var trainer = Make(1))
        {
            trainer.TrainEpoch();
            trainer.TrainEpoch();
            using var state = trainer.CaptureState();
            state.Save(path);
        }
        using var resumed = Make(99); // another initialisation: everything must come from the checkpoint
        using (var state = TrainingState.Load(path)) resumed.RestoreState(state);
        Assert.Equal(2, resumed.Epoch);
        resumed.Fit();
        foreach (var ((name, a), (_, b)) in whole.Model.StateDict().Zip(resumed.Model.StateDict()))
            Assert.True(a.ToArray().SequenceEqual(b.ToArray()), $"{name} differs after resume");
        Assert.Equal(whole.Optimizer.Steps, resumed.Optimizer.Steps);
        Assert.Equal(whole.Generator.Snapshot(), resumed.Generator.Snapshot());
        Assert.Equal(whole.History.Select(r => r with { Seconds = 0 }), resumed.History.Select(r => r with { Seconds = 0 }));
        // And an uninterrupted run is reproducible.
        Assert.Equal(whole.History.Select(r => r with { Seconds = 0 }), first.History.Select(r => r with { Seconds = 0 }));
        // Its test metrics are finite where the model has them.
        var last = whole.History[^1];
        Assert.True(double.IsFinite(preset == "beta-vae" ? last.TestDistortion : last.TestError));
        // Another β does not resume this checkpoint.
        using var other = preset == "beta-vae"
            ? new DataScaleTrainer(BetaVae.Create("6-5-3-5-6", new Generator(1)), options with { Objective = DataScaleObjective.BetaVae(0.5) }, x, tx)
            : new DataScaleTrainer(new Vib([6, 5, 3], 3, new Generator(1)), options with { Objective = DataScaleObjective.Vib(0.5) }, x, y);
        using var saved = TrainingState.Load(path);
        var e = Assert.Throws<GibbsException>(() => other.RestoreState(saved));
        Assert.Contains("resume with the same settings", e.Message);
    }

    [Fact]
    public void BadInputIsOneLine()
    {
        static void OneLine(Action a, string expect)
        {
            var e = Assert.ThrowsAny<GibbsException>(a);
            Assert.DoesNotContain('\n', e.Message);
            Assert.Contains(expect, e.Message);
        }
        OneLine(() => DataScaleObjective.Preset("ib-lagrangian", 1), "the data-scale presets are vib, beta-vae, deterministic");
        OneLine(() => DataScaleObjective.Preset("vib", -1e-3), "β must be a finite number ≥ 0, got -0.001");
        OneLine(() => DataScaleObjective.Preset("vib", double.NaN), "β must be a finite number ≥ 0");
        OneLine(() => DataScaleObjective.Preset("deterministic", 0.1), "β must be 0");
        OneLine(() => new DataScaleObjective(1, -1, 0).Validate(), "δ must be a finite number ≥ 0");
        OneLine(() => new DataScaleObjective(1, 0, 0).Validate(), "δ and γ are both 0");
        var (x, y) = Synthetic(10, 6, 1);
        using var vib = new Vib([7, 4, 3], 3, new Generator(1));
        var options = new DataScaleTrainingOptions();
        OneLine(() => new DataScaleTrainer(vib, options, x, y), "not a whole number of rows of 7 features");
        using var vib6 = new Vib([6, 4, 3], 3, new Generator(1));
        OneLine(() => new DataScaleTrainer(vib6, options, x, y.Select(v => v + 1).ToArray()), "label 3 at row 2 is outside 0…2");
        OneLine(() => new DataScaleTrainer(vib6, options, x.Select(v => v * 3).ToArray(), y), "intensities in [0, 1]");
        OneLine(() => new DataScaleTrainer(vib6, options with { Objective = DataScaleObjective.BetaVae(1) }, x, y), "no classification term");
        OneLine(() => new DataScaleTrainer(vib6, options with { TestSamples = 0 }, x, y), "at least 1 draw");
        OneLine(() => Vib.ParseArchitecture("784-0-256"), "'0' is not a positive layer size");
        using var gm = BetaVae.Create("6-5-3-5-6", new Generator(1));
        OneLine(() => new DataScaleTrainer(gm, options, x), "no distortion term");
        using var laplace = new GibbsMachine(GmArchitecture.Parse("6-5-3-5-6"), LatentFamilies.Get("laplace"), ReconstructionKind.Bernoulli, new Generator(1));
        OneLine(() => new DataScaleTrainer(laplace, options with { Objective = DataScaleObjective.BetaVae(1) }, x), "Gaussian latents");
        // A file of another kind is not a VIB.
        var path = P("gm.safetensors");
        GmFile.Save(gm, path);
        OneLine(() => Vib.LoadFile(path), "gibbs therml train --preset vib");
    }

    [Fact]
    public void AVibFileRoundTrips()
    {
        using var scope = TensorScope.Begin();
        using var vib = TinyVib(4);
        var path = P("vib.safetensors");
        vib.SaveFile(path, new Dictionary<string, string> { ["run.beta"] = "0.001" });
        var (loaded, meta) = Vib.LoadFile(path);
        using (loaded)
        {
            Assert.Equal("0.001", meta["run.beta"]);
            Assert.Equal(vib.Architecture, loaded.Architecture);
            foreach (var ((name, a), (_, b)) in vib.StateDict().Zip(loaded.StateDict()))
                Assert.True(a.ToArray().SequenceEqual(b.ToArray()), name);
        }
    }
}
