// The simplest baselines every density model must beat, exact in closed form: independent Bernoulli pixels
// (per-feature rate with Laplace smoothing, (count + 1)/(N + 2)) for binary data, and a diagonal Gaussian
// (per-feature mean and variance, variance floored) for real-valued data. Mean test log-likelihood in nats.
namespace Gibbs.Models.Baselines;

public static class IndependentModels
{
    /// <summary>Mean log-likelihood per row of binary <paramref name="test"/> under independent Bernoulli pixels fitted to binary <paramref name="train"/> (both [rows × features], row-major).</summary>
    public static double BernoulliLogLikelihood(float[] train, float[] test, int features)
    {
        Check(train, test, features);
        int n = train.Length / features;
        var logP1 = new double[features];
        var logP0 = new double[features];
        var counts = new double[features];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < features; i++) counts[i] += train[r * features + i];
        for (int i = 0; i < features; i++)
        {
            double p = (counts[i] + 1) / (n + 2);
            logP1[i] = Math.Log(p);
            logP0[i] = Math.Log(1 - p);
        }
        double total = 0;
        int m = test.Length / features;
        for (int r = 0; r < m; r++)
            for (int i = 0; i < features; i++)
            {
                float x = test[r * features + i];
                if (x != 0f && x != 1f) throw new GibbsException($"the independent-Bernoulli baseline needs binary data; test value {x} at row {r}, column {i}");
                total += x == 1f ? logP1[i] : logP0[i];
            }
        return total / m;
    }

    /// <summary>Mean log-density per row of <paramref name="test"/> under independent Gaussians fitted to <paramref name="train"/>; variances are floored at <paramref name="minVariance"/>.</summary>
    public static double GaussianLogLikelihood(float[] train, float[] test, int features, double minVariance = 1e-4)
    {
        Check(train, test, features);
        int n = train.Length / features;
        var mean = new double[features];
        var variance = new double[features];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < features; i++) mean[i] += train[r * features + i];
        for (int i = 0; i < features; i++) mean[i] /= n;
        for (int r = 0; r < n; r++)
            for (int i = 0; i < features; i++) { double d = train[r * features + i] - mean[i]; variance[i] += d * d; }
        for (int i = 0; i < features; i++) variance[i] = Math.Max(minVariance, variance[i] / n);
        double total = 0;
        int m = test.Length / features;
        for (int r = 0; r < m; r++)
            for (int i = 0; i < features; i++)
            {
                double d = test[r * features + i] - mean[i];
                total += -0.5 * (Math.Log(2 * Math.PI * variance[i]) + d * d / variance[i]);
            }
        return total / m;
    }

    private static void Check(float[] train, float[] test, int features)
    {
        if (features < 1 || train.Length == 0 || train.Length % features != 0 || test.Length == 0 || test.Length % features != 0)
            throw new GibbsException($"baseline data must be non-empty whole rows of {features} features (train {train.Length} values, test {test.Length})");
    }
}
