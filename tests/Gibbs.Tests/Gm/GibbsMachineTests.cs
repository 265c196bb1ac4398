// The Gibbs machine against exact answers: objective gradients (bound, iwae, dvar) against central differences of an
// independent float64 model with the same noise; the trainer's update against the exact Adam step from that gradient;
// the importance-sampled NLL against the exact log-likelihood (1-D latent by quadrature; probabilistic PCA in closed
// form); D_var ≥ 0 and = 0 when the family holds the true posterior; resume bit-identical; bad input in one line.
using Gibbs.Models.Gm;
using Gibbs.Models.Rbm;
using Gibbs.Rng;

namespace Gibbs.Tests.Gm;

public class GibbsMachineTests
{
    private static GibbsMachine Model(string arch, string latent, ulong seed = 3, ReconstructionKind rec = ReconstructionKind.Bernoulli, float scale = 1f)
    {
        var m = new GibbsMachine(GmArchitecture.Parse(arch), LatentFamilies.Get(latent), rec, new Generator(seed));
        if (scale != 1f)
            foreach (var p in m.Parameters()) using (Tensor.NoGrad()) p.AffineInPlace(scale);
        return m;
    }

    private static float[] BinaryRows(int rows, int features, ulong seed)
    {
        var g = new Generator(seed);
        return Enumerable.Range(0, rows * features).Select(_ => g.NextDouble() < 0.4 ? 1f : 0f).ToArray();
    }

    private static void SetParam(GibbsMachine m, string name, double[] values)
    {
        var t = m.NamedParameters().Single(p => p.Name == name).Tensor;
        using var _ = Tensor.NoGrad();
        t.CopyFrom(Tensor.FromArray(values.Select(v => (float)v).ToArray(), t.Shape));
    }

    public static TheoryData<string, GmObjective> Objectives => new()
    {
        { "gaussian", GmObjective.Bound }, { "laplace", GmObjective.Bound }, { "gaussian", GmObjective.Iwae },
        { "laplace", GmObjective.Iwae }, { "gaussian", GmObjective.Dvar }, { "laplace", GmObjective.Dvar },
    };

    // Every parameter's autodiff gradient of the mean objective equals central differences of the float64 model.
    [Theory]
    [MemberData(nameof(Objectives))]
    public void ObjectiveGradientsMatchFiniteDifferencesOfAFloat64Model(string latent, GmObjective objective)
    {
        using var scope = TensorScope.Begin();
        using var m = Model("5-4-2-3-5", latent, scale: 2f);
        int n = 3, draws = objective == GmObjective.Bound ? 2 : 4;
        var xs = BinaryRows(n, 5, 7);
        var gen = new Generator(21);
        var state = gen.Snapshot();
        var x = Tensor.FromArray(xs, [n, 5]);
        var loss = m.Objective(x, objective, draws, gen).Loss.Mean();
        loss.Backward();
        gen.Restore(state);
        var noise = m.Latent.Noise([draws, n, 2], gen).ToArray();
        var eps = Enumerable.Range(0, n).Select(r => Enumerable.Range(0, draws).Select(d => Enumerable.Range(0, 2).Select(j => (double)noise[(d * n + r) * 2 + j]).ToArray()).ToArray()).ToArray();
        var rows = Enumerable.Range(0, n).Select(r => xs.Skip(r * 5).Take(5).Select(v => (double)v).ToArray()).ToArray();
        var reference = new GmReference(m);
        Assert.Equal(reference.MeanObjective(rows, eps, objective), loss.Item(), 3);
        foreach (var (name, p) in m.NamedParameters())
        {
            var grad = p.Grad!.ToArray();
            var values = reference.Params[name];
            for (int i = 0; i < values.Length; i++)
            {
                double keep = values[i], h = 1e-5;
                values[i] = keep + h;
                double up = reference.MeanObjective(rows, eps, objective);
                values[i] = keep - h;
                double down = reference.MeanObjective(rows, eps, objective);
                values[i] = keep;
                double fd = (up - down) / (2 * h);
                Assert.True(Math.Abs(fd - grad[i]) <= 2e-3 * (1 + Math.Abs(fd)), $"{latent}/{objective}: ∂/∂{name}[{i}] autodiff {grad[i]} vs finite differences {fd}");
            }
        }
    }

