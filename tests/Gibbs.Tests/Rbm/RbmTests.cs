// Bernoulli / Gaussian RBM behaviour: sampling matches conditionals, TAP stationarity, CD-k vs the
// exact gradient, pseudo-likelihood by hand, input immutability, bad input.
using Gibbs.Models.Rbm;
using Gibbs.Rng;
using static Gibbs.Tests.Rbm.RbmTestUtil;

namespace Gibbs.Tests.Rbm;

public class RbmTests
{
    [Fact]
    public void MeanOfHiddenSamplesMatchesConditionalProbabilities()
    {
        using var rbm = RandomBernoulli(8, 5, 1f, 4);
        using var scope = TensorScope.Begin();
        var v = Tensor.FromArray([1f, 0f, 1f, 1f, 0f, 0f, 1f, 0f], [1, 8]).Expand([20000, 8]);
        var mean = rbm.SampleHidden(v, new Generator(9)).Mean(0).ToArray();
        var p = rbm.HiddenProbabilities(v.Slice(0, 0, 1)).ToArray();
        for (int j = 0; j < 5; j++)
            Assert.True(Math.Abs(mean[j] - p[j]) < 4 * Math.Sqrt(p[j] * (1 - p[j]) / 20000) + 1e-4, $"unit {j}: {mean[j]} vs {p[j]}");
    }

    [Fact]
    public void PseudoLikelihoodMatchesAHandComputation()
    {
        // n_v = 2, n_h = 1, W = [1, −2]ᵀ, b_v = [0.5, 0], b_h = 0.25; v = [1, 0], flip unit 1 → ṽ = [1, 1].
        using var rbm = new BernoulliRbm(2, 1);
        rbm.W.CopyFrom([1f, -2f]);
        rbm.VisibleBias.CopyFrom([0.5f, 0f]);
        rbm.HiddenBias.CopyFrom([0.25f]);
        using var scope = TensorScope.Begin();
        double F(double v0, double v1) => -(0.5 * v0) - Math.Log(1 + Math.Exp(v0 * 1 + v1 * -2 + 0.25));
        double expected = 2 * -Math.Log(1 + Math.Exp(-(F(1, 1) - F(1, 0))));
        var got = rbm.PseudoLikelihood(Tensor.FromArray([1f, 0f], [1, 2]), [1f]).Item();
        Assert.Equal(expected, got, 5);
    }

    [Theory]
    [InlineData(TapOrder.Naive)]
    [InlineData(TapOrder.Tap2)]
    [InlineData(TapOrder.Tap3)]
    public void TapMagnetisationsAreStationaryPointsOfTheFreeEnergy(TapOrder order)
    {
        using var rbm = RandomBernoulli(10, 7, 0.5f, 12);
        using var scope = TensorScope.Begin();
        var mv = Tensor.Rand([3, 10], new Generator(1), 0.1f, 0.9f);
        var mh = Tensor.Rand([3, 7], new Generator(2), 0.1f, 0.9f);
        rbm.IterateMagnetisations(mv, mh, order, iterations: 400);
        var mvG = mv.Detach().Clone().RequireGrad();
        var mhG = mh.Detach().Clone().RequireGrad();
        rbm.TapFreeEnergy(mvG, mhG, order).Sum().Backward();
        // ∂Γ/∂m = logit(m) − field(m) = 0 at a fixed point.
        Assert.All(mvG.Grad!.ToArray(), g => Assert.InRange(g, -2e-4f, 2e-4f));
        Assert.All(mhG.Grad!.ToArray(), g => Assert.InRange(g, -2e-4f, 2e-4f));
    }

    [Fact]
    public void CdGradientApproachesTheExactGradientAsKGrows()
    {
        using var rbm = RandomBernoulli(6, 4, 1.2f, 3);
        var data = new float[8 * 6];
        var r = new System.Random(5);
        for (int i = 0; i < data.Length; i++) data[i] = r.Next(2);
        // Exact: ⟨v h⟩_data − ⟨v h⟩_model.
        var model = ExactModelCorrelation(rbm);
        double[] exact;
        using (TensorScope.Begin())
        {
            var v = Tensor.FromArray(data, [8, 6]);
            var pos = Tensor.MatMul(v, rbm.HiddenProbabilities(v), transA: true).ToArray();
            exact = pos.Select((x, i) => x / 8 - model[i]).ToArray();
        }
        double Error(int k)
        {
            // Average the CD-k estimate over many replicas of the data.
            var big = Enumerable.Range(0, 4000).SelectMany(_ => data).ToArray();
            using var trainer = new RbmTrainer(rbm, new RbmTrainingOptions { Solver = RbmSolver.Cd, K = k, BatchSize = 32000, Seed = 77 }, big);
            using var scope = TensorScope.Begin();
            using var _ = Tensor.NoGrad();
            trainer.ComputeGradients(Tensor.FromArray(big, [32000, 6]));
            var g = rbm.W.Grad!.ToArray().Select(x => -x).ToArray(); // .Grad is the descent direction: model − data
            return Math.Sqrt(g.Select((x, i) => (x - exact[i]) * (x - exact[i])).Sum());
        }
        double e1 = Error(1), e10 = Error(10), e100 = Error(100);
        Assert.True(e10 < e1, $"CD-10 error {e10} not below CD-1 {e1}");
        Assert.True(e100 < 0.5 * e1, $"CD-100 error {e100} vs CD-1 {e1}");
        Assert.True(e100 < 0.03, $"CD-100 error {e100}");
    }

