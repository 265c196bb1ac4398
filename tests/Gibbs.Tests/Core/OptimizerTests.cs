// Optimiser updates against hand-computed values, and SGLD's stationary distribution.
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Tests.Core;

public class OptimizerTests
{
    private static Tensor Param(params float[] v) => Tensor.FromArray(v).Untrack().RequireGrad();

    private static void Step(Optimizer opt, Func<Tensor> loss)
    {
        using var scope = TensorScope.Begin();
        opt.ZeroGrad();
        loss().Backward();
        opt.Step();
    }

    [Fact]
    public void SgdMomentumMatchesHandComputation()
    {
        using var p = Param(1f);
        var opt = new Sgd([p], 0.1f, momentum: 0.9f);
        Step(opt, () => p.Square().Sum()); // g = 2, v = 2, p = 0.8
        Assert.Equal(0.8f, p.Item(), 6);
        Step(opt, () => p.Square().Sum()); // g = 1.6, v = 3.4, p = 0.46
        Assert.Equal(0.46f, p.Item(), 5);
    }

    [Fact]
    public void AdamMatchesHandComputation()
    {
        using var p = Param(1f);
        var opt = new Adam([p], 0.1f);
        Step(opt, () => p.Sum() * 0.5f); // m̂ = 0.5, v̂ = 0.25 → step 0.1
        Assert.Equal(0.9f, p.Item(), 5);
        Step(opt, () => p.Sum() * 0.5f);
        Assert.Equal(0.8f, p.Item(), 5);
    }

    [Fact]
    public void FusedAdamMatchesTheFormulaOnEveryLane()
    {
        // 1003 elements: the vectorised body and the scalar tail; three steps with different gradients.
        var r = new System.Random(3);
        var p0 = Enumerable.Range(0, 1003).Select(_ => (float)r.NextDouble()).ToArray();
        var gs = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 1003).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray()).ToArray();
        using var p = Tensor.FromArray(p0).Untrack().RequireGrad();
        var opt = new Adam([p], 0.01f);
        double[] ep = p0.Select(x => (double)x).ToArray(), m = new double[1003], v = new double[1003];
        for (int t = 1; t <= 3; t++)
        {
            var g = gs[t - 1];
            using (TensorScope.Begin())
            {
                opt.ZeroGrad();
                (p * Tensor.FromArray(g)).Sum().Backward();
                opt.Step();
            }
            for (int i = 0; i < 1003; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                ep[i] -= 0.01 * (m[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(0.999, t))) + 1e-8);
            }
        }
        var got = p.ToArray();
        for (int i = 0; i < 1003; i++) Assert.True(Math.Abs(got[i] - ep[i]) < 2e-6, $"element {i}: {got[i]} vs {ep[i]}");
    }

    [Fact]
    public void AdaGradMatchesHandComputation()
    {
        using var p = Param(1f);
        var opt = new AdaGrad([p], 0.5f);
        Step(opt, () => p.Sum() * 2f); // G = 4, step = 0.5·2/2 = 0.5
        Assert.Equal(0.5f, p.Item(), 5);
        Step(opt, () => p.Sum() * 2f); // G = 8, step = 0.5·2/√8
        Assert.Equal(0.5f - 1f / MathF.Sqrt(8f), p.Item(), 5);
    }

    [Fact]
    public void L1AndL2DecayAddToTheGradient()
    {
        using var p = Param(1f, -1f);
        using var q = Param(2f, -4f);
        var l1 = new Sgd([p], 0.1f, decay: DecayKind.L1, decayRate: 0.5f);
        var l2 = new Sgd([q], 0.1f, decay: DecayKind.L2, decayRate: 0.5f);
        Step(l1, () => p.Sum() * 0f);
        Step(l2, () => q.Sum() * 0f);
        Assert.Equal([0.95f, -0.95f], p.ToArray());
        Assert.Equal([1.9f, -3.8f], q.ToArray());
    }

    [Fact]
    public void SgldSamplesTheBoltzmannDistributionOfAQuadratic()
    {
        // L = Σ θ²/2 at temperature T: stationary θ ~ N(0, T/(1 − η/2)) for the discretised dynamics.
        const float T = 0.3f, lr = 0.05f;
        using var p = Tensor.Zeros([20000]).Untrack().RequireGrad();
        var opt = new Sgld([p], lr, T, new Generator(5));
        for (int i = 0; i < 300; i++) Step(opt, () => p.Square().Sum() * 0.5f);
        var v = p.ToArray();
        double mean = v.Average(), variance = v.Select(x => (x - mean) * (x - mean)).Average();
        double expected = T / (1 - lr / 2);
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(variance, expected * 0.95, expected * 1.05);
    }

    [Fact]
    public void BadHyperParametersAreRejected()
    {
        using var p = Param(1f);
        Assert.Throws<GibbsException>(() => new Sgd([p], -1f));
        Assert.Throws<GibbsException>(() => new Sgd([p], 0.1f, momentum: 1f));
        Assert.Throws<GibbsException>(() => new Adam([], 0.1f));
        Assert.Throws<GibbsException>(() => new Sgld([p], 0.1f, -1f, new Generator(1)));
    }

    [Fact]
    public void SchedulesFollowTheirFormulas()
    {
        Assert.Equal(1f * MathF.Exp(-2f), new ExponentialDecay(500).Rate(1f, 1000), 6);
        Assert.Equal(0.5f, new InverseTimeDecay(10).Rate(1f, 10), 6);
        Assert.Equal(0.25f, new StepDecay(5, 0.5f).Rate(1f, 12), 6);
        Assert.Equal(0.3f, LearningRateSchedule.Constant.Rate(0.3f, 99));
    }
}
