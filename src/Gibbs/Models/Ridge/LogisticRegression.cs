// L2-regularised logistic regression on the engine (issue 14, item 5c; seed 003 "When regularization fails": the
// classification side of ridge). With labels yᵢ ∈ {−1, +1} it minimises
//   F(w, b) = Σᵢ log(1 + exp(−yᵢ(xᵢᵀw + b))) + (α/2)‖w‖²,
// scikit-learn's LogisticRegression(penalty="l2", C = 1/α) objective (C·Σ loss + ½‖w‖², divided by C); the intercept
// is not penalised (scikit-learn's liblinear solver does penalise it; lbfgs, newton-cg and saga do not). The loss is
// built from float32 tensors — X [n×p] uploaded once per fit, softplus(−y ⊙ (Xw + b)) summed in double by the engine —
// and differentiated by the tape; L-BFGS (Optim/Lbfgs.cs) minimises F/n, so its tolerances do not grow with n.
// α = 0 is allowed: on separable data F has no minimiser and ‖w‖ grows until the iteration cap (Converged = false).
// Not here: multinomial classes, sample weights, L1. Reference: Hastie, Tibshirani & Friedman, "The Elements of
// Statistical Learning" (2nd ed., 2009) §4.4 (the loss, Newton/IRLS) and §4.4.4 (L2-penalised logistic regression).
using System.Globalization;
using Gibbs.Backends;
using Gibbs.Optim;

namespace Gibbs.Models.Ridge;

/// <summary>Settings of <see cref="LogisticRegression.Fit"/>.</summary>
public sealed record LogisticOptions
{
    /// <summary>L-BFGS iterations at most.</summary>
    public int MaxIterations { get; init; } = 1000;
    /// <summary>Stop when ‖∇F‖∞ ≤ Tolerance · F, the gradient relative to the objective (so separable data at α = 0, where
    /// both go to 0 but their ratio tends to the margin, never counts as converged). scikit-learn 1.2's lbfgs stops at an
    /// absolute ‖∇F‖∞ ≤ tol = 10⁻⁴ instead, or earlier on scipy's relative-decrease test; docs/benchmarks.md compares the two.</summary>
    public double Tolerance { get; init; } = 1e-5;
    /// <summary>L-BFGS history m.</summary>
    public int History { get; init; } = 10;
    /// <summary>Where the tensors live (null: <see cref="Engine.DefaultDevice"/>).</summary>
    public Device? Device { get; init; }
}

/// <summary>Binary L2-regularised logistic regression fitted by L-BFGS on the engine's float32 tensors.</summary>
public static class LogisticRegression
{
    /// <summary>
    /// Fits w [p] and b to X [n×p] and labels y [n] (±1, or 0/1 with 0 read as −1) by minimising
    /// Σᵢ log(1 + exp(−yᵢ(xᵢᵀw + b))) + (α/2)‖w‖² (scikit-learn's C = 1/α), from w = 0, b = 0.
    /// </summary>
    /// <exception cref="GibbsException">Empty X, different numbers of rows, NaN or infinity, labels other than ±1 or 0/1, α &lt; 0.</exception>
    public static LogisticSolution Fit(double[,] x, double[] y, double alpha, bool intercept = true, LogisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int n = x.GetLength(0), p = x.GetLength(1);
        if (n == 0 || p == 0) throw new GibbsException($"logistic: X is empty ({n} × {p})");
        if (y.Length != n) throw new GibbsException($"logistic: X has {n} rows but y has {y.Length}");
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
                if (!double.IsFinite(x[i, j])) throw new GibbsException($"logistic: X has {S(x[i, j])} at row {i}, column {j}");
        if (!(alpha >= 0) || double.IsPositiveInfinity(alpha)) throw new GibbsException($"logistic: alpha must be finite and ≥ 0, not {S(alpha)}");
        var labels = Labels(y);
        var o = options ?? new LogisticOptions();
        if (!(o.Tolerance >= 0) || !double.IsFinite(o.Tolerance)) throw new GibbsException($"logistic: Tolerance must be finite and ≥ 0, not {S(o.Tolerance)}");
        var lbfgsOptions = new LbfgsOptions { MaxIterations = o.MaxIterations, GradientTolerance = o.Tolerance, RelativeGradient = true, History = o.History };

        var flat = new float[n * p];
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) flat[i * p + j] = (float)x[i, j];
        var negY = new float[n];
        for (int i = 0; i < n; i++) negY[i] = -(float)labels[i];
        var device = o.Device ?? Engine.DefaultDevice;