    // The trainer's own Step (the path every epoch runs): the gradient it leaves in .Grad is the float64 gradient of the
    // batch mean, and the parameters move by Adam's first step, −lr·g/(|g| + ε).
    [Fact]
    public void ATrainerStepIsTheExactAdamStepOnTheExactGradient()
    {
        using var scope = TensorScope.Begin();
        using var m = Model("5-4-2-3-5", "laplace", scale: 2f);
        var xs = BinaryRows(4, 5, 9);
        var options = new GmTrainingOptions { Epochs = 1, BatchSize = 4, LearningRate = 1e-3f, Binarize = BinarizeMode.None, Draws = 2, Seed = 4 };
        using var trainer = new GibbsMachineTrainer(m, options, xs);
        var reference = new GmReference(m);
        var before = m.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        var state = trainer.Generator.Snapshot();
        var (loss, _, _) = trainer.Step(Tensor.FromArray(xs, [4, 5]));
        trainer.Generator.Restore(state);
        var noise = m.Latent.Noise([2, 4, 2], trainer.Generator).ToArray();
        var eps = Enumerable.Range(0, 4).Select(r => Enumerable.Range(0, 2).Select(d => new[] { (double)noise[(d * 4 + r) * 2], noise[(d * 4 + r) * 2 + 1] }).ToArray()).ToArray();
        var rows = Enumerable.Range(0, 4).Select(r => xs.Skip(r * 5).Take(5).Select(v => (double)v).ToArray()).ToArray();
        Assert.Equal(reference.MeanObjective(rows, eps, GmObjective.Bound), loss, 3);
        foreach (var (name, p) in m.NamedParameters())
        {
            var after = p.ToArray();
            var values = reference.Params[name];
            for (int i = 0; i < values.Length; i++)
            {
                double keep = values[i], h = 1e-5;
                values[i] = keep + h;
                double up = reference.MeanObjective(rows, eps, GmObjective.Bound);
                values[i] = keep - h;
                double down = reference.MeanObjective(rows, eps, GmObjective.Bound);
                values[i] = keep;
                double g = (up - down) / (2 * h);
                Assert.True(Math.Abs(g - p.Grad!.ToArray()[i]) <= 2e-3 * (1 + Math.Abs(g)), $"∂/∂{name}[{i}]");
                if (Math.Abs(g) < 1e-4) continue; // Adam's first step is ±lr only where |g| ≫ ε
                Assert.Equal(before[name][i] - 1e-3 * Math.Sign(g), after[i], 6);
            }
        }
    }

    // 1-D latent, Bernoulli outputs through a tanh decoder: log q(x) = log ∫ p(z) Π Bern(x|σ(dec(z))) dz by quadrature.
    [Theory]
    [InlineData("gaussian")]
    [InlineData("laplace")]
    public void ImportanceSampledNllConvergesToTheExactLikelihoodOfAOneDimensionalLatentModel(string latent)
    {
        using var scope = TensorScope.Begin();
        using var m = Model("6-5-1-5-6", latent, scale: 4f);
        var reference = new GmReference(m);
        var xs = BinaryRows(6, 6, 13);
        var lik = m.ImportanceSampledNll(Tensor.FromArray(xs, [6, 6]), 4000, new Generator(2));
        for (int r = 0; r < 6; r++)
        {
            var x = xs.Skip(r * 6).Take(6).Select(v => (double)v).ToArray();
            double exact = -Math.Log(LatentFamilyTests.Integrate(z => Math.Exp(m.Latent.LogPrior(z) + reference.LogRec(x, [z])), -25, 25, [0], 20_000));
            Assert.True(Math.Abs(lik.Nll[r] - exact) <= 3 * lik.NllStdErr[r] + 2e-3, $"row {r}: IS {lik.Nll[r]} ± {lik.NllStdErr[r]} vs exact {exact}");
            Assert.True(lik.Bound[r] >= exact - 0.05, $"row {r}: bound {lik.Bound[r]} below the exact NLL {exact}"); // D_var ≥ 0 (MC bound estimate)
        }
        Assert.True(lik.MeanVariationalError > 0);
    }

