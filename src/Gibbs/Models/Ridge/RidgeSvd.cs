// Ridge regression on one thin SVD (issue 14, item 1; seed 003 "When regularization fails"). With X = U S Vᵀ
// (U n×m, S = diag(s₁ ≥ … ≥ s_m), V p×m, m = min(n, p)) the minimiser of ‖y − Xw‖² + λ‖w‖² (scikit-learn's `alpha`
// convention; the blog's (XᵀX − λI)⁻¹ is a typo for (XᵀX + λI)⁻¹) is
//   w_λ = V diag(φᵢ) Uᵀy,   φᵢ = sᵢ/(sᵢ² + λ),
// which needs neither a matrix inverse nor a division by λ: at λ = 0 it is V S⁺ Uᵀy, the minimum-norm least-squares
// solution. Singular values sᵢ ≤ tol = max(n, p)·ε·s₁ count as zero (φᵢ = 0), the rank rule of numpy's pinv/lstsq
// (rcond = None) and of MATLAB's rank. Truncated SVD (keep k components, φᵢ = 1/sᵢ for i ≤ k) is the other filter.
// The thin SVD is taken on the triangular factor of a thin QR (of X when n ≥ p, of Xᵀ when n < p), so the cost is
// O(n p m) and U is never n×n. References: Hoerl & Kennard (1970); Hansen, "Rank-Deficient and Discrete Ill-Posed
// Problems" (SIAM 1998) §4 (filter factors fᵢ = sᵢ²/(sᵢ² + λ)); Golub & Van Loan, "Matrix Computations" §5.5.
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Gibbs.Models.Ridge;

/// <summary>
/// Ridge regression and truncated SVD from one thin SVD X_c = U S Vᵀ of the (optionally centred) design:
/// w_λ = V diag(sᵢ/(sᵢ² + λ)) Uᵀy_c for any λ ≥ 0, the intercept b = ȳ − x̄ᵀw (not penalised), several targets at once.
/// Model selection (LOO, GCV, L-curve, Picard) and the exact bias–variance decomposition are in the other parts.
/// </summary>
public sealed partial class RidgeSvd
{
    private readonly Matrix<double> _u;    // n × m, left singular vectors
    private readonly Matrix<double> _v;    // p × m, right singular vectors
    private readonly Matrix<double> _uty;  // m × t, Uᵀ y_c
    private readonly Matrix<double> _yc;   // n × t, centred targets (raw when there is no intercept)
    private readonly double[] _s;          // m singular values, descending

    /// <summary>Observations n (rows of X).</summary>
    public int Rows { get; }
    /// <summary>Features p (columns of X).</summary>
    public int Features { get; }
    /// <summary>Targets t (columns of y).</summary>
    public int Targets { get; }
    /// <summary>Whether X and y were centred and an unpenalised intercept is fitted.</summary>
    public bool FitIntercept { get; }
    /// <summary>All m = min(n, p) singular values of the (centred) design, descending, including those below <see cref="Tolerance"/>.</summary>
    public IReadOnlyList<double> SingularValues => _s;
    /// <summary>tol = max(n, p)·ε·s₁ (ε = 2⁻⁵²): singular values ≤ tol are treated as zero.</summary>
    public double Tolerance { get; }
    /// <summary>The numerical rank: the number of singular values above <see cref="Tolerance"/>.</summary>
    public int Rank { get; }
    /// <summary>Column means of X (zeros without an intercept).</summary>
    public double[] XMean { get; }
    /// <summary>Column means of y (zeros without an intercept).</summary>
    public double[] YMean { get; }

    /// <summary>Decomposes X once for one target y [n].</summary>
    public static RidgeSvd Fit(double[,] x, double[] y, bool intercept = false)
    {
        ArgumentNullException.ThrowIfNull(y);
        var col = new double[y.Length, 1];
        for (int i = 0; i < y.Length; i++) col[i, 0] = y[i];
        return Fit(x, col, intercept);
    }