    [Fact]
    public void TapNegativePhaseApproachesTheExactModelCorrelationAtWeakCoupling()
    {
        // The trainer's own TAP gradient (production path: ComputeGradients → W.Grad = ⟨v hᵀ⟩_TAP − ⟨v hᵀ⟩_data) with the
        // magnetisations converged; adding back the data term leaves the TAP estimate of the model correlation, whose
        // error against the exact ⟨v hᵀ⟩_model must shrink with each order.
        using var rbm = RandomBernoulli(9, 6, 0.3f, 21);
        var exact = ExactModelCorrelation(rbm);
        float[] rows = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0];
        double[] pos;
        using (TensorScope.Begin())
        {
            var v = Tensor.FromArray(rows, [2, 9]);
            pos = Tensor.MatMul(v, rbm.HiddenProbabilities(v), transA: true).ToArray().Select(x => x / 2.0).ToArray();
        }
        var err = new Dictionary<RbmSolver, double>();
        foreach (var solver in new[] { RbmSolver.Naive, RbmSolver.Tap2, RbmSolver.Tap3 })
        {
            using var trainer = new RbmTrainer(rbm, new RbmTrainingOptions { Solver = solver, TapIterations = 300, BatchSize = 2 });
            using var scope = TensorScope.Begin();
            using var _ = Tensor.NoGrad();
            trainer.ComputeGradients(Tensor.FromArray(rows, [2, 9]));
            var model = rbm.W.Grad!.ToArray().Select((g, i) => g + pos[i]).ToArray();
            err[solver] = Math.Sqrt(model.Select((x, i) => (x - exact[i]) * (x - exact[i])).Sum() / model.Length);
        }
        string all = string.Join(", ", err.Select(kv => $"{kv.Key}: {kv.Value:G3}"));
        Assert.True(err[RbmSolver.Tap2] < err[RbmSolver.Naive] / 3, all);
        Assert.True(err[RbmSolver.Tap3] < err[RbmSolver.Tap2], all);
        Assert.True(err[RbmSolver.Tap2] < 5e-3, all);
    }

    [Fact]
    public void GaussianAutodiffGradientMatchesTheClosedForm()
    {
        // ∂(−F)/∂W_ij = (v_i/σ_i²) p_j,  ∂(−F)/∂z_i = (v_i − b_i)²/(2σ_i²) − (v_i/σ_i²) Σ_j W_ij p_j.
        var gen = new Generator(8);
        using var rbm = new GaussianBernoulliRbm(3, 2, sigma: 1.3f, learnSigma: true);
        rbm.InitializeWeights(gen, 0.5f);
        using var scope = TensorScope.Begin();
        rbm.VisibleBias.CopyFrom([0.2f, -0.1f, 0.4f]);
        var v = Tensor.FromArray([0.5f, -1f, 2f], [1, 3]);
        (-rbm.FreeEnergy(v)).Sum().Backward();
        var w = rbm.W.ToArray();
        var b = rbm.VisibleBias.ToArray();
        double s2 = 1.3 * 1.3;
        var ph = rbm.HiddenProbabilities(v).ToArray();
        float[] vv = [0.5f, -1f, 2f];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 2; j++) Assert.Equal(vv[i] / s2 * ph[j], rbm.W.Grad!.ToArray()[i * 2 + j], 5);
            double dz = (vv[i] - b[i]) * (vv[i] - b[i]) / (2 * s2) - vv[i] / s2 * (w[i * 2] * ph[0] + w[i * 2 + 1] * ph[1]);
            Assert.Equal(dz, rbm.LogVariance.Grad!.ToArray()[i], 5);
        }
    }

    [Fact]
    public void NonBinaryDataIsRejectedWithTheFix()
    {
        using var rbm = new BernoulliRbm(4, 3);
        var e = Assert.Throws<GibbsException>(() => new RbmTrainer(rbm, new RbmTrainingOptions(), [0f, 1f, 0.5f, 1f]));
        Assert.Contains("--binarize", e.Message);
        Assert.Contains("row 0, column 2", e.Message);
    }

    [Fact]
    public void ShapeMismatchIsAClearError()
    {
        using var rbm = new BernoulliRbm(4, 3);
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<GibbsException>(() => rbm.Transform(Tensor.Zeros([2, 5])));
        Assert.Contains("4 visible units", e.Message);
        Assert.Throws<GibbsException>(() => new RbmTrainer(rbm, new RbmTrainingOptions(), new float[7]));
    }

    [Fact]
    public void TrainingDoesNotModifyItsInputAndIsReproducible()
    {
        var data = new float[200 * 16];
        var r = new System.Random(2);
        for (int i = 0; i < data.Length; i++) data[i] = (float)r.NextDouble();
        var copy = (float[])data.Clone();
        float[] Run()
        {
            using var rbm = new BernoulliRbm(16, 8);
            rbm.InitializeWeights(new Generator(1));
            using var t = new RbmTrainer(rbm, new RbmTrainingOptions { Solver = RbmSolver.Pcd, Epochs = 2, BatchSize = 20, Binarize = BinarizeMode.Dynamic, Momentum = 0.5f }, data);
            t.Fit();
            return rbm.W.ToArray();
        }
        var a = Run();
        Assert.Equal(copy, data);
        Assert.Equal(a, Run());
    }

    [Fact]
    public void DivergenceStopsWithAMessageAndRestoresTheWholeTrainingState()
    {
        // PCD with momentum: after a good epoch the state has velocity, chains and a moved generator; a diverging
        // epoch must give all of them back, not only the parameters.
        var data = new float[100 * 9];
        var r = new System.Random(3);
        for (int i = 0; i < data.Length; i++) data[i] = r.Next(2);
        using var rbm = new BernoulliRbm(9, 4);
        var options = new RbmTrainingOptions { Solver = RbmSolver.Pcd, LearningRate = 0.05f, Momentum = 0.5f, Epochs = 2, BatchSize = 10 };
        using var t = new RbmTrainer(rbm, options, data);
        t.TrainEpoch();
        using var before = t.CaptureState();
        rbm.W.AffineInPlace(1e5f); // the next epoch starts far out: |W| stays past the divergence threshold
        using var blownUp = t.CaptureState();
        var e = Assert.Throws<GibbsException>(() => t.TrainEpoch());
        Assert.Contains("diverged", e.Message);
        Assert.Contains("momentum, chains and generator", e.Message);
        using var after = t.CaptureState();
        foreach (var name in blownUp.Tensors.Keys) Assert.Equal(blownUp.Tensor(name).ToArray(), after.Tensor(name).ToArray());
        Assert.Equal(blownUp.Meta("rng.train"), after.Meta("rng.train"));
        Assert.Equal(1, t.Epoch);
        Assert.NotEqual(before.Meta("rng.train"), after.Meta("rng.train") + "x");
        Assert.Contains("optim.velocity.0", after.Tensors.Keys);
        Assert.Contains("trainer.chain_v", after.Tensors.Keys);
    }

    [Theory]
    [InlineData(RbmSolver.Cd)]
    [InlineData(RbmSolver.Pcd)]
    [InlineData(RbmSolver.Tap2)]
    [InlineData(RbmSolver.Tap3)]
    public void TrainingLearnsTheCorrelationsOfASmallModel(RbmSolver solver)
    {
        // Data from a "true" RBM whose pixels are strongly correlated: it beats the best independent-pixel model (the
        // true marginals) by ≥ 0.3 nats, so learning the biases alone cannot pass. The trained model must recover most
        // of that gap, judged by exact log-likelihoods.
        // Four hidden units, each switching on a group of pixels (0–2, 3–5, 6–7, 8–9): pixels of a group are on together.
        using var truth = new BernoulliRbm(10, 4);
        using var scope = TensorScope.Begin();
        int[] group = [0, 0, 0, 1, 1, 1, 2, 2, 3, 3];
        truth.W.CopyFrom(Enumerable.Range(0, 40).Select(k => group[k / 4] == k % 4 ? 4f : 0f).ToArray());
        truth.VisibleBias.FillInPlace(-2f);
        truth.HiddenBias.CopyFrom([-6f, -6f, -4f, -4f]);
        var samples = truth.Gibbs(Tensor.Bernoulli(Tensor.Full([2000, 10], 0.5f), new Generator(2)), 300, new Generator(3)).ToArray();
        var all = Tensor.FromArray(samples, [2000, 10]);
        double LogLik(BernoulliRbm m) => -m.MeanFreeEnergy(all) - PartitionFunction.ExactLogZ(m);
        double optimum = LogLik(truth);
        double independent = Gibbs.Models.Baselines.IndependentModels.BernoulliLogLikelihood(samples, samples, 10);
        Assert.True(optimum - independent >= 0.3, $"the truth model must have real correlations: gap {optimum - independent:F3} nats");
        using var rbm = new BernoulliRbm(10, 6);
        var options = new RbmTrainingOptions { Solver = solver, Epochs = 60, BatchSize = 50, LearningRate = 0.1f, Momentum = 0.5f, Seed = 5 };
        rbm.Fit(samples, options);
        double after = LogLik(rbm);
        Assert.True(after > independent + 0.6 * (optimum - independent),
            $"{solver}: {after:F3} nats vs independent pixels {independent:F3} and the generating model {optimum:F3}");
    }
}