    // Probabilistic PCA: a linear decoder x = zW + b + N(0, s²I) with a 2-D standard-normal latent has the marginal
    // N(b, WᵀW + s²I) and, when W's rows are orthogonal, a diagonal Gaussian posterior — inside the Gaussian family.
    [Fact]
    public void ProbabilisticPcaHasItsClosedFormLikelihoodAndZeroVariationalErrorAtTheExactPosterior()
    {
        using var scope = TensorScope.Begin();
        using var m = Model("3-2-3", "gaussian", rec: ReconstructionKind.Gaussian);
        double s = 0.6;
        double[] u1 = [0.6, 0.8, 0], u2 = [-0.48, 0.36, 0.8];      // orthonormal
        double a = 1.5, c = 0.7;
        double[] b = [0.2, -0.1, 0.4];
        double[] w = [.. u1.Select(v => a * v), .. u2.Select(v => c * v)]; // [2×3], row j is latent j's direction
        SetParam(m, "output.W", w);
        SetParam(m, "output.b", b);
        SetParam(m, "output_log_sigma", [Math.Log(s), Math.Log(s), Math.Log(s)]);
        // Exact posterior: precision Λ = I + WWᵀ/s² = diag(1 + a²/s², 1 + c²/s²); mean (x − b)Wᵀ/s²·Λ⁻¹.
        double l1 = 1 + a * a / (s * s), l2 = 1 + c * c / (s * s);
        var encW = new double[6];
        for (int i = 0; i < 3; i++) { encW[i * 2] = a * u1[i] / (s * s) / l1; encW[i * 2 + 1] = c * u2[i] / (s * s) / l2; }
        SetParam(m, "mu.W", encW);
        SetParam(m, "mu.b", [-Enumerable.Range(0, 3).Sum(i => b[i] * encW[i * 2]), -Enumerable.Range(0, 3).Sum(i => b[i] * encW[i * 2 + 1])]);
        SetParam(m, "log_sigma.W", new double[6]);
        SetParam(m, "log_sigma.b", [-0.5 * Math.Log(l1), -0.5 * Math.Log(l2)]);

        var cov = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(3, 3, (i, j) => a * a * u1[i] * u1[j] + c * c * u2[i] * u2[j] + (i == j ? s * s : 0));
        double Exact(double[] x)
        {
            var d = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(x.Select((v, i) => v - b[i]).ToArray());
            return 0.5 * d.DotProduct(cov.Solve(d)) + 0.5 * Math.Log(cov.Determinant()) + 1.5 * Math.Log(2 * Math.PI);
        }
        float[] xs = [0.5f, 1.2f, -0.3f, -1.0f, 0.1f, 0.9f, 2.0f, -0.7f, 0.0f];
        var x = Tensor.FromArray(xs, [3, 3]);
        var exactLik = m.ImportanceSampledNll(x, 4000, new Generator(1));
        for (int r = 0; r < 3; r++)
        {
            double e = Exact(xs.Skip(r * 3).Take(3).Select(v => (double)v).ToArray());
            Assert.Equal(e, exactLik.Nll[r], 3);                 // every weight equals q(x): the estimate is exact
            Assert.True(exactLik.NllStdErr[r] < 1e-3);
            Assert.True(Math.Abs(e - exactLik.Bound[r]) < 0.1, $"bound {exactLik.Bound[r]} vs {e}"); // B = NLL up to the bound estimate's Monte-Carlo noise (s.e. ≈ 0.02)
        }
        // The seed's regression estimate: log p_rec is exactly linear in (z, z²) here, so its residual is 0.
        var units = new[] { 0, 1 };
        var reg = m.RegressionVariationalError(x.Slice(0, 0, 1), units, 400, new Generator(4));
        Assert.True(reg.Gaussian < 1e-6 && Math.Abs(reg.MonteCarlo) < 1e-6, $"regression D_var {reg.Gaussian}, {reg.MonteCarlo}");

        // A wrong encoder: the IS estimate still finds the exact likelihood, and D_var = B − NLL > 0 — which the
        // regression estimate cannot see (it measures only what the family cannot represent, §3.8; see docs).
        SetParam(m, "mu.b", [0.8, -0.5]);
        var off = m.ImportanceSampledNll(x, 20_000, new Generator(2));
        for (int r = 0; r < 3; r++)
        {
            double e = Exact(xs.Skip(r * 3).Take(3).Select(v => (double)v).ToArray());
            Assert.True(Math.Abs(off.Nll[r] - e) <= 3 * off.NllStdErr[r] + 1e-3, $"row {r}: {off.Nll[r]} ± {off.NllStdErr[r]} vs {e}");
            Assert.True(off.Bound[r] - e > 0.1);
        }
        reg = m.RegressionVariationalError(x.Slice(0, 0, 1), units, 400, new Generator(4));
        Assert.True(reg.Gaussian < 1e-6);
    }

