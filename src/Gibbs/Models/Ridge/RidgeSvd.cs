// Ridge regression on one thin SVD (issue 14, item 1; seed 003 "When regularization fails"). With X = U S Vᵀ
// (U n×m, S = diag(s₁ ≥ … ≥ s_m), V p×m, m = min(n, p)) the minimiser of ‖y − Xw‖² + λ‖w‖² (scikit-learn's `alpha`
// convention; the blog's (XᵀX − λI)⁻¹ is a typo for (XᵀX + λI)⁻¹) is
//   w_λ = V diag(φᵢ) Uᵀy,   φᵢ = sᵢ/(sᵢ² + λ),
// which needs neither a matrix inverse nor a division by λ: at λ = 0 it is V S⁺ Uᵀy, the minimum-norm least-squares
// solution. Singular values sᵢ ≤ tol = max(n, p)·ε·s₁ count as zero (φᵢ = 0), the rank rule of numpy's pinv/lstsq
// (rcond = None) and of MATLAB's rank. Truncated SVD (keep k components, φᵢ = 1/sᵢ for i ≤ k) is the other filter.
// The thin SVD comes from LAPACK's dgesdd in OpenBLAS when it loads (one thread: bit-identical for any thread count),
// else from Math.NET's managed thin QR (of X when n ≥ p, of Xᵀ when n < p) and the SVD of its triangular factor; both
// cost O(n p m) and never form an n×n U. Nothing downstream depends on the signs of the singular vectors (w, H, r and
// |uᵢᵀy| are invariant under uᵢ, vᵢ → −uᵢ, −vᵢ), nor on the basis of the null space (its φᵢ = fᵢ = 0). The factors are
// kept as plain arrays: U row-major [n×m], V by component [m×p], Uᵀy by target [t×m]. References: Hoerl & Kennard
// (1970); Hansen, "Rank-Deficient and Discrete Ill-Posed Problems" (SIAM 1998) §4 (filter factors fᵢ = sᵢ²/(sᵢ² + λ));
// Golub & Van Loan, "Matrix Computations" §5.5 and §8.6.
using System.Globalization;
using System.Numerics.Tensors;
using Gibbs.Backends.Cpu.Lapack;
using Gibbs.Internals;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Gibbs.Models.Ridge;

/// <summary>Which thin SVD decomposes the design: OpenBLAS's LAPACK when it loads (GIBBS_LAPACK), or one forced (tests).</summary>
internal enum SvdPath { Auto, OpenBlas, Managed }

/// <summary>
/// Ridge regression and truncated SVD from one thin SVD X_c = U S Vᵀ of the (optionally centred) design:
/// w_λ = V diag(sᵢ/(sᵢ² + λ)) Uᵀy_c for any λ ≥ 0, the intercept b = ȳ − x̄ᵀw (not penalised), several targets at once.
/// Model selection (LOO, GCV, L-curve, Picard) and the exact bias–variance decomposition are in the other parts.
/// </summary>
public sealed partial class RidgeSvd
{
    private readonly double[] _u;    // [n×m] row-major: left singular vectors, U[i, j] = _u[i·m + j]
    private readonly double[] _v;    // [m×p] by component: right singular vectors, V[j, i] = _v[i·p + j]
    private readonly double[] _uty;  // [t×m] by target: (Uᵀ y_c)[i, k] = _uty[k·m + i]
    private readonly double[] _yc;   // [n×t] row-major: centred targets (raw when there is no intercept)
    private readonly double[] _s;    // [m] singular values, descending

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
    /// <summary>What decomposed X: "LAPACK dgesdd (OpenBLAS 0.3.21, 1 thread)" or "Math.NET managed thin QR + SVD".</summary>
    public string Decomposition { get; }

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
    public static RidgeSvd Fit(double[,] x, double[,] y, bool intercept = false) => Fit(x, y, intercept, SvdPath.Auto);

