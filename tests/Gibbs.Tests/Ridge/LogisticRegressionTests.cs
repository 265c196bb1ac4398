// L2-regularised logistic regression on the engine (issue 14, item 5c): coefficients and intercept against an
// independent float64 Newton (IRLS) solve written here, the float64 gradient of F at the returned solution, 0/1 labels,
// separable data without a penalty (the norm grows, no convergence), one-line errors, and bit-identical refits.
using Gibbs.Models.Ridge;
using MathNet.Numerics.LinearAlgebra;

namespace Gibbs.Tests.Ridge;

public class LogisticRegressionTests
{
    /// <summary>n × p standard normal X (column 0 shifted by +1, so an intercept matters) and labels drawn from the
    /// logistic model with w* ∈ [−1, 1]ᵖ, b* = 0.5: well posed, not separable.</summary>
    internal static (double[,] X, double[] Y) Logistic(int n, int p, int seed)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var w = Enumerable.Range(0, p).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        var x = new double[n, p];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z = 0.5;
            for (int j = 0; j < p; j++) { x[i, j] = Normal() + (j == 0 ? 1 : 0); z += x[i, j] * w[j]; }
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : -1;
        }
        return (x, y);
    }

    /// <summary>Newton's method on F in float64 with θ = (w, b): H = ZᵀDZ + diag(α, …, α, 0), D = σ(m)(1 − σ(m)).
    /// F is strictly convex for α &gt; 0, so from θ = 0 it converges quadratically; 30 steps are far more than needed.</summary>
    private static (double[] W, double B) Newton(double[,] x, double[] y, double alpha, bool intercept)
    {
        int n = x.GetLength(0), p = x.GetLength(1), q = p + (intercept ? 1 : 0);
        var z = Matrix<double>.Build.Dense(n, q, (i, j) => j < p ? x[i, j] : 1);
        var theta = Vector<double>.Build.Dense(q);
        for (int step = 0; step < 30; step++)
        {
            var m = z * theta;
            var r = Vector<double>.Build.Dense(n, i => -y[i] / (1 + Math.Exp(y[i] * m[i])));      // ∂/∂mᵢ log(1 + e^{−yᵢmᵢ})
            var d = Vector<double>.Build.Dense(n, i => { double s = 1 / (1 + Math.Exp(-m[i])); return s * (1 - s); });
            var g = z.TransposeThisAndMultiply(r);
            var h = z.TransposeThisAndMultiply(z.MapIndexed((i, _, v) => v * d[i]));
            for (int j = 0; j < p; j++) { g[j] += alpha * theta[j]; h[j, j] += alpha; }
            theta -= h.Cholesky().Solve(g);
        }
        return (theta.SubVector(0, p).ToArray(), intercept ? theta[p] : 0);
    }

    /// <summary>F and ∇F (w first, then b when there is an intercept) in float64.</summary>
    private static (double F, double[] G) Objective(double[,] x, double[] y, double alpha, double[] w, double b, bool intercept)
    {
        int n = x.GetLength(0), p = x.GetLength(1);
        var g = new double[p + (intercept ? 1 : 0)];
        double f = 0;
        for (int j = 0; j < p; j++) { f += 0.5 * alpha * w[j] * w[j]; g[j] = alpha * w[j]; }
        for (int i = 0; i < n; i++)
        {
            double m = b;
            for (int j = 0; j < p; j++) m += x[i, j] * w[j];
            double u = -y[i] * m;
            f += Math.Max(u, 0) + Math.Log(1 + Math.Exp(-Math.Abs(u)));
            double r = -y[i] / (1 + Math.Exp(-u));                                                    // −yᵢ σ(u)
            for (int j = 0; j < p; j++) g[j] += r * x[i, j];
            if (intercept) g[p] += r;
        }
        return (f, g);
    }

    private static readonly LogisticOptions Tight = new() { Tolerance = 1e-7 };

    [Theory]
    [InlineData(true, 0.1)]
    [InlineData(true, 1.0)]
    [InlineData(true, 10.0)]
    [InlineData(false, 0.1)]
    [InlineData(false, 1.0)]
    [InlineData(false, 10.0)]
    public void CoefficientsMatchFloat64Newton(bool intercept, double alpha)
    {
        var (x, y) = Logistic(200, 10, seed: 5);
        var s = LogisticRegression.Fit(x, y, alpha, intercept, Tight);
        var (w, b) = Newton(x, y, alpha, intercept);
        Assert.True(s.Converged, s.ToString());
        Assert.Equal(alpha, s.Alpha);
        Assert.Equal(intercept, s.FitIntercept);
        // float32 holds X and θ to ε₃₂ = 6·10⁻⁸ relative; the Hessian's condition number here is ≲ 10, so θ is good to
        // ~10⁻⁶ at best (we see 2–4·10⁻⁷): 10⁻⁵ relative is what float32 allows, with a factor 10 to spare.
        double num = (b - s.Intercept) * (b - s.Intercept), den = b * b;
        for (int j = 0; j < w.Length; j++) { num += (w[j] - s.Coefficients[j]) * (w[j] - s.Coefficients[j]); den += w[j] * w[j]; }
        Assert.True(Math.Sqrt(num / den) < 1e-5, $"relative error {Math.Sqrt(num / den):E2}; b = {s.Intercept} vs {b}");
        if (intercept) Assert.True(Math.Abs(s.Intercept - b) < 1e-5 * Math.Max(1, Math.Abs(b)), $"b = {s.Intercept} vs {b}");
        else Assert.Equal(0, s.Intercept);
        // The reported loss is F at the solution (float32 terms summed in double: ~10⁻⁷ relative).
        var (fStar, _) = Objective(x, y, alpha, w, b, intercept);
        Assert.True(Math.Abs(s.Loss - fStar) < 1e-5 * fStar, $"loss {s.Loss} vs {fStar}");
        Assert.Equal(Math.Sqrt(s.Coefficients.Sum(v => v * v)), s.Norm, 12);
    }

    [Theory]
    [InlineData(true, 1.0)]
    [InlineData(false, 0.1)]
    public void GradientVanishesAtTheSolutionInFloat64(bool intercept, double alpha)
    {
        var (x, y) = Logistic(200, 10, seed: 6);
        var s = LogisticRegression.Fit(x, y, alpha, intercept, Tight);
        var (f, g) = Objective(x, y, alpha, s.Coefficients, s.Intercept, intercept);
        // F ≈ 100 and its gradient at w* + O(ε₃₂|w*|) is O(n · ε₃₂) ≈ 10⁻⁵ (we see 1–6·10⁻⁶); at w = 0 it is O(n) = 100.
        double gmax = g.Max(Math.Abs);
        Assert.True(gmax < 1e-4, $"‖∇F‖∞ = {gmax:E2} (F = {f})");
        if (intercept) Assert.True(Math.Abs(g[^1]) < 1e-4, $"∂F/∂b = {g[^1]:E2}");
        // The engine's own ‖∇F‖∞ met the rule ‖∇F‖∞ ≤ tol · F.
        Assert.True(s.GradientNorm <= Tight.Tolerance * s.Loss * (1 + 1e-9), s.ToString());
        Assert.True(Math.Abs(s.GradientNorm - gmax) < 1e-4, $"{s.GradientNorm:E2} vs {gmax:E2}");
    }

    [Fact]
    public void ZeroOneLabelsAreMinusOneOne()
    {
        var (x, y) = Logistic(200, 10, seed: 7);
        var y01 = y.Select(v => v > 0 ? 1.0 : 0.0).ToArray();
        var a = LogisticRegression.Fit(x, y, 1.0);
        var b = LogisticRegression.Fit(x, y01, 1.0);
        Assert.Equal(a.Coefficients, b.Coefficients);
        Assert.Equal(a.Intercept, b.Intercept);
        // Predictions are ±1, Error reads either coding, and Decision is Xw + b.
        var yhat = a.Predict(x);
        Assert.All(yhat, v => Assert.True(v is 1 or -1));
        double error = yhat.Where((v, i) => v != y[i]).Count() / 200.0;
        Assert.Equal(error, a.Error(x, y));
        Assert.Equal(error, a.Error(x, y01));
        Assert.InRange(error, 0.05, 0.4);   // a noisy logistic model: neither perfect nor chance
        var d = a.Decision(x);
        Assert.Equal(a.Intercept + Enumerable.Range(0, 10).Sum(j => x[3, j] * a.Coefficients[j]), d[3], 12);
        Assert.Equal(d[3] > 0 ? 1 : -1, yhat[3]);
    }

    /// <summary>Two clusters in the plane separated by the line x₀ + x₁ = 0 with margin ≥ 0.25.</summary>
    private static (double[,] X, double[] Y) Separable(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n, 2];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2 == 0 ? 1 : -1;
            double along = 4 * rng.NextDouble() - 2, across = 0.25 + rng.NextDouble();
            x[i, 0] = (along + y[i] * across) / Math.Sqrt(2);
            x[i, 1] = (-along + y[i] * across) / Math.Sqrt(2);
        }
        return (x, y);
    }

    [Fact]
    public void SeparableDataWithoutPenaltyDoNotConverge()
    {
        var (x, y) = Separable(100, seed: 8);
        var at50 = LogisticRegression.Fit(x, y, 0, options: new LogisticOptions { MaxIterations = 50 });
        var at200 = LogisticRegression.Fit(x, y, 0, options: new LogisticOptions { MaxIterations = 200 });
        // No minimiser: F → 0 only as ‖w‖ → ∞ and ‖∇F‖/F tends to the margin, so the relative gradient test never
        // passes. L-BFGS grows ‖w‖ about linearly and F decays geometrically, until every float32 term underflows to 0
        // (here after ~140 iterations): then the gradient is exactly 0 and the fit stops there, still not converged.
        Assert.Equal((50, Gibbs.Optim.LbfgsStop.MaxIterations), (at50.Iterations, at50.Stop));
        Assert.True(at200.Iterations > 100, at200.ToString());
        Assert.Contains(at200.Stop, new[] { Gibbs.Optim.LbfgsStop.MaxIterations, Gibbs.Optim.LbfgsStop.LineSearchFailed });
        foreach (var s in new[] { at50, at200 })
        {
            Assert.False(s.Converged, s.ToString());
            Assert.Equal(0, s.Error(x, y));
        }
        Assert.True(at200.Norm > 1.5 * at50.Norm, $"‖w‖ = {at50.Norm} after 50, {at200.Norm} after 200");
        Assert.True(at200.Loss < at50.Loss);
        // The direction tends to the max-margin one, (1, 1)/√2.
        Assert.True(Math.Abs(at200.Coefficients[0] - at200.Coefficients[1]) < 0.1 * at200.Norm, string.Join(", ", at200.Coefficients));
        // A penalty restores a minimiser.
        var ridge = LogisticRegression.Fit(x, y, 1.0);
        Assert.True(ridge.Converged, ridge.ToString());
        Assert.True(ridge.Norm < at50.Norm);
    }

    [Fact]
    public void RefitsAreBitIdentical()
    {
        var (x, y) = Logistic(300, 12, seed: 9);
        var a = LogisticRegression.Fit(x, y, 0.5);
        var b = LogisticRegression.Fit(x, y, 0.5);
        Assert.Equal(a.Coefficients, b.Coefficients);
        Assert.Equal(a.Intercept, b.Intercept);
        Assert.Equal((a.Iterations, a.Evaluations, a.Loss, a.GradientNorm), (b.Iterations, b.Evaluations, b.Loss, b.GradientNorm));
    }

    private static void OneLine(Action act, string fragment)
    {
        var e = Assert.Throws<GibbsException>(act);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void BadInput()
    {
        var (x, y) = Logistic(10, 3, seed: 1);
        OneLine(() => LogisticRegression.Fit(new double[0, 3], [], 1), "logistic: X is empty (0 × 3)");
        OneLine(() => LogisticRegression.Fit(new double[5, 0], new double[5], 1), "logistic: X is empty (5 × 0)");
        OneLine(() => LogisticRegression.Fit(x, y[..9], 1), "logistic: X has 10 rows but y has 9");
        var bad = (double[,])x.Clone();
        bad[4, 2] = double.NaN;
        OneLine(() => LogisticRegression.Fit(bad, y, 1), "logistic: X has NaN at row 4, column 2");
        bad[4, 2] = double.NegativeInfinity;
        OneLine(() => LogisticRegression.Fit(bad, y, 1), "logistic: X has -Infinity at row 4, column 2");
        OneLine(() => LogisticRegression.Fit(x, y, -1), "logistic: alpha must be finite and ≥ 0, not -1");
        OneLine(() => LogisticRegression.Fit(x, y, double.NaN), "alpha must be finite and ≥ 0, not NaN");
        OneLine(() => LogisticRegression.Fit(x, y, double.PositiveInfinity), "alpha must be finite and ≥ 0, not Infinity");
        var two = (double[])y.Clone();
        two[6] = 2;
        OneLine(() => LogisticRegression.Fit(x, two, 1), "logistic: y has 2 at row 6; labels must be ±1 or 0/1");
        two[6] = double.NaN;
        OneLine(() => LogisticRegression.Fit(x, two, 1), "y has NaN at row 6");
        var mixed = y.Select(v => v).ToArray();
        mixed[Array.IndexOf(mixed, 1.0)] = 0;
        OneLine(() => LogisticRegression.Fit(x, mixed, 1), "y mixes −1 and 0 labels");
        var fit = LogisticRegression.Fit(x, y, 1);
        OneLine(() => fit.Predict(new double[2, 4]), "logistic: X has 4 columns but the model has 3 features");
        OneLine(() => fit.Error(x, y[..5]), "logistic: X has 10 rows but y has 5");
    }
}

/// <summary>Fits are bit-identical with 1, 2 and 3 engine threads (GEMM partitions and reductions depend on shapes only).</summary>
[Collection("serial")]
public class LogisticRegressionThreadTests
{
    [Fact]
    public void SameBitsForAnyThreadCount()
    {
        var (x, y) = LogisticRegressionTests.Logistic(400, 30, seed: 10);
        int saved = Engine.Threads;
        try
        {
            var fits = new[] { 1, 2, 3 }.Select(t => { Engine.Threads = t; return LogisticRegression.Fit(x, y, 0.3); }).ToArray();
            Assert.Equal(fits[0].Coefficients, fits[1].Coefficients);
            Assert.Equal(fits[0].Coefficients, fits[2].Coefficients);
            Assert.Equal(fits[0].Intercept, fits[2].Intercept);
            Assert.Equal(fits[0].Iterations, fits[2].Iterations);
        }
        finally { Engine.Threads = saved; }
    }
}