    // A tanh decoder makes the true posterior non-Gaussian: the regression residual is then > 0, and k draws per chunk
    // or all at once give the same estimate (the chunks continue one noise stream).
    [Fact]
    public void TheRegressionSeesNonGibbsPosteriorsAndChunkingDoesNotChangeTheEstimate()
    {
        using var scope = TensorScope.Begin();
        using var m = Model("6-5-2-5-6", "gaussian", scale: 4f);
        var x = Tensor.FromArray(BinaryRows(4, 6, 17), [4, 6]);
        var reg = m.RegressionVariationalError(x.Slice(0, 0, 1), [0, 1], 2000, new Generator(6));
        Assert.True(reg.Gaussian > 1e-3 && reg.MonteCarlo > 1e-3, $"{reg}");
        var whole = m.ImportanceSampledNll(x, 500, new Generator(8));
        var chunked = m.ImportanceSampledNll(x, 500, new Generator(8), maxChunkElements: 6 * 4 * 7);
        for (int r = 0; r < 4; r++)
        {
            Assert.Equal(whole.Nll[r], chunked.Nll[r], 4);
            Assert.Equal(whole.NllStdErr[r], chunked.NllStdErr[r], 5);
        }
        Assert.Throws<GibbsException>(() => m.RegressionVariationalError(x.Slice(0, 0, 1), [0, 1], 10, new Generator(6)));
    }

    [Fact]
    public void ResumingFromASavedStateIsBitIdenticalToAnUninterruptedRun()
    {
        var data = Enumerable.Range(0, 300 * 16).Select(i => (float)((i * 37 % 101) / 100.0)).ToArray();
        var options = new GmTrainingOptions { Epochs = 3, BatchSize = 64, LearningRate = 3e-3f, Seed = 9, DecayEpochs = 2 };
        float[][] Train(bool interrupt)
        {
            using var m = Model("16-8-4-8-16", "laplace", seed: 5);
            using var t = new GibbsMachineTrainer(m, options with { Epochs = interrupt ? 1 : 3 }, data, data);
            t.Fit();
            if (!interrupt) return m.Parameters().Select(p => p.ToArray()).ToArray();
            var path = Path.Combine(Path.GetTempPath(), $"gm-resume-{Environment.ProcessId}.ckpt");
            using (var s = t.CaptureState()) s.Save(path);
            using var m2 = Model("16-8-4-8-16", "laplace", seed: 77);
            using var t2 = new GibbsMachineTrainer(m2, options, data, data);
            using (var s = Gibbs.Training.TrainingState.Load(path)) t2.RestoreState(s);
            File.Delete(path);
            Assert.Equal(1, t2.Epoch);
            t2.Fit();
            Assert.Equal(3, t2.History.Count);
            return m2.Parameters().Select(p => p.ToArray()).ToArray();
        }
        var straight = Train(false);
        using (var m = Model("16-8-4-8-16", "laplace", seed: 5))
        using (var t = new GibbsMachineTrainer(m, options, data, data))
        {
            t.Fit();
            // The schedule η₀·exp(−t/τ) is what the optimiser used in each epoch.
            for (int e = 0; e < 3; e++) Assert.Equal(3e-3 * Math.Exp(-e / 2.0), t.History[e].LearningRate, 6);
            Assert.All(t.History, h => Assert.True(double.IsFinite(h.ValidationBound) && h.ValidationBound > 0));
        }
        var resumed = Train(true);
        for (int i = 0; i < straight.Length; i++) Assert.Equal(straight[i], resumed[i]);
    }

