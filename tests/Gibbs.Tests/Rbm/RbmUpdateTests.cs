// One training update of every solver, on the path training runs (RbmTrainer.Step → .Grad → Optimizer), against
// an independent float64 computation of the same update (RbmReference) from the rows the negative phase used:
// all three parameters, momentum over two updates, L1 and L2 decay, CD/PCD/naive/TAP2/TAP3 (magnetisations from
// data and persistent) and the Gaussian RBM's autodiff path. Plus what a single update cannot show: PCD chains
// that persist sample the model itself, Gaussian sampling has the model's mean and variance, and the expected
// CD-1 update equals its exact expectation over the Gibbs kernel.
using Gibbs.Models.Rbm;
using Gibbs.Optim;
using Gibbs.Rng;
using static Gibbs.Tests.Rbm.RbmTestUtil;

namespace Gibbs.Tests.Rbm;

public class RbmUpdateTests
{
    public static TheoryData<RbmSolver, TapInit, DecayKind> Solvers()
    {
        var d = new TheoryData<RbmSolver, TapInit, DecayKind>();
        foreach (var decay in new[] { DecayKind.L1, DecayKind.L2 })
        {
            d.Add(RbmSolver.Cd, TapInit.Data, decay);
            d.Add(RbmSolver.Pcd, TapInit.Data, decay);
            foreach (var s in new[] { RbmSolver.Naive, RbmSolver.Tap2, RbmSolver.Tap3 })
                foreach (var init in new[] { TapInit.Data, TapInit.Persistent })
                    d.Add(s, init, decay);
        }
        return d;
    }

