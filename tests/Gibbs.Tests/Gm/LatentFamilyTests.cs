// Latent families against float64 quadrature and Monte Carlo: densities, generative errors, draws, the mixture
// bound of App. B, and the reparameterised gradient of E[f(z)] against finite differences of the exact expectation.
using Gibbs.Models.Gm;
using Gibbs.Rng;

namespace Gibbs.Tests.Gm;

public class LatentFamilyTests
{
    public static TheoryData<string> Families => new() { "gaussian", "laplace" };

    /// <summary>∫ f over [a, b] by composite Simpson, split at the kinks so each piece is smooth.</summary>
    internal static double Integrate(Func<double, double> f, double a, double b, double[] kinks, int n = 40_000)
    {
        var cuts = kinks.Where(k => k > a && k < b).Order().Prepend(a).Append(b).ToArray();
        double total = 0;
        for (int p = 0; p + 1 < cuts.Length; p++)
        {
            double lo = cuts[p], hi = cuts[p + 1], h = (hi - lo) / n, s = f(lo) + f(hi);
            for (int i = 1; i < n; i++) s += f(lo + i * h) * (i % 2 == 1 ? 4 : 2);
            total += s * h / 3;
        }
        return total;
    }

    [Fact]
    public void TheRegistryFindsEveryFamilyAndNamesThemWhenAsked()
    {
        Assert.Equal(["gaussian", "laplace"], LatentFamilies.Names);
        Assert.Equal("laplace", LatentFamilies.Get("Laplace").Name);
        var e = Assert.Throws<GibbsException>(() => LatentFamilies.Get("cauchy"));
        Assert.Contains("gaussian, laplace", e.Message);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void DensitiesNormaliseAndGenerativeErrorsMatchQuadrature(string name)
    {
        var f = LatentFamilies.Get(name);
        foreach (var (mu, sigma) in new[] { (0.0, 1.0), (0.8, 0.4), (-1.7, 1.6), (2.5, 0.1) })
        {
            double[] kinks = [0, mu];
            double lo = mu - 60 * sigma - 30, hi = mu + 60 * sigma + 30;
            double mass = Integrate(z => Math.Exp(f.LogPosterior(z, mu, sigma)), lo, hi, kinks);
            double prior = Integrate(z => Math.Exp(f.LogPrior(z)), lo, hi, kinks);
            double kl = Integrate(z => Math.Exp(f.LogPosterior(z, mu, sigma)) * (f.LogPosterior(z, mu, sigma) - f.LogPrior(z)), lo, hi, kinks);
            double variance = Integrate(z => Math.Exp(f.LogPrior(z)) * z * z, lo, hi, kinks);
            Assert.Equal(1.0, mass, 8);
            Assert.Equal(1.0, prior, 8);
            Assert.Equal(1.0, variance, 6); // unit-variance priors (App. B's √0.5 for the Laplacian)
            Assert.Equal(kl, f.GenerativeError(mu, sigma), 7);

            using var scope = TensorScope.Begin();
            var m = Tensor.FromArray([(float)mu]);
            var ls = Tensor.FromArray([(float)Math.Log(sigma)]);
            Assert.Equal(kl, f.GenerativeError(m, ls).Item(), 4);
            var z = Tensor.FromArray([-1.3f, 0.2f, (float)mu + 0.5f]);
            var lp = f.LogPosterior(z, m, ls).ToArray();
            var lq = f.LogPrior(z).ToArray();
            double[] zs = [-1.3, 0.2, (float)mu + 0.5];
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(f.LogPosterior(zs[i], mu, sigma), lp[i], 3);
                Assert.Equal(f.LogPrior(zs[i]), lq[i], 4);
            }
        }
        Assert.Equal(0.0, f.GenerativeError(0, 1), 12); // (μ, σ) → (0, 1) costs nothing
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void ReparameterisedDrawsHaveThePosteriorsMomentsAndQuantiles(string name)
    {
        var f = LatentFamilies.Get(name);
        using var scope = TensorScope.Begin();
        const int n = 400_000;
        float mu = 0.7f, sigma = 1.8f;
        var z = f.Sample(Tensor.Full([n], mu), Tensor.Full([n], MathF.Log(sigma)), f.Noise([n], new Generator(5))).ToArray();
        double mean = z.Average(v => (double)v), var = z.Average(v => (v - mean) * (v - mean));
        Assert.Equal(mu, mean, 0.02);        // s.e. 1.8/√4e5 ≈ 0.003
        Assert.Equal(sigma * sigma, var, 0.05 * sigma * sigma);
        // The fraction below a point equals the posterior CDF there (by quadrature of its density).
        foreach (double q in new[] { -1.0, 0.7, 2.5 })
        {
            double cdf = Integrate(t => Math.Exp(f.LogPosterior(t, mu, sigma)), mu - 60 * sigma, q, [mu]);
            Assert.Equal(cdf, z.Count(v => v < q) / (double)n, 0.004);
        }
    }

    // ∂/∂(μ, log σ) E_q[f(z)] by the reparameterised estimator the trainer uses (autodiff through Sample, common noise)
    // against central differences of the exact expectation by quadrature, f(z) = tanh(2z) + 0.3z² (smooth, not symmetric).
    [Theory]
    [MemberData(nameof(Families))]
    public void TheReparameterisedGradientMatchesFiniteDifferencesOfTheExactExpectation(string name)
    {
        var f = LatentFamilies.Get(name);
        static double F(double z) => Math.Tanh(2 * z) + 0.3 * z * z;
        double Expect(double mu, double sigma) => Integrate(z => Math.Exp(f.LogPosterior(z, mu, sigma)) * F(z), mu - 60 * sigma, mu + 60 * sigma, [mu]);
        double m0 = 0.4, s0 = 0.7, h = 1e-4;
        double dMu = (Expect(m0 + h, s0) - Expect(m0 - h, s0)) / (2 * h);
        double dLogSigma = (Expect(m0, s0 * Math.Exp(h)) - Expect(m0, s0 * Math.Exp(-h))) / (2 * h);

        using var scope = TensorScope.Begin();
        const int n = 1_000_000;
        var mu = Tensor.FromArray([(float)m0]);
        var ls = Tensor.FromArray([(float)Math.Log(s0)]);
        mu.RequiresGrad = ls.RequiresGrad = true;
        var z = f.Sample(mu, ls, f.Noise([n], new Generator(11)));
        ((z * 2f).Tanh() + z.Square() * 0.3f).Mean().Backward();
        // Per-draw gradients have standard deviation ≤ ~2.5 here, so the mean's error is ≤ ~0.0025; 0.012 is > 4 s.e.
        Assert.Equal(dMu, mu.Grad!.Item(), 0.012);
        Assert.Equal(dLogSigma, ls.Grad!.Item(), 0.012);
    }

    // App. B: for mixtures with shared weights, Σ αₛ D(pₛ(z|x) ‖ pₛ(z)) bounds the mixture divergence from above
    // (log-sum inequality), with equality when every component has the same divergence ratio (here: one component).
    [Theory]
    [MemberData(nameof(Families))]
    public void TheMixtureBoundIsAnUpperBoundOnTheExactMixtureDivergence(string name)
    {
        var f = LatentFamilies.Get(name);
        double[] alpha = [0.3, 0.7];
        (double Mu, double Sigma)[] post = [(1.2, 0.5), (-0.8, 0.9)];
        // Component priors: the family's prior shifted to ±1.5 (the bound holds for any component priors).
        double[] shift = [1.5, -1.5];
        double Post(double z) => alpha[0] * Math.Exp(f.LogPosterior(z, post[0].Mu, post[0].Sigma)) + alpha[1] * Math.Exp(f.LogPosterior(z, post[1].Mu, post[1].Sigma));
        double Prior(double z) => alpha[0] * Math.Exp(f.LogPrior(z - shift[0])) + alpha[1] * Math.Exp(f.LogPrior(z - shift[1]));
        double[] kinks = [1.2, -0.8, 1.5, -1.5];
        double exact = Integrate(z => Post(z) is var p && p > 0 ? p * Math.Log(p / Prior(z)) : 0, -40, 40, kinks);
        double[] each = new[] { 0, 1 }.Select(s => f.GenerativeError(post[s].Mu - shift[s], post[s].Sigma)).ToArray();

        using var scope = TensorScope.Begin();
        var bound = LatentFamilies.MixtureGenerativeErrorBound(
            Tensor.FromArray(alpha.Select(a => (float)a).ToArray(), [1, 2]), Tensor.FromArray(each.Select(e => (float)e).ToArray(), [1, 2])).Item();
        Assert.Equal(alpha[0] * each[0] + alpha[1] * each[1], bound, 4);
        Assert.True(bound >= exact - 1e-6, $"bound {bound} < exact {exact}");
        Assert.True(bound - exact > 0.01, "the example should show a gap");
        // One component: the bound is exact.
        var one = LatentFamilies.MixtureGenerativeErrorBound(Tensor.FromArray([1f], [1, 1]), Tensor.FromArray([(float)each[0]], [1, 1])).Item();
        Assert.Equal(f.GenerativeError(post[0].Mu - shift[0], post[0].Sigma), one, 4);
        Assert.Throws<ShapeException>(() => LatentFamilies.MixtureGenerativeErrorBound(Tensor.Ones([1, 2]), Tensor.Ones([2, 1])));
    }
}