    [Fact]
    public void ADivergingRunRestoresTheEpochsStartAndSaysSo()
    {
        var data = BinaryRows(200, 6, 3);
        using var m = Model("6-4-2-4-6", "gaussian");
        using var t = new GibbsMachineTrainer(m, new GmTrainingOptions { Epochs = 1, BatchSize = 50, LearningRate = 1e30f, Binarize = BinarizeMode.None }, data);
        var before = m.Parameters().Select(p => p.ToArray()).ToArray();
        var e = Assert.Throws<GibbsException>(() => t.Fit());
        Assert.Contains("diverged in epoch 1", e.Message);
        Assert.Equal(before, m.Parameters().Select(p => p.ToArray()).ToArray());
        Assert.Equal(0, t.Epoch);
    }

    [Fact]
    public void BadInputIsOneClearLine()
    {
        using var m = Model("4-3-2-3-4", "gaussian");
        var e = Assert.Throws<GibbsException>(() => new GibbsMachineTrainer(m, new GmTrainingOptions { Binarize = BinarizeMode.None }, [0f, 0.5f, 1f, 0f]));
        Assert.Contains("--binarize", e.Message);
        e = Assert.Throws<GibbsException>(() => new GibbsMachineTrainer(m, new GmTrainingOptions(), [0f, 2f, 1f, 0f]));
        Assert.Contains("[0, 1]", e.Message);
        e = Assert.Throws<GibbsException>(() => new GibbsMachineTrainer(m, new GmTrainingOptions(), [0f, float.NaN, 1f, 0f]));
        Assert.Contains("row 0, column 1", e.Message);
        e = Assert.Throws<GibbsException>(() => new GibbsMachineTrainer(m, new GmTrainingOptions(), [0f, 1f, 1f]));
        Assert.Contains("whole number of rows", e.Message);
        Assert.Contains("odd number", Assert.Throws<GibbsException>(() => GmArchitecture.Parse("784-400-784-3")).Message);
        Assert.Contains("'x'", Assert.Throws<GibbsException>(() => GmArchitecture.Parse("784-x-784")).Message);
        Assert.Contains("must both be 784", Assert.Throws<GibbsException>(() => GmArchitecture.Parse("100-20-100").CheckWidth(784)).Message);
        Assert.Equal("784-700-400-700-784", GmArchitecture.Parse("784-700-400-700-784").ToString());
        Assert.Contains("--draws 2", Assert.Throws<GibbsException>(() => new GmTrainingOptions { Objective = GmObjective.Dvar }.Validate()).Message);
    }