    private static double[][] Batches(int nv)
    {
        var r = new System.Random(17);
        return [Enumerable.Range(0, 5 * nv).Select(_ => (double)r.Next(2)).ToArray(), Enumerable.Range(0, 5 * nv).Select(_ => (double)r.Next(2)).ToArray()];
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void TwoUpdatesEqualTheFloat64Updates(RbmSolver solver, TapInit init, DecayKind decay)
    {
        const int nv = 6, nh = 4, n = 5;
        const float lr = 0.1f, mu = 0.5f, lam = 0.02f;
        using var rbm = RandomBernoulli(nv, nh, 0.8f, 31);
        var reference = RbmReference.Of(rbm);
        var options = new RbmTrainingOptions
        {
            Solver = solver, TapInit = init, K = 1, LearningRate = lr, Momentum = mu, Decay = decay, DecayRate = lam, TapIterations = 3, BatchSize = n, Seed = 12,
        };
        using var trainer = new RbmTrainer(rbm, options) { RecordNegatives = true };
        int order = solver switch { RbmSolver.Naive => 1, RbmSolver.Tap2 => 2, _ => 3 };
        double[]? mvPersist = null, mhPersist = null;
        foreach (var v in Batches(nv))
        {
            using (TensorScope.Begin()) trainer.Step(Tensor.FromArray(v.Select(x => (float)x).ToArray(), [n, nv]));
            var (vn, hn) = trainer.LastNegative!.Value;
            (double[] W, double[] Bv, double[] Bh) g;
            if (options.IsTap)
            {
                double[] mv, mh;
                if (init == TapInit.Persistent && mvPersist is not null) (mv, mh) = (mvPersist, mhPersist!);
                else (mv, mh) = ((double[])v.Clone(), reference.Hidden(v, n));
                reference.Iterate(mv, mh, n, order, iterations: 3);
                if (init == TapInit.Persistent) (mvPersist, mhPersist) = (mv, mh);
                RbmReference.AssertClose(mv, vn, $"{solver} m_v");
                RbmReference.AssertClose(mh, hn, $"{solver} m_h");
                g = reference.TapGradient(v, n, mv, mh, n, order);
            }
            else
            {
                g = reference.BernoulliGradient(v, n, RbmReference.D(vn), RbmReference.D(hn), vn.Dim(0));
                if (solver == RbmSolver.Pcd) Assert.Equal(vn.ToArray(), trainer.PersistentVisible!.ToArray());
            }
            reference.Sgd(reference.W, reference.VelW, g.W, lr, mu, decay == DecayKind.L2 ? lam : 0, decay == DecayKind.L1 ? lam : 0);
            reference.Sgd(reference.Bv, reference.VelBv, g.Bv, lr, mu);
            reference.Sgd(reference.Bh, reference.VelBh, g.Bh, lr, mu);
            RbmReference.AssertClose(reference.W, rbm.W, $"{solver}/{init}/{decay} W");
            RbmReference.AssertClose(reference.Bv, rbm.VisibleBias, $"{solver}/{init}/{decay} b_v");
            RbmReference.AssertClose(reference.Bh, rbm.HiddenBias, $"{solver}/{init}/{decay} b_h");
        }
    }

    [Theory]
    [InlineData(RbmSolver.Cd)]
    [InlineData(RbmSolver.Pcd)]
    public void GaussianUpdatesEqualTheFloat64Updates(RbmSolver solver)
    {
        const int nv = 5, nh = 3, n = 4;
        const float lr = 0.05f, mu = 0.5f;
        var gen = new Generator(6);
        using var rbm = new GaussianBernoulliRbm(nv, nh, sigma: 1.3f, learnSigma: true);
        rbm.InitializeWeights(gen, 0.5f);
        using (TensorScope.Begin())
        {
            rbm.VisibleBias.CopyFrom(Tensor.Randn([nv], gen, 0f, 0.5f));
            rbm.HiddenBias.CopyFrom(Tensor.Randn([nh], gen, 0f, 0.5f));
        }
        var reference = RbmReference.Of(rbm);
        using var trainer = new RbmTrainer(rbm, new RbmTrainingOptions { Solver = solver, LearningRate = lr, Momentum = mu, Decay = DecayKind.L2, DecayRate = 0.01f, BatchSize = n, Seed = 3 })
        { RecordNegatives = true };
        for (int step = 0; step < 2; step++)
        {
            var v = Enumerable.Range(0, n * nv).Select(i => Math.Sin(i * 1.7 + step)).ToArray();
            using (TensorScope.Begin()) trainer.Step(Tensor.FromArray(v.Select(x => (float)x).ToArray(), [n, nv]));
            var (vn, _) = trainer.LastNegative!.Value;
            var g = reference.GaussianGradient(v, n, RbmReference.D(vn), vn.Dim(0));
            reference.Sgd(reference.W, reference.VelW, g.W, lr, mu, l2: 0.01);
            reference.Sgd(reference.Bv, reference.VelBv, g.Bv, lr, mu);
            reference.Sgd(reference.Bh, reference.VelBh, g.Bh, lr, mu);
            reference.Sgd(reference.Z, reference.VelZ, g.Z, lr * 0.1, mu); // σ learns at a tenth of the rate
            RbmReference.AssertClose(reference.W, rbm.W, "Gaussian W");
            RbmReference.AssertClose(reference.Bv, rbm.VisibleBias, "Gaussian b_v");
            RbmReference.AssertClose(reference.Bh, rbm.HiddenBias, "Gaussian b_h");
            RbmReference.AssertClose(reference.Z, rbm.LogVariance, "Gaussian log σ²");
        }
    }

    [Fact]
    public void PersistentChainsSampleTheModelNotTheData()
    {
        // With a learning rate too small to move any parameter, PCD's chains are a Markov chain with the model as its
        // stationary law: their states must follow the exact p(v). CD restarts from the data every update, so its
        // negative rows stay one sweep from the data — far from p(v) here (the test has power).
        using var rbm = RandomBernoulli(4, 3, 1.5f, 8);
        var states = Enumerable.Range(0, 16).Select(s => Enumerable.Range(0, 4).Select(i => (float)(s >> i & 1)).ToArray()).ToArray();
        double[] exact;
        using (TensorScope.Begin())
        {
            var negF = (-rbm.FreeEnergy(Tensor.FromArray(states.SelectMany(x => x).ToArray(), [16, 4]))).ToArray();
            double m = negF.Max();
            var w = negF.Select(x => Math.Exp(x - m)).ToArray();
            exact = w.Select(x => x / w.Sum()).ToArray();
        }
        double Tv(RbmSolver solver)
        {
            var counts = new double[16];
            var options = new RbmTrainingOptions { Solver = solver, LearningRate = 1e-30f, BatchSize = 8, Chains = 8, Seed = 2 };
            using var t = new RbmTrainer(rbm, options) { RecordNegatives = true };
            var zeros = new float[8 * 4];
            for (int step = 0; step < 3000; step++)
            {
                using var scope = TensorScope.Begin();
                t.Step(Tensor.FromArray(zeros, [8, 4]));
                var vn = t.LastNegative!.Value.V.ToArray();
                for (int r = 0; r < 8; r++)
                    counts[(int)(vn[r * 4] + 2 * vn[r * 4 + 1] + 4 * vn[r * 4 + 2] + 8 * vn[r * 4 + 3])]++;
            }
            double total = counts.Sum();
            return 0.5 * counts.Select((c, s) => Math.Abs(c / total - exact[s])).Sum();
        }
        double pcd = Tv(RbmSolver.Pcd), cd = Tv(RbmSolver.Cd);
        Assert.True(pcd < 0.03, $"PCD chains' total-variation distance to p(v): {pcd:F4}");
        Assert.True(cd > 0.2, $"CD's negative rows should stay near the data here (TV {cd:F4}); the test would not tell the two apart otherwise");
    }

    [Fact]
    public void GaussianSamplesHaveTheModelsMeanAndVariance()
    {
        const int n = 200_000;
        using var rbm = new GaussianBernoulliRbm(3, 2, sigma: 2f);
        using var scope = TensorScope.Begin();
        rbm.W.CopyFrom([0.5f, -1f, 0.25f, 2f, -0.5f, 0f]);
        rbm.VisibleBias.CopyFrom([0.1f, -0.2f, 0.3f]);
        rbm.Shift.CopyFrom([1f, 2f, 3f]);
        rbm.Scale.CopyFrom([0.5f, 1f, 2f]);
        var h = Tensor.FromArray(Enumerable.Range(0, n).SelectMany(_ => new[] { 1f, 0f }).ToArray(), [n, 2]);
        var v = rbm.SampleVisible(h, new Generator(4));
        var mean = v.Mean(0).ToArray();
        var variance = (v - v.Mean(0)).Square().Mean(0).ToArray();
        float[] expectedMean = [1f + 0.5f * (0.1f + 0.5f), 2f + (-0.2f + 0.25f), 3f + 2f * (0.3f - 0.5f)];
        float[] expectedVar = [0.25f * 4f, 4f, 16f];
        for (int i = 0; i < 3; i++)
        {
            double se = Math.Sqrt(expectedVar[i] / n);
            Assert.True(Math.Abs(mean[i] - expectedMean[i]) < 4 * se, $"mean[{i}] {mean[i]} vs {expectedMean[i]}");
            Assert.True(Math.Abs(variance[i] / expectedVar[i] - 1) < 0.02, $"variance[{i}] {variance[i]} vs {expectedVar[i]}");
        }
        Assert.Equal(expectedMean, rbm.VisibleMean(Tensor.FromArray([1f, 0f], [1, 2])).ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void TheExpectedCd1UpdateIsItsExactExpectation()
    {
        // E[v_n h_nᵀ] for CD-1 from fixed data rows, by enumerating h₀ ~ P(h|v) and v_n ~ P(v|h₀), with h_n = P(h|v_n).
        using var rbm = RandomBernoulli(4, 3, 1.0f, 5);
        float[] data = [1, 0, 1, 0, 0, 1, 1, 1];
        var w = RbmReference.D(rbm.W); var bv = RbmReference.D(rbm.VisibleBias); var bh = RbmReference.D(rbm.HiddenBias);
        static double S(double x) => 1 / (1 + Math.Exp(-x));
        var expected = new double[12];
        for (int r = 0; r < 2; r++)
            for (int h0 = 0; h0 < 8; h0++)
            {
                double ph0 = 1;
                for (int j = 0; j < 3; j++)
                {
                    double a = bh[j]; for (int i = 0; i < 4; i++) a += data[r * 4 + i] * w[i * 3 + j];
                    ph0 *= (h0 >> j & 1) != 0 ? S(a) : 1 - S(a);
                }
                for (int vs = 0; vs < 16; vs++)
                {
                    double pv = 1;
                    for (int i = 0; i < 4; i++)
                    {
                        double a = bv[i]; for (int j = 0; j < 3; j++) a += (h0 >> j & 1) * w[i * 3 + j];
                        pv *= (vs >> i & 1) != 0 ? S(a) : 1 - S(a);
                    }
                    for (int i = 0; i < 4; i++)
                        for (int j = 0; j < 3; j++)
                        {
                            double a = bh[j]; for (int k = 0; k < 4; k++) a += (vs >> k & 1) * w[k * 3 + j];
                            expected[i * 3 + j] += 0.5 * ph0 * pv * (vs >> i & 1) * S(a);
                        }
                }
            }
        // The trainer's negative statistic, averaged over many replicas of the two rows in one batch.
        const int reps = 20_000;
        var big = Enumerable.Range(0, reps).SelectMany(_ => data).ToArray();
        using var t = new RbmTrainer(rbm, new RbmTrainingOptions { Solver = RbmSolver.Cd, LearningRate = 1e-30f, BatchSize = 2 * reps, Seed = 9 }) { RecordNegatives = true };
        using var scope = TensorScope.Begin();
        t.Step(Tensor.FromArray(big, [2 * reps, 4]));
        var (vn, hn) = t.LastNegative!.Value;
        var got = Tensor.MatMul(vn, hn, transA: true).ToArray().Select(x => x / (2.0 * reps)).ToArray();
        for (int k = 0; k < 12; k++)
            Assert.True(Math.Abs(got[k] - expected[k]) < 4 * Math.Sqrt(0.25 / (2.0 * reps)), $"E[v hᵀ][{k}]: {got[k]:F4} vs exact {expected[k]:F4}");
    }
}

internal sealed class FloatTolerance(float tol) : IEqualityComparer<float>
{
    public bool Equals(float a, float b) => Math.Abs(a - b) <= tol;
    public int GetHashCode(float obj) => 0;
}

public class GaussianRbmTrainingTests
{
    [Fact]
    public void LearnedSigmaOnMnist10kDoesNotDiverge()
    {
        // The first user's case: --visible gaussian --learn-sigma on mnist10k at lr 1e-2 diverged in epoch 1. With the inputs
        // standardised, σ bounded and log σ² learning at a tenth of the rate, the run stays stable and reconstructs well.
        var x = Gibbs.Data.Datasets.Load("mnist10k").X;
        using var rbm = new GaussianBernoulliRbm(784, 100, learnSigma: true);
        var reports = rbm.Fit(x, new RbmTrainingOptions { Solver = RbmSolver.Pcd, Epochs = 12, LearningRate = 0.01f, Momentum = 0.5f, Seed = 1 });
        Assert.Equal(12, reports.Count);
        Assert.All(reports, r => Assert.True(r.ReconstructionError < 0.06, $"epoch {r.Epoch}: reconstruction error {r.ReconstructionError:F4}"));
        Assert.True(reports[^1].WeightNorm < 60, $"‖W‖ = {reports[^1].WeightNorm:F1}");
        Assert.True(rbm.LogVariance.MinValue() >= 2 * MathF.Log(GaussianBernoulliRbm.MinSigma) - 1e-5f);
    }
}