        using var scope = TensorScope.Begin();
        var X = Tensor.FromArray(flat, [n, p], device);          // [n×p], uploaded once
        var minusY = Tensor.FromArray(negY, [n, 1], device);     // [n×1], −yᵢ
        var w = Tensor.Zeros([p, 1], device).RequireGrad();      // [p×1]
        var b = intercept ? Tensor.Zeros([1], device).RequireGrad() : null;
        float invN = 1f / n, penalty = (float)(alpha / (2.0 * n));

        // F/n = mean softplus(−y ⊙ (Xw + b)) + (α/2n)‖w‖²; softplus(u) = max(u, 0) + log1p(e^{−|u|}) never overflows.
        Tensor MeanObjective()
        {
            var z = Tensor.MatMul(X, w);                          // [n×1]
            if (b is not null) z = z + b;
            var data = (z * minusY).Softplus().Sum() * invN;
            return data + w.Square().Sum() * penalty;
        }

        var lbfgs = new Lbfgs(b is null ? [w] : [w, b], lbfgsOptions);
        var r = lbfgs.Minimize(MeanObjective);
        var coef = w.ToArray().Select(v => (double)v).ToArray();
        double bias = b is null ? 0 : b.Item();
        return new LogisticSolution(coef, bias, alpha, intercept, r.Iterations, r.Evaluations, r.Converged, r.Loss * n, r.GradientNorm * n, r.Stop);
    }

    /// <summary>Labels as ±1: all in {−1, +1}, or all in {0, 1} (0 → −1).</summary>
    internal static double[] Labels(double[] y)
    {
        bool zero = false, minus = false;
        for (int i = 0; i < y.Length; i++)
        {
            double v = y[i];
            if (v == 0) zero = true;
            else if (v == -1) minus = true;
            else if (v != 1) throw new GibbsException($"logistic: y has {S(v)} at row {i}; labels must be ±1 or 0/1");
            if (zero && minus) throw new GibbsException($"logistic: y mixes −1 and 0 labels (row {i}); use ±1 or 0/1");
        }
        return y.Select(v => v == 1 ? 1.0 : -1.0).ToArray();
    }

    private static string S(double v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One fitted logistic regression: coefficients w [p], intercept b (0 without one) and how L-BFGS ended.</summary>
/// <param name="Loss">F(w, b) = Σᵢ log(1 + exp(−yᵢ(xᵢᵀw + b))) + (α/2)‖w‖² as the engine computed it (float32 terms, double sum).</param>
/// <param name="GradientNorm">‖∇F‖∞ at the solution (over w and b), from the engine.</param>
/// <param name="Converged">‖∇F‖∞ ≤ Tolerance · F was reached (false at the iteration cap, e.g. separable data with α = 0).</param>
public sealed record LogisticSolution(double[] Coefficients, double Intercept, double Alpha, bool FitIntercept, int Iterations,
                                      int Evaluations, bool Converged, double Loss, double GradientNorm, LbfgsStop Stop)
{
    /// <summary>‖w‖₂ (the intercept excluded).</summary>
    public double Norm => Math.Sqrt(Coefficients.Sum(v => v * v));

    /// <summary>Decision values Xw + b [n] for X [n×p] (in float64).</summary>
    public double[] Decision(double[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.GetLength(0), p = Coefficients.Length;
        if (x.GetLength(1) != p) throw new GibbsException($"logistic: X has {x.GetLength(1)} columns but the model has {p} features");
        var d = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = Intercept;
            for (int j = 0; j < p; j++) s += x[i, j] * Coefficients[j];
            d[i] = s;
        }
        return d;
    }

    /// <summary>Predicted labels ±1 [n]: +1 where xᵀw + b &gt; 0 (scikit-learn's tie goes to the first class, −1).</summary>
    public double[] Predict(double[,] x) => Decision(x).Select(v => v > 0 ? 1.0 : -1.0).ToArray();

    /// <summary>The misclassification rate on X [n×p], y [n] (±1 or 0/1).</summary>
    public double Error(double[,] x, double[] y)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.Length != x.GetLength(0)) throw new GibbsException($"logistic: X has {x.GetLength(0)} rows but y has {y.Length}");
        if (y.Length == 0) throw new GibbsException("logistic: X is empty (0 rows)");
        var labels = LogisticRegression.Labels(y);
        var yhat = Predict(x);
        return (double)labels.Where((v, i) => v != yhat[i]).Count() / labels.Length;
    }
}