    /// <summary>As the public Fit, with the decomposition forced (tests compare the native and managed paths).</summary>
    internal static RidgeSvd Fit(double[,] x, double[,] y, bool intercept, SvdPath path)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int n = x.GetLength(0), p = x.GetLength(1), t = y.GetLength(1);
        if (n == 0 || p == 0) throw new GibbsException($"ridge: X is empty ({n} × {p})");
        if (y.GetLength(0) == 0 || t == 0) throw new GibbsException($"ridge: y is empty ({y.GetLength(0)} × {t})");
        if (y.GetLength(0) != n) throw new GibbsException($"ridge: X has {n} rows but y has {y.GetLength(0)}");
        CheckFinite(x, "X");
        CheckFinite(y, "y");
        return new RidgeSvd(x, y, intercept, path);
    }

    private static void CheckFinite(double[,] a, string name)
    {
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++)
                if (!double.IsFinite(a[i, j])) throw new GibbsException($"ridge: {name} has {a[i, j].ToString(CultureInfo.InvariantCulture)} at row {i}, column {j}");
    }

    private RidgeSvd(double[,] x, double[,] y, bool intercept, SvdPath path)
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
        _yc = new double[n * t];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < t; k++) _yc[i * t + k] = y[i, k] - YMean[k];
        (_u, _v, _s, Decomposition) = Decompose(x, XMean, path);
        if (_s.Length != m) throw new InvalidOperationException($"SVD returned {_s.Length} singular values, expected {m}");
        Tolerance = Math.Max(n, p) * Math.Pow(2, -52) * _s[0];
        Rank = _s.Count(s => s > Tolerance);
        _uty = ProjectTargets(_u, _yc, n, m, t);
    }

    /// <summary>The thin SVD of X_c = X − 1 x̄ᵀ [n×p]: U [n×m] row-major, V [m×p] by component, s [m] descending.</summary>
    private static (double[] U, double[] V, double[] S, string Name) Decompose(double[,] x, double[] mean, SvdPath path)
    {
        int n = x.GetLength(0), p = x.GetLength(1), m = Math.Min(n, p);
        bool native = path switch
        {
            SvdPath.OpenBlas => OpenBlasLapack.Available ? true : throw new GibbsException($"ridge: {OpenBlasLapack.UnavailableReason}"),
            SvdPath.Managed => false,
            _ => OpenBlasLapack.Preferred,
        };
        string fallback = "";
        if (native)
        {   // Row-major X_c [n×p] is column-major X_cᵀ [p×n] = V S Uᵀ: dgesdd's left factor [p×m] column-major is V by
            // component, and its Vᵀ [m×n] column-major is U row-major. No transposes.
            var xt = new double[(long)n * p];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < p; j++) xt[(long)i * p + j] = x[i, j] - mean[j];
            var (s, v, u) = (new double[m], new double[(long)p * m], new double[(long)m * n]);
            int info = OpenBlasLapack.Dgesdd(p, n, xt, s, v, u);
            if (info == 0) return (u, v, s, OpenBlasLapack.Name);
            fallback = $" (dgesdd did not converge: info {info})";
        }
        var xc = Matrix<double>.Build.Dense(n, p, (i, j) => x[i, j] - mean[j]);
        Matrix<double> mu, mv;
        double[] sv;
        if (n >= p)
        {   // X = Q R, R = Ur S Vᵀ  ⇒  U = Q Ur.
            var qr = xc.QR(QRMethod.Thin);
            var svd = qr.R.Svd(computeVectors: true);
            (mu, mv, sv) = (qr.Q * svd.U, svd.VT.Transpose(), svd.S.ToArray());
        }
        else
        {   // Xᵀ = Q R  ⇒  X = Rᵀ Qᵀ, Rᵀ = Ur S Vrᵀ  ⇒  U = Ur, V = Q Vr.
            var qr = xc.Transpose().QR(QRMethod.Thin);
            var svd = qr.R.Transpose().Svd(computeVectors: true);
            (mu, mv, sv) = (svd.U, qr.Q * svd.VT.Transpose(), svd.S.ToArray());
        }
        return (mu.ToRowMajorArray(), mv.ToColumnMajorArray(), sv, "Math.NET managed thin QR + SVD" + fallback);
    }

    /// <summary>Uᵀ y_c [t×m] by target, each a sum over the rows in order (targets split over threads).</summary>
    private static double[] ProjectTargets(double[] u, double[] yc, int n, int m, int t)
    {
        var uty = new double[(long)t * m];
        void Run(int k0, int k1)
        {
            for (int i = 0; i < n; i++)
            {
                var row = u.AsSpan(i * m, m);
                for (int k = k0; k < k1; k++)
                {
                    var dst = uty.AsSpan(k * m, m);
                    TensorPrimitives.MultiplyAdd(row, yc[(long)i * t + k], dst, dst);
                }
            }
        }
        if (Par.IsSmall((long)n * m * t)) Run(0, t);
        else Par.For(t, Math.Max(1, (int)Math.Min(t, 16384 / Math.Max(1, m))), Run);
        return uty;
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
        var column = new double[p];
        for (int k = 0; k < t; k++)
        {
            Array.Clear(column);
            for (int i = 0; i < m; i++)
            {
                double c = phi[i] * _uty[k * m + i];
                if (c == 0) continue;
                TensorPrimitives.MultiplyAdd(_v.AsSpan(i * p, p), c, column, column);   // w += vᵢ c, i ascending
            }
            for (int j = 0; j < p; j++) w[j, k] = column[j];
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
