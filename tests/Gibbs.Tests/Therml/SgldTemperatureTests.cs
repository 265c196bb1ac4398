// σ as a temperature (001_ada2633fde8fc741.txt §3.1, eq. 24): SGLD on a potential U at temperature T samples
// ∝ exp(−U/T). Checked on many independent chains at once (each tensor element is its own chain), so moments have
// honest standard errors without autocorrelation: a quadratic, against the exact stationary variance of the discrete
// update (not only its small-step limit), and a 1-D logistic model whose tempered posterior q(θ)·exp(−NLL/T) is known
// by quadrature. A wrong noise scale (√(ηT) for √(2ηT)), a missing temperature or a flipped gradient all fail.
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Tests.Therml;

public class SgldTemperatureTests
{
    private const int Chains = 10_000;

    private static (double Mean, double Var, double SeMean, double SeVar) Moments(float[] v)
    {
        double mean = v.Average(x => (double)x), var = v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
        double m4 = v.Sum(x => Math.Pow(x - mean, 4)) / v.Length;
        return (mean, var, Math.Sqrt(var / v.Length), Math.Sqrt((m4 - var * var) / v.Length));
    }

    private static float[] Run(Func<Tensor, Tensor> potential, float eta, float temperature, int steps, ulong seed)
    {
        var theta = Tensor.Zeros([Chains]).Untrack();
        theta.RequiresGrad = true;
        using var sgld = new Sgld([theta], eta, temperature, new Generator(seed));
        for (int t = 0; t < steps; t++)
        {
            using var scope = TensorScope.Begin();
            sgld.ZeroGrad();
            potential(theta).Backward();
            sgld.Step();
        }
        return theta.ToArray();
    }

    [Theory]
    [InlineData(2.0, 0.25, 0.05)]
    [InlineData(0.5, 1.0, 0.4)]
    public void AQuadraticHasTheExactStationaryVariance(double k, double temperature, double eta)
    {
        // θ ← θ − ηkθ + √(2ηT)ξ is AR(1): stationary mean 0, variance 2ηT / (1 − (1 − ηk)²) = T / (k(1 − ηk/2)).
        var samples = Run(t => t.Square().Sum() * (float)(k / 2), (float)eta, (float)temperature, 400, 7);
        var (mean, var, seMean, seVar) = Moments(samples);
        double want = temperature / (k * (1 - eta * k / 2));
        Assert.True(Math.Abs(mean) < 3 * seMean, $"mean {mean} ± {seMean}, want 0");
        Assert.True(Math.Abs(var - want) < 3 * seVar, $"variance {var} ± {seVar}, want {want}");
        // The small-step limit T/k differs by more than the error here, so the test sees the discretisation too.
        Assert.True(Math.Abs(want - temperature / k) > 3 * seVar);
    }

    [Fact]
    public void ALogisticModelSamplesItsTemperedPosterior()
    {
        // 14 successes in 20 trials, θ the logit, prior q(θ) = N(0, 2²), temperature T = 0.5:
        // U(θ) = NLL(θ) + T·θ²/(2·4), so exp(−U/T) = q(θ)·exp(−NLL(θ)/T) — eq. 24 with σ = T.
        const double n1 = 14, n0 = 6, s2 = 4, temperature = 0.5;
        double LogPost(double th) => -(-(n1 * LogSigmoid(th) + n0 * LogSigmoid(-th)) / temperature) - th * th / (2 * s2);
        double lo = -6, hi = 8, h = 1e-4, z = 0, m1 = 0, m2 = 0;
        double peak = Enumerable.Range(0, 1401).Select(i => LogPost(lo + i * 0.01)).Max();
        for (double th = lo; th <= hi; th += h)
        {
            double w = Math.Exp(LogPost(th) - peak);
            (z, m1, m2) = (z + w, m1 + w * th, m2 + w * th * th);
        }
        double mean = m1 / z, var = m2 / z - mean * mean;
        var samples = Run(t => (t.LogSigmoid() * (float)-n1 - (-t).LogSigmoid() * (float)n0).Sum() + t.Square().Sum() * (float)(temperature / (2 * s2)),
                          eta: 0.004f, temperature: (float)temperature, steps: 1500, seed: 11);
        var got = Moments(samples);
        Assert.True(Math.Abs(got.Mean - mean) < 3 * got.SeMean, $"mean {got.Mean} ± {got.SeMean}, want {mean}");
        Assert.True(Math.Abs(got.Var - var) < 3 * got.SeVar, $"variance {got.Var} ± {got.SeVar}, want {var}");
        // At T = 1 the posterior is about √2 wider in s.d.: the sampler's temperature is not ignored.
        var hotter = Moments(Run(t => (t.LogSigmoid() * (float)-n1 - (-t).LogSigmoid() * (float)n0).Sum() + t.Square().Sum() * (float)(1.0 / (2 * s2)),
                               eta: 0.004f, temperature: 1f, steps: 1500, seed: 13));
        Assert.True(hotter.Var > 1.5 * got.Var);
    }

    private static double LogSigmoid(double x) => x >= 0 ? -Math.Log(1 + Math.Exp(-x)) : x - Math.Log(1 + Math.Exp(x));
}
