// Generative ACE (000_c7b547386cdeff84.txt §1.7.3, §5.2, App. B): the grouped class-conditional bound against a float64
// evaluation that runs each row through its own class's head and decoder, and its gradient against central differences;
// one training step against the exact expected update (the classifier's bit-identical to non-generative ACE's — the
// branches share no weights —, the auto-encoder's a first Adam step of its own rate on the bound's gradient); mixture
// sampling frequencies match ω; the density evaluation against quadrature of p(x|c) = ∫ p(z) p(x|z,c) dz on a 1-latent
// model; resume is bit-identical; model files round-trip; bad input is one line.
using Gibbs.Models.Ace;
using Gibbs.Models.Gm;
using Gibbs.Rng;
using Gibbs.Training;

namespace Gibbs.Tests.Ace;

public class GenerativeAceTests
{
    private const int F = 6, Classes = 3;

    private static GenerativeAce Model(string latent, ulong seed = 3, string ae = "6-5-2-4-6") =>
        new(new AceClassifier("6-8-8-3", new Generator(seed), new Generator(seed + 1), inputDropout: 0f, hiddenDropout: 0f),
            new ClassAutoEncoder(GmArchitecture.Parse(ae), Classes, LatentFamilies.Get(latent), new Generator(seed + 2)));

    private static (float[] X, int[] Y) Data(int n, ulong seed)
    {
        var g = new Generator(seed);
        var x = new float[n * F];
        var y = new int[n];
        for (int r = 0; r < n; r++)
        {
            y[r] = r % Classes;
            for (int j = 0; j < F; j++) x[r * F + j] = g.NextDouble() < (j / 2 == y[r] ? 0.85 : 0.1) ? 1f : 0f;
        }
        return (x, y);
    }

    private static double[] Layer(double[] x, Dictionary<string, float[]> w, string name, int inF, bool tanh)
    {
        var W = w[name + ".W"];
        var b = w[name + ".b"];
        int outF = b.Length;
        var y = new double[outF];
        for (int o = 0; o < outF; o++)
        {
            double s = b[o];
            for (int i = 0; i < inF; i++) s += x[i] * W[i * outF + o];
            y[o] = tanh ? Math.Tanh(s) : s;
        }
        return y;
    }

    /// <summary>B_c(x) for one row through class c's head and decoder, in float64, with the given standard noise.</summary>
    private static double Bound64(ClassAutoEncoder ae, double[] x, int c, double[] noise)
    {
        var w = ae.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        var h = Layer(x, w, "encoder0", F, true);
        var mu = Layer(h, w, $"mu{c}", h.Length, false);
        var ls = Layer(h, w, $"log_sigma{c}", h.Length, false);
        double scale = ae.Latent.Name == "laplace" ? Math.Sqrt(0.5) : 1;
        double dgen = 0;
        var z = new double[mu.Length];
        for (int j = 0; j < mu.Length; j++)
        {
            dgen += ae.Latent.GenerativeError(mu[j], Math.Exp(ls[j]));
            z[j] = mu[j] + Math.Exp(ls[j]) * scale * noise[j];
        }
        var d = Layer(z, w, $"decoder{c}_0", z.Length, true);
        var logits = Layer(d, w, $"output{c}", d.Length, false);
        double rec = 0;
        for (int i = 0; i < F; i++) rec += Math.Max(logits[i], 0) - logits[i] * x[i] + Math.Log(1 + Math.Exp(-Math.Abs(logits[i])));
        return dgen + rec;
    }

