// log Z: smaller-layer enumeration vs brute force, AIS vs exact, TAP vs exact at weak coupling,
// Gaussian visibles vs numerical integration.
using Gibbs.Models.Rbm;
using static Gibbs.Tests.Rbm.RbmTestUtil;

namespace Gibbs.Tests.Rbm;

public class PartitionFunctionTests
{
    [Theory]
    [InlineData(5, 4, 1u)]
    [InlineData(3, 7, 2u)]
    [InlineData(6, 6, 3u)]
    public void SmallerLayerSumEqualsBruteForce(int nv, int nh, uint seed)
    {
        using var rbm = RandomBernoulli(nv, nh, 1.0f, seed);
        Assert.Equal(BruteForceLogZ(rbm), PartitionFunction.ExactLogZ(rbm), 4);
    }

    [Fact]
    public void ExactLogZRefusesLargeLayersWithAHint()
    {
        using var rbm = new BernoulliRbm(30, 25);
        var e = Assert.Throws<GibbsException>(() => PartitionFunction.ExactLogZ(rbm));
        Assert.Contains("ais", e.Message);
    }

    [Fact]
    public void AisAgreesWithExactWithinThreeStandardErrors()
    {
        using var rbm = RandomBernoulli(40, 15, 0.3f, 7);
        double exact = PartitionFunction.ExactLogZ(rbm);
        using var scope = TensorScope.Begin();
        var bA = Tensor.Zeros([40]);
        var r = Ais.LogZ(rbm, bA, new AisOptions { Runs = 200, Betas = [300, 1200, 3000], Seed = 5 });
        Assert.True(Math.Abs(r.LogZ - exact) < 3 * r.StdErr + 1e-3, $"AIS {r.LogZ:F4} ± {r.StdErr:F4} vs exact {exact:F4}");
        Assert.True(r.StdErr < 0.05, $"standard error {r.StdErr} too large to be a meaningful test");
        Assert.InRange(exact, r.LogZLow - 1e-3, r.LogZHigh + 1e-3);
    }

    [Fact]
    public void TapLogZConvergesToExactAsWeightsVanish()
    {
        // At weak coupling the Plefka series is exact to O(W^{order+1}): errors shrink fast with ε and with order.
        var errors = new Dictionary<(float, TapOrder), double>();
        foreach (float eps in new[] { 0.4f, 0.1f })
            foreach (var order in new[] { TapOrder.Naive, TapOrder.Tap2, TapOrder.Tap3 })
            {
                using var rbm = RandomBernoulli(12, 10, 1f, 11);
                rbm.W.AffineInPlace(eps);
                double exact = PartitionFunction.ExactLogZ(rbm);
                using var scope = TensorScope.Begin();
                var init = Tensor.Full([4, 12], 0.5f);
                errors[(eps, order)] = Math.Abs(rbm.TapLogZ(init, order, iterations: 300) - exact);
            }
        string all = string.Join(", ", errors.Select(kv => $"{kv.Key}: {kv.Value:G3}"));
        // Each order is exact one power of ε further: naive error ∝ ε² (×16 from ε = 0.4 to 0.1), TAP3 ∝ ε⁴ (×256).
        Assert.True(errors[(0.1f, TapOrder.Tap2)] < 1e-4, all);
        Assert.True(errors[(0.4f, TapOrder.Naive)] / errors[(0.1f, TapOrder.Naive)] > 10, all);
        Assert.True(errors[(0.4f, TapOrder.Tap3)] / errors[(0.1f, TapOrder.Tap3)] > 100, all);
        Assert.True(errors[(0.1f, TapOrder.Naive)] > 100 * errors[(0.1f, TapOrder.Tap2)], all);
        Assert.True(errors[(0.1f, TapOrder.Tap3)] < errors[(0.1f, TapOrder.Tap2)], all);
    }

    [Fact]
    public void GaussianAisAgreesWithExactWithinThreeStandardErrors()
    {
        var gen = new Gibbs.Rng.Generator(4);
        using var rbm = new GaussianBernoulliRbm(30, 12, sigma: 0.8f, learnSigma: true);
        rbm.InitializeWeights(gen, 0.15f);
        using var scope = TensorScope.Begin();
        rbm.VisibleBias.CopyFrom(Tensor.Randn([30], gen, 0f, 0.5f));
        rbm.HiddenBias.CopyFrom(Tensor.Randn([12], gen, 0f, 0.5f));
        rbm.Shift.CopyFrom(Tensor.Randn([30], gen));
        rbm.Scale.CopyFrom(Tensor.Rand([30], gen, 0.5f, 2f));
        double exact = PartitionFunction.ExactLogZ(rbm);
        var data = rbm.Sample(500, 50, gen);
        var r = Ais.LogZ(rbm, Ais.BaseMean(rbm, data), new AisOptions { Runs = 200, Betas = [300, 1200, 3000], Seed = 5 });
        Assert.True(Math.Abs(r.LogZ - exact) < 3 * r.StdErr + 1e-3, $"AIS {r.LogZ:F4} ± {r.StdErr:F4} vs exact {exact:F4}");
        Assert.True(r.StdErr < 0.05, $"standard error {r.StdErr} too large to be a meaningful test");
        var scores = RbmEvaluation.Evaluate(rbm, data, LogZMethod.Auto);
        Assert.Equal("exact", scores.Method);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void GaussianFreeEnergyMatchesNumericalIntegration(int nv, bool standardized)
    {
        // log Z = log ∫ e^{−F(v)} dv by the trapezoid rule on a wide grid vs the closed-form sum over h.
        var gen = new Gibbs.Rng.Generator(21);
        using var rbm = new GaussianBernoulliRbm(nv, 3, sigma: 0.7f, learnSigma: true);
        rbm.InitializeWeights(gen, 0.8f);
        using (TensorScope.Begin())
        {
            rbm.VisibleBias.CopyFrom(Tensor.Randn([nv], gen));
            rbm.HiddenBias.CopyFrom(Tensor.Randn([3], gen));
            rbm.LogVariance.CopyFrom(Tensor.Rand([nv], gen, -1f, 0.5f));
            // With the input standardisation, e^{−F(v)} must still integrate to Z over the raw v (the Jacobian is in F).
            if (standardized) { rbm.Shift.CopyFrom([0.5f, -1f]); rbm.Scale.CopyFrom([1.6f, 0.6f]); }
        }
        double exact = PartitionFunction.ExactLogZ(rbm);
        const int g = 801;
        const double lo = -12, hi = 12, dx = (hi - lo) / (g - 1);
        int points = nv == 1 ? g : g * g;
        var grid = new float[points * nv];
        for (int p = 0; p < points; p++)
        {
            grid[p * nv] = (float)(lo + dx * (p % g));
            if (nv == 2) grid[p * nv + 1] = (float)(lo + dx * (p / g));
        }
        using var scope = TensorScope.Begin();
        var negF = (-rbm.FreeEnergy(Tensor.FromArray(grid, [points, nv]))).ToArray();
        double m = negF.Max(), s = 0;
        for (int p = 0; p < points; p++)
        {
            double wgt = (p % g == 0 || p % g == g - 1 ? 0.5 : 1) * (nv == 2 && (p / g == 0 || p / g == g - 1) ? 0.5 : 1);
            s += wgt * Math.Exp(negF[p] - m);
        }
        double numeric = m + Math.Log(s) + nv * Math.Log(dx);
        Assert.Equal(exact, numeric, 3);
    }
}