    // Dynamic binarisation: every batch is a fresh Bernoulli draw of the stored intensities (binary, right mean,
    // different each time); fixed binarisation thresholds once; the held-out rows are one draw from a fixed generator.
    [Fact]
    public void DynamicBinarisationDrawsAFreshBinaryBatchEachTime()
    {
        var data = Enumerable.Repeat(0.3f, 2000 * 6).ToArray();
        using var m = Model("6-4-2-4-6", "gaussian");
        using var t = new GibbsMachineTrainer(m, new GmTrainingOptions { BatchSize = 2000 }, data);
        var rows = Enumerable.Range(0, 2000).ToArray();
        float[] a = t.Batch(rows).ToArray(), b = t.Batch(rows).ToArray();
        Assert.All(a, v => Assert.True(v is 0f or 1f));
        Assert.Equal(0.3, a.Average(v => (double)v), 0.02);
        Assert.NotEqual(a, b);
        using var fixedT = new GibbsMachineTrainer(m, new GmTrainingOptions { Binarize = BinarizeMode.Threshold }, Enumerable.Range(0, 12).Select(i => i / 11f).ToArray());
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f, 1f, 1f], fixedT.Batch([0, 1]).ToArray());
        var test1 = GibbsMachineTrainer.PrepareEvaluation(m, BinarizeMode.Dynamic, data);
        Assert.Equal(test1, GibbsMachineTrainer.PrepareEvaluation(m, BinarizeMode.Dynamic, data));
        Assert.All(test1, v => Assert.True(v is 0f or 1f));
    }

    // The reported standard error is the spread of the estimate: over 40 independent runs of k = 400 draws, the sample
    // standard deviation of the estimates matches the mean reported s.e. within sampling error. (The delta-method s.e.
    // underestimates when the weights are heavy-tailed and k small — then no estimate of it is reliable.)
    [Fact]
    public void TheReportedStandardErrorIsTheSpreadOfTheEstimate()
    {
        using var scope = TensorScope.Begin();
        using var m = Model("6-5-2-5-6", "laplace", scale: 2f);
        var x = Tensor.FromArray(BinaryRows(1, 6, 23), [1, 6]);
        var runs = Enumerable.Range(0, 40).Select(s => m.ImportanceSampledNll(x, 400, new Generator((ulong)s + 100))).ToList();
        double mean = runs.Average(r => r.Nll[0]);
        double sd = Math.Sqrt(runs.Sum(r => (r.Nll[0] - mean) * (r.Nll[0] - mean)) / (runs.Count - 1));
        double reported = runs.Average(r => r.NllStdErr[0]);
        Assert.True(sd > 0.003, $"the example should have Monte-Carlo noise (sd {sd})");
        Assert.InRange(reported / sd, 0.7, 1.4);
    }

    // Symmetry latents: the last four posterior locations are the images' standardised (h, v, r, angle), their
    // log-scales the learned parameter; the bound's gradient reaches that parameter; files keep the standardisation.
    [Fact]
    public void SymmetryLatentsAreTheStandardisedStatisticsAndSurviveAFile()
    {
        using var scope = TensorScope.Begin();
        var images = new float[3 * 36];
        images[0 * 36 + 7] = 1; images[0 * 36 + 8] = 1;               // a short bar near the top left
        images[1 * 36 + 20] = 1; images[1 * 36 + 27] = 0.5f;          // two pixels lower right
        for (int i = 0; i < 36; i += 5) images[2 * 36 + i] = 1;        // a diagonal-ish spread
        var sym = GmSymmetry.Fit(images, 36);
        using var m = new GibbsMachine(GmArchitecture.Parse("36-8-3-8-36"), LatentFamilies.Get("laplace"), ReconstructionKind.Bernoulli, new Generator(1), symmetry: sym);
        Assert.Equal(7, m.LatentSize);
        var x = Tensor.FromArray(images, [3, 36]);
        var (mu, ls) = m.Encode(x);
        var muA = mu.ToArray();
        var stats = Gibbs.Data.SymmetryStatistics.Compute(images, 3, 6);
        for (int i = 0; i < 3; i++)
        {
            double[] raw = [stats[i].H, stats[i].V, stats[i].R, stats[i].Axis];
            for (int u = 0; u < 4; u++) Assert.Equal((raw[u] - sym.Mean[u]) / sym.Sd[u], muA[i * 7 + 3 + u], 4);
        }
        Assert.All(ls.ToArray().Where((_, j) => j % 7 >= 3), v => Assert.Equal(0f, v));
        m.Objective(x, GmObjective.Bound, 2, new Generator(3)).Loss.Mean().Backward();
        Assert.Contains(m.SymmetryLogSigma!.Grad!.ToArray(), g => g != 0f);

        var path = Path.Combine(Path.GetTempPath(), $"gm-sym-{Environment.ProcessId}.safetensors");
        GmFile.Save(m, path);
        var (back, _) = GmFile.Load(path);
        File.Delete(path);
        using (back)
        {
            Assert.Equal(sym.Mean, back.Symmetry!.Mean.Length == 4 ? back.NamedBuffers().Single(b => b.Name == "symmetry_mean").Tensor.ToArray() : null);
            Assert.Equal(muA, back.Encode(x).Mu.ToArray());
        }
    }

    // The dvar objective (B − σ_ε²/2) is unbounded below: the net learns to inflate the variance of log w. An estimate
    // of −log q(x) < 0 is impossible for binary data, so the trainer stops, restores the epoch's start and says why.
    [Fact]
    public void TheDvarObjectiveRunsAwayAndTheTrainerStopsIt()
    {
        var data = BinaryRows(400, 6, 5);
        using var m = Model("6-8-2-8-6", "laplace");
        using var t = new GibbsMachineTrainer(m, new GmTrainingOptions { Epochs = 30, BatchSize = 20, LearningRate = 0.05f, Objective = GmObjective.Dvar, Draws = 4, Binarize = BinarizeMode.None }, data);
        var e = Assert.Throws<GibbsException>(() => t.Fit());
        Assert.Contains("below 0", e.Message);
        Assert.Contains("--objective iwae", e.Message);
        foreach (var p in m.Parameters()) Assert.True(p.AllFinite());
    }
}