    [Theory]
    [InlineData("gaussian")]
    [InlineData("laplace")]
    public void GroupedTermsRunEachRowThroughItsOwnClass(string latent)
    {
        using var model = Model(latent);
        var ae = model.AutoEncoder;
        var (x, _) = Data(7, 11);
        int[] counts = [3, 0, 4]; // rows 0-2 class 0, rows 3-6 class 2, none of class 1
        int[] cls = [0, 0, 0, 2, 2, 2, 2];
        var noise = ae.Latent.Noise([1, 7, 2], new Generator(9)).ToArray();
        using var scope = TensorScope.Begin();
        var terms = ae.GroupedTerms(Tensor.FromArray(x, [7, F]), counts, Tensor.FromArray(noise, [1, 7, 2]));
        var got = terms.Bound.ToArray();
        for (int r = 0; r < 7; r++)
        {
            double want = Bound64(ae, x.Skip(r * F).Take(F).Select(v => (double)v).ToArray(), cls[r], noise.Skip(r * 2).Take(2).Select(v => (double)v).ToArray());
            Assert.Equal(want, got[r], 3);
        }
        Assert.Equal(got, terms.GenerativeError.ToArray().Zip(terms.ReconstructionError.ToArray(), (a, b) => a + b).ToArray(), (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public void TheGroupedBoundsGradientMatchesCentralDifferences()
    {
        using var model = Model("laplace");
        var ae = model.AutoEncoder;
        var (x, _) = Data(5, 12);
        var noise = ae.Latent.Noise([2, 5, 2], new Generator(4)).ToArray();
        double Loss()
        {
            using var s = TensorScope.Begin();
            using var _ = Tensor.NoGrad();
            return ae.GroupedTerms(Tensor.FromArray(x, [5, F]), [2, 2, 1], Tensor.FromArray(noise, [2, 5, 2])).Bound.Mean().Item();
        }
        using (var s = TensorScope.Begin())
        {
            foreach (var p in ae.Parameters()) p.ZeroGrad();
            ae.GroupedTerms(Tensor.FromArray(x, [5, F]), [2, 2, 1], Tensor.FromArray(noise, [2, 5, 2])).Bound.Mean().Backward();
        }
        // One weight of the shared encoder, and of each class's head and decoder (class 1's rows are 2-3, class 2's row 4).
        foreach (var name in new[] { "encoder0.W", "mu1.W", "log_sigma2.W", "decoder0_0.W", "output2.W", "output1.b" })
        {
            var p = ae.NamedParameters().Single(q => q.Name == name).Tensor;
            var g = p.Grad!.ToArray();
            int i = Array.IndexOf(g, g.MaxBy(Math.Abs));
            var v = p.ToArray();
            float keep = v[i], h = 1e-2f;
            v[i] = keep + h; p.CopyFrom(v);
            double up = Loss();
            v[i] = keep - h; p.CopyFrom(v);
            double down = Loss();
            v[i] = keep; p.CopyFrom(v);
            Assert.True(Math.Abs(g[i]) > 1e-3, $"{name}: no gradient reached it");
            Assert.Equal((up - down) / (2 * h), g[i], Math.Max(2e-3, 0.02 * Math.Abs(g[i])));
        }
    }

    private static AceTrainer Trainer(GenerativeAce m, int epochs, float[] x, int[] y, float aeLr = 0.003f, bool dual = true) =>
        new(m, new AceTrainingOptions { Epochs = epochs, BatchSize = 12, LearningRate = 0.01f, AeLearningRate = aeLr, Dual = dual, Seed = 5 }, x, y);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OneStepIsTheExactExpectedUpdate(bool dual)
    {
        var (x, y) = Data(12, 13);
        using var gm = Model("laplace");
        using var cm = new AceClassifier("6-8-8-3", new Generator(3), new Generator(4), inputDropout: 0f, hiddenDropout: 0f);
        using var gen = Trainer(gm, 1, x, y, dual: dual);
        using var plain = new AceTrainer(cm, new AceTrainingOptions { Mode = dual ? AceMode.NonGenerative : AceMode.Classifier, Epochs = 1, BatchSize = 12, LearningRate = 0.01f, Seed = 5 }, x, y);
        var rows = Enumerable.Range(0, 12).ToArray();
        var ae = gm.AutoEncoder;
        var before = ae.Parameters().Select(p => p.ToArray()).ToList();
        var noiseState = gen.NoiseGenerator!.Snapshot();
        // The expected auto-encoder gradient: the mean bound on the same grouped, binarised rows and the same noise.
        var replay = new Generator(0);
        replay.Restore(noiseState);
        float[] grouped;
        int[] counts;
        using (var s = TensorScope.Begin())
        {
            (grouped, counts) = AceTrainer.GroupByClass(x, y.Select(v => (float)v).ToArray(), F, Classes);
            var xb = Tensor.Bernoulli(Tensor.FromArray(grouped, [12, F]), replay);
            foreach (var p in ae.Parameters()) p.ZeroGrad();
            ae.GroupedTerms(xb, counts, ae.Latent.Noise([1, 12, 2], replay)).Bound.Mean().Backward();
        }
        var grads = ae.Parameters().Select(p => p.Grad!.ToArray()).ToList();
        using (var s = TensorScope.Begin())
        {
            gen.Step(gen.Rows(x, y, rows));
            plain.Step(plain.Rows(x, y, rows));
        }
        // The classifier branch does not see the auto-encoder: bit-identical to the non-generative ACE (or the classifier).
        foreach (var (a, b) in gm.Classifier.Parameters().Zip(cm.Parameters())) Assert.Equal(b.ToArray(), a.ToArray());
        // Adam's first step is −η·g/(|g| + ε) per weight, at the auto-encoder's own rate.
        var after = ae.Parameters().Select(p => p.ToArray()).ToList();
        for (int t = 0; t < after.Count; t++)
            for (int i = 0; i < after[t].Length; i++)
            {
                double g = grads[t][i], want = before[t][i] - 0.003 * g / (Math.Abs(g) + 1e-8);
                Assert.Equal(want, after[t][i], 5);
            }
    }

    [Fact]
    public void MixtureSamplingFrequenciesMatchOmega()
    {
        using var model = Model("gaussian");
        const int n = 30_000;
        var (x1, _) = Data(1, 14);
        var x = Enumerable.Range(0, n).SelectMany(_ => x1).ToArray();
        float[] w = [0.2f, 0.5f, 0.3f];
        var omega = Enumerable.Range(0, n).SelectMany(_ => w).ToArray();
        using var scope = TensorScope.Begin();
        var (classes, mean) = model.SampleMixture(Tensor.FromArray(x, [n, F]), omega, new Generator(15));
        Assert.Equal([n, F], mean.Shape.ToArray());
        for (int c = 0; c < Classes; c++)
        {
            double freq = classes.Count(v => v == c) / (double)n, sd = Math.Sqrt(w[c] * (1 - w[c]) / n);
            Assert.InRange(freq, w[c] - 4 * sd, w[c] + 4 * sd);
        }
    }

    // Each row's sample is its drawn class's decoder at its own noise: the grouped computation against a row-by-row
    // replay of the same generator (n class draws, then the [n×latent] noise).
    [Fact]
    public void AMixtureSampleIsItsDrawnClasssDecoderAtItsOwnNoise()
    {
        using var model = Model("laplace");
        var ae = model.AutoEncoder;
        var (x, _) = Data(9, 22);
        var omega = Enumerable.Range(0, 9).SelectMany(_ => new[] { 0.3f, 0.3f, 0.4f }).ToArray();
        var gen = new Generator(23);
        var replay = new Generator(0);
        replay.Restore(gen.Snapshot());
        using var scope = TensorScope.Begin();
        var xt = Tensor.FromArray(x, [9, F]);
        var (classes, mean) = model.SampleMixture(xt, omega, gen);
        Assert.True(classes.Distinct().Count() > 1, "the test needs rows of several classes");
        for (int i = 0; i < 9; i++) replay.NextDouble();
        var noise = ae.Latent.Noise([9, 2], replay);
        var got = mean.ToArray();
        using var _ = Tensor.NoGrad();
        for (int i = 0; i < 9; i++)
        {
            var (mu, ls) = ae.Head(ae.Hidden(xt.Slice(0, i, 1)), classes[i]);
            var want = ae.Decode(ae.Latent.Sample(mu, ls, noise.Slice(0, i, 1)), classes[i]).Sigmoid().ToArray();
            Assert.Equal(want, got.Skip(i * F).Take(F).ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
        }
    }

    [Theory]
    [InlineData("laplace")]
    [InlineData("gaussian")]
    public void DensityEvaluationMatchesQuadrature(string latent)
    {
        // One latent unit: p(x|c) = ∫ p(z) p(x|z,c) dz by quadrature, the NLLs and bounds exact in comparison.
        using var model = Model(latent, seed: 21, ae: "6-5-1-4-6");
        var ae = model.AutoEncoder;
        var (x, y) = Data(6, 16);
        model.SetClassPrior([0, 0, 0, 1, 2, 2]);
        var pi = model.ClassPrior;
        Assert.Equal([0.5, 1 / 6.0, 1 / 3.0], pi, (a, b) => Math.Abs(a - b) < 1e-6);
        float[] omega = [.7f, .2f, .1f, .1f, .8f, .1f, .3f, .3f, .4f, .05f, .05f, .9f, 1f, 0f, 0f, .2f, .2f, .6f];
        var w = ae.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        double[,] logP = new double[6, Classes];
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < Classes; c++)
            {
                var xr = x.Skip(r * F).Take(F).Select(v => (double)v).ToArray();
                double sum = 0, step = 0.002;
                for (double z = -25; z <= 25; z += step)
                {
                    var d = Layer(Layer([z], w, $"decoder{c}_0", 1, true), w, $"output{c}", 4, false);
                    double ll = 0;
                    for (int i = 0; i < F; i++) ll -= Math.Max(d[i], 0) - d[i] * xr[i] + Math.Log(1 + Math.Exp(-Math.Abs(d[i])));
                    sum += Math.Exp(ll + ae.Latent.LogPrior(z)) * step;
                }
                logP[r, c] = Math.Log(sum);
            }
        using var scope = TensorScope.Begin();
        var result = model.EvaluateDensity(Tensor.FromArray(x, [6, F]), omega, y, 20_000, new Generator(17));
        double Nll(Func<int, double> prior) => Enumerable.Range(0, 6).Average(r => -Math.Log(Enumerable.Range(0, Classes).Sum(c => prior(c) * Math.Exp(logP[r, c]))));
        Assert.Equal(Nll(_ => 1.0 / Classes), result.UniformPriorNll, 0.02);
        Assert.Equal(Nll(c => pi[c]), result.EmpiricalPriorNll, 0.02);
        Assert.InRange(result.UniformPriorNllStdErr, 1e-6, 0.01);
        // The bounds: class-conditional B_c ≥ −log p(x|c); the fixed-prior bounds ≥ the fixed-prior NLLs; the seed's
        // mixture bound is the ω-average of B_c, the fixed-prior bound exceeds it by KL(ω ‖ π) ≥ 0.
        Assert.True(result.TrueClassBound >= Enumerable.Range(0, 6).Average(r => -logP[r, y[r]]) - 0.01);
        Assert.True(result.UniformPriorBound >= result.UniformPriorNll - 0.01);
        Assert.True(result.EmpiricalPriorBound >= result.EmpiricalPriorNll - 0.01);
        double kl = Enumerable.Range(0, 6).Average(r => Enumerable.Range(0, Classes).Sum(c => omega[r * 3 + c] > 0 ? omega[r * 3 + c] * Math.Log(omega[r * 3 + c] * Classes) : 0));
        Assert.Equal(result.SeedMixtureBound + kl, result.UniformPriorBound, 4);
    }

    [Fact]
    public void ResumingIsBitIdentical()
    {
        var (x, y) = Data(30, 18);
        var (tx, ty) = Data(9, 19);
        using var m1 = Model("laplace");
        using var straight = new AceTrainer(m1, new AceTrainingOptions { Epochs = 3, BatchSize = 12, LearningRate = 0.01f, AeLearningRate = 0.003f, Seed = 5 }, x, y, (tx, ty));
        straight.Fit();
        Assert.All(straight.History, r => Assert.True(double.IsFinite(r.Bound) && double.IsFinite(r.HeldOutBound)));
        using var m2 = Model("laplace");
        using var first = new AceTrainer(m2, new AceTrainingOptions { Epochs = 1, BatchSize = 12, LearningRate = 0.01f, AeLearningRate = 0.003f, Seed = 5 }, x, y, (tx, ty));
        first.Fit();
        var path = Path.Combine(Path.GetTempPath(), $"gace-resume-{Environment.ProcessId}.ckpt");
        using (var state = first.CaptureState()) state.Save(path, new Dictionary<string, string>());
        using var loaded = TrainingState.Load(path);
        File.Delete(path);
        using var m3 = Model("laplace", seed: 99); // other initial weights: all must come from the checkpoint
        using var resumed = new AceTrainer(m3, new AceTrainingOptions { Epochs = 3, BatchSize = 12, LearningRate = 0.01f, AeLearningRate = 0.003f, Seed = 5 }, x, y, (tx, ty));
        resumed.RestoreState(loaded);
        resumed.Fit();
        Assert.Equal(straight.History.Select(r => (r.Loss, r.Bound, r.HeldOutBound)), resumed.History.Select(r => (r.Loss, r.Bound, r.HeldOutBound)));
        foreach (var (a, b) in m1.Parameters().Zip(m3.Parameters())) Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void TrainingLowersTheBoundAndTheModelFileRoundTrips()
    {
        var (x, y) = Data(60, 20);
        using var m = Model("gaussian");
        using var t = Trainer(m, 15, x, y, aeLr: 0.01f);
        t.Fit();
        Assert.True(t.History[^1].Bound < t.History[0].Bound - 0.5, $"bound {t.History[0].Bound} → {t.History[^1].Bound}");
        var path = Path.Combine(Path.GetTempPath(), $"gace-{Environment.ProcessId}.safetensors");
        AceFile.Save(m, path);
        Assert.True(AceFile.IsGenerative(path));
        var (loaded, _) = AceFile.LoadGenerative(path);
        using var _l = loaded;
        File.Delete(path);
        Assert.Equal(m.Config(), loaded.Config());
        Assert.Equal(m.ClassPrior, loaded.ClassPrior);
        foreach (var (a, b) in m.Parameters().Zip(loaded.Parameters())) Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void BadInputIsOneLine()
    {
        var (x, y) = Data(12, 21);
        using var m = Model("laplace");
        var missing = y.Select(v => v == 1 ? 0 : v).ToArray();
        var e = Assert.Throws<GibbsException>(() => Trainer(m, 1, x, missing));
        Assert.Contains("class 1 has no training rows", e.Message);
        e = Assert.Throws<GibbsException>(() => new ClassAutoEncoder(GmArchitecture.Parse("6-5-2-4-7"), 3, LatentFamilies.Get("laplace"), new Generator(1)));
        Assert.Contains("must end in its first size 6", e.Message);
        using var small = new AceClassifier("6-8-8-3", new Generator(1), new Generator(2));
        e = Assert.Throws<GibbsException>(() => new AceTrainer(small, new AceTrainingOptions { Mode = AceMode.Generative }, x, y));
        Assert.Contains("GenerativeAce", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