    /// <summary>Decomposes X [n×p] once for targets Y [n×t] (each column its own regression).</summary>
    /// <exception cref="GibbsException">Empty X or Y, different numbers of rows, NaN or infinity.</exception>
    public static RidgeSvd Fit(double[,] x, double[,] y, bool intercept = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int n = x.GetLength(0), p = x.GetLength(1), t = y.GetLength(1);
        if (n == 0 || p == 0) throw new GibbsException($"ridge: X is empty ({n} × {p})");
        if (y.GetLength(0) == 0 || t == 0) throw new GibbsException($"ridge: y is empty ({y.GetLength(0)} × {t})");
        if (y.GetLength(0) != n) throw new GibbsException($"ridge: X has {n} rows but y has {y.GetLength(0)}");
        CheckFinite(x, "X");
        CheckFinite(y, "y");
        return new RidgeSvd(x, y, intercept);
    }

    private static void CheckFinite(double[,] a, string name)
    {
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++)
                if (!double.IsFinite(a[i, j])) throw new GibbsException($"ridge: {name} has {a[i, j].ToString(CultureInfo.InvariantCulture)} at row {i}, column {j}");
    }

    private RidgeSvd(double[,] x, double[,] y, bool intercept)
    {
        int n = x.GetLength(0), p = x.GetLength(1), t = y.GetLength(1), m = Math.Min(n, p);
        (Rows, Features, Targets, FitIntercept) = (n, p, t, intercept);
        XMean = new double[p];
        YMean = new double[t];
        if (intercept)
        {
            for (int i = 0; i < n; i++) { for (int j = 0; j < p; j++) XMean[j] += x[i, j]; for (int k = 0; k < t; k++) YMean[k] += y[i, k]; }
            for (int j = 0; j < p; j++) XMean[j] /= n;
            for (int k = 0; k < t; k++) YMean[k] /= n;
        }
        var xc = Matrix<double>.Build.Dense(n, p, (i, j) => x[i, j] - XMean[j]);
        _yc = Matrix<double>.Build.Dense(n, t, (i, k) => y[i, k] - YMean[k]);
        if (n >= p)
        {   // X = Q R, R = Ur S Vᵀ  ⇒  U = Q Ur.
            var qr = xc.QR(QRMethod.Thin);
            var svd = qr.R.Svd(computeVectors: true);
            _u = qr.Q * svd.U;
            _v = svd.VT.Transpose();
            _s = svd.S.ToArray();
        }
        else
        {   // Xᵀ = Q R  ⇒  X = Rᵀ Qᵀ, Rᵀ = Ur S Vrᵀ  ⇒  U = Ur, V = Q Vr.
            var qr = xc.Transpose().QR(QRMethod.Thin);
            var svd = qr.R.Transpose().Svd(computeVectors: true);
            _u = svd.U;
            _v = qr.Q * svd.VT.Transpose();
            _s = svd.S.ToArray();
        }
        if (_s.Length != m) throw new InvalidOperationException($"SVD returned {_s.Length} singular values, expected {m}");
        Tolerance = Math.Max(n, p) * Math.Pow(2, -52) * _s[0];
        Rank = _s.Count(s => s > Tolerance);
        _uty = _u.TransposeThisAndMultiply(_yc);
    }

    /// <summary>The ridge solution for λ = <paramref name="alpha"/> ≥ 0 (λ = 0: minimum-norm least squares).</summary>
    public RidgeSolution Solve(double alpha) => FromPhi(Phi(alpha), alpha, null);

    /// <summary>The solutions for many λ from the one decomposition (O(p·m·t) each).</summary>
    public IReadOnlyList<RidgeSolution> Path(IEnumerable<double> alphas) => alphas.Select(Solve).ToList();

    /// <summary>Truncated SVD: w = Σ_{i ≤ k} vᵢ (uᵢᵀy)/sᵢ over the k largest singular values (those ≤ tol are dropped
    /// even when i ≤ k, so k ≥ <see cref="Rank"/> is the minimum-norm least-squares solution).</summary>
    public RidgeSolution Truncated(int k)
    {
        if (k < 0 || k > _s.Length) throw new GibbsException($"ridge: truncated SVD keeps 0 to {_s.Length} components, not {k}");
        var phi = new double[_s.Length];
        for (int i = 0; i < k; i++) phi[i] = _s[i] > Tolerance ? 1 / _s[i] : 0;
        return FromPhi(phi, 0, k);
    }

    /// <summary>Filter factors fᵢ = sᵢ²/(sᵢ² + λ) (0 for sᵢ ≤ tol): the fraction of component i kept.</summary>
    public double[] FilterFactors(double alpha)
    {
        var phi = Phi(alpha);
        return phi.Select((f, i) => f * _s[i]).ToArray();
    }

    /// <summary>φᵢ = sᵢ/(sᵢ² + λ), 0 for sᵢ ≤ tol; finite for λ = 0 since sᵢ > tol > 0.</summary>
    internal double[] Phi(double alpha)
    {
        CheckAlpha(alpha);
        var phi = new double[_s.Length];
        for (int i = 0; i < phi.Length; i++) phi[i] = _s[i] > Tolerance ? _s[i] / (_s[i] * _s[i] + alpha) : 0;
        return phi;
    }

    /// <summary>Throws a one-line GibbsException unless alpha is finite and ≥ 0.</summary>
    public static void CheckAlpha(double alpha)
    {
        if (!(alpha >= 0) || double.IsPositiveInfinity(alpha)) throw new GibbsException($"ridge: alpha must be finite and ≥ 0, not {alpha.ToString(CultureInfo.InvariantCulture)}");
    }

    private RidgeSolution FromPhi(double[] phi, double alpha, int? components)
    {
        int p = Features, t = Targets, m = _s.Length;
        var w = new double[p, t];
        for (int k = 0; k < t; k++)
            for (int i = 0; i < m; i++)
            {
                double c = phi[i] * _uty[i, k];
                if (c == 0) continue;
                for (int j = 0; j < p; j++) w[j, k] += _v[j, i] * c;
            }
        var b = new double[t];
        if (FitIntercept)
            for (int k = 0; k < t; k++)
            {
                double dot = 0;
                for (int j = 0; j < p; j++) dot += XMean[j] * w[j, k];
                b[k] = YMean[k] - dot;
            }
        return new RidgeSolution(alpha, components, w, b);
    }
}

/// <summary>One regularised solution: coefficients W [p×t] and intercepts b [t] (zeros without an intercept).</summary>
/// <param name="Alpha">λ (0 for a truncated SVD).</param>
/// <param name="Components">k for a truncated SVD, null for ridge.</param>
public sealed record RidgeSolution(double Alpha, int? Components, double[,] Coefficients, double[] Intercepts)
{
    /// <summary>The coefficient vector of one target.</summary>
    public double[] Coefficient(int target = 0) =>
        Enumerable.Range(0, Coefficients.GetLength(0)).Select(j => Coefficients[j, target]).ToArray();

    /// <summary>Predictions X W + 1 bᵀ [n×t].</summary>
    public double[,] Predict(double[,] x)
    {
        int n = x.GetLength(0), p = Coefficients.GetLength(0), t = Coefficients.GetLength(1);
        if (x.GetLength(1) != p) throw new GibbsException($"ridge: X has {x.GetLength(1)} columns but the model has {p} features");
        var yhat = new double[n, t];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < t; k++)
            {
                double s = Intercepts[k];
                for (int j = 0; j < p; j++) s += x[i, j] * Coefficients[j, k];
                yhat[i, k] = s;
            }
        return yhat;
    }
}
