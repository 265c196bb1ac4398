// Choosing λ from the same SVD (issue 14, item 2). The hat matrix of ridge is
//   H_λ = U diag(fᵢ) Uᵀ (+ 11ᵀ/n with an intercept, whose column of ones is unpenalised),  fᵢ = sᵢ²/(sᵢ² + λ),
// so ŷ = H y, the residual r = (I − H) y = y_c − U diag(fᵢ) Uᵀ y_c, and tr H = Σ fᵢ (+ 1).
//  • Leave-one-out: refitting without row i gives the residual eᵢ = rᵢ/(1 − Hᵢᵢ) exactly (the Sherman–Morrison identity;
//    Allen 1974 "PRESS"; Golub, Heath & Wahba 1979 §2). LOO MSE = (1/(n t)) Σ eᵢ². This is what scikit-learn's RidgeCV
//    computes by default (cv=None) although its docs call it "generalized cross-validation": scikit-learn issue #18079.
//  • Generalised cross-validation (Golub, Heath & Wahba 1979): GCV(λ) = n ‖(I − H)y‖² / tr(I − H)², LOO with every Hᵢᵢ
//    replaced by their mean (rotation invariant). With several targets both are averaged over the targets.
//  • L-curve (Hansen, "The L-curve and its use in the numerical treatment of inverse problems", 2000; Hansen & O'Leary
//    1993): the points (ξ, η) = (log‖Xw_λ − y‖, log‖w_λ‖) over a log-spaced λ grid; the corner is the point of
//    maximum signed curvature κ = (ξ'η'' − ξ''η')/(ξ'² + η'²)^{3/2}, derivatives in t = log λ by three-point
//    finite differences on the (possibly non-uniform) grid. Norms are Frobenius over targets; ‖w‖ excludes the intercept.
//  • Picard plot (Hansen 1990): |uᵢᵀy| against sᵢ. The discrete Picard condition holds where |uᵢᵀy| decays faster than
//    sᵢ; where |uᵢᵀy| levels off at the noise, the components must be filtered.
//  • Evaluation: every criterion at every λ of a grid comes from one pass over the rows of U. Row i gives
//    Hᵢᵢ(λ) = c + (uᵢ∘uᵢ)·f(λ) and rᵢₖ(λ) = y_cᵢₖ − uᵢ·(f(λ)∘(Uᵀy)ₖ) for all λ at once (the shape of the two products
//    (U∘U) Fᵀ and U Cᵀ), so LOO, GCV and ‖r‖ share one residual and nothing of size n×m is formed. Rows are cut into
//    fixed chunks whose partial sums are added in chunk order: bit-identical for any thread count, and a one-λ call
//    (LooMse, Gcv, ResidualNorm) gives exactly the number a Scan gives for that λ.
using System.Numerics.Tensors;
using Gibbs.Internals;

namespace Gibbs.Models.Ridge;

public sealed partial class RidgeSvd
{
    /// <summary>Rows per chunk of the sweep: fixed, so the order of every sum depends only on the shape.</summary>
    private const int SweepChunk = 128;

    /// <summary>The diagonal of the hat matrix Hᵢᵢ = Σⱼ Uᵢⱼ² fⱼ (+ 1/n with an intercept).</summary>
    public double[] HatDiagonal(double alpha)
    {
        var f = FilterFactors(alpha);
        int m = _s.Length;
        var h = new double[Rows];
        var sq = new double[m];
        for (int i = 0; i < Rows; i++) h[i] = Hat(_u.AsSpan(i * m, m), sq, f);
        return h;
    }

    /// <summary>Hᵢᵢ = c + (uᵢ∘uᵢ)·f for the row uᵢ of U (sq is scratch [m], left holding uᵢ∘uᵢ).</summary>
    private double Hat(ReadOnlySpan<double> row, Span<double> sq, ReadOnlySpan<double> f)
    {
        TensorPrimitives.Multiply(row, row, sq);
        return (FitIntercept ? 1.0 / Rows : 0) + TensorPrimitives.Dot(sq, f);
    }

    /// <summary>C [t×m] = f ∘ (Uᵀy)ₖ for each target k: rᵢₖ = y_cᵢₖ − uᵢ·Cₖ.</summary>
    private double[] Coefficients(double[] f)
    {
        int m = _s.Length;
        var c = new double[Targets * m];
        for (int k = 0; k < Targets; k++) TensorPrimitives.Multiply(f, _uty.AsSpan(k * m, m), c.AsSpan(k * m, m));
        return c;
    }

    /// <summary>In-sample residuals y − ŷ = (I − H) y [n×t].</summary>
    public double[,] Residuals(double alpha) => ResidualsFrom(FilterFactors(alpha), null);

    /// <summary>rᵢₖ = y_cᵢₖ − uᵢ·(f∘(Uᵀy)ₖ), divided by 1 − Hᵢᵢ when <paramref name="hat"/> is given.</summary>
    private double[,] ResidualsFrom(double[] f, double[]? hat)
    {
        int m = _s.Length, t = Targets;
        var c = Coefficients(f);
        var r = new double[Rows, t];
        for (int i = 0; i < Rows; i++)
        {
            var row = _u.AsSpan(i * m, m);
            double d = hat is null ? 1 : 1 - hat[i];
            for (int k = 0; k < t; k++)
            {
                double v = _yc[i * t + k] - TensorPrimitives.Dot(row, c.AsSpan(k * m, m));
                r[i, k] = hat is null ? v : v / d;
            }
        }
        return r;
    }

    /// <summary>Exact leave-one-out residuals eᵢ = rᵢ/(1 − Hᵢᵢ) [n×t] (infinite or NaN where Hᵢᵢ = 1, e.g. λ = 0 with rank n).</summary>
    public double[,] LooResiduals(double alpha) => ResidualsFrom(FilterFactors(alpha), HatDiagonal(alpha));

    /// <summary>The leave-one-out mean squared error (1/(n t)) Σᵢₖ eᵢₖ².</summary>
    public double LooMse(double alpha) => Sweep([alpha]).Loo[0];

    /// <summary>Generalised cross-validation n‖(I − H)y‖² / tr(I − H)² (averaged over targets); tr(I − H) = n − Σ fᵢ (− 1 with an intercept).</summary>
    public double Gcv(double alpha) => Sweep([alpha]).Gcv[0];

    /// <summary>‖Xw_λ + b − y‖ (Frobenius over targets).</summary>
    public double ResidualNorm(double alpha) => Sweep([alpha]).Rho[0];

    /// <summary>‖w_λ‖ = (Σᵢ φᵢ² ‖(Uᵀy)ᵢ‖²)^{1/2} (Frobenius over targets, intercept excluded).</summary>
    public double SolutionNorm(double alpha)
    {
        var phi = Phi(alpha);
        int m = _s.Length;
        double s = 0;
        for (int i = 0; i < phi.Length; i++)
            for (int k = 0; k < Targets; k++) s += phi[i] * phi[i] * _uty[k * m + i] * _uty[k * m + i];
        return Math.Sqrt(s);
    }

    /// <summary>LOO MSE, GCV and ‖r‖ at every λ of <paramref name="alphas"/> (each checked ≥ 0) in one pass over the rows:
    /// per row, Hᵢᵢ and rᵢₖ for each λ as dot products with the stacked f(λ) [λ×m] and C(λ) [λ×t×m].</summary>
    private (double[] Loo, double[] Gcv, double[] Rho) Sweep(double[] alphas)
    {
        int n = Rows, m = _s.Length, t = Targets, na = alphas.Length;
        var f = new double[na * m];
        var c = new double[na * t * m];
        var trace = new double[na];
        for (int a = 0; a < na; a++)
        {
            var fa = FilterFactors(alpha: alphas[a]);
            fa.CopyTo(f, a * m);
            Coefficients(fa).CopyTo(c, a * t * m);
            trace[a] = n - fa.Sum() - (FitIntercept ? 1 : 0);
        }
        int chunks = (n + SweepChunk - 1) / SweepChunk;
        var partial = new double[chunks * 2 * na];   // per chunk: Σ e² [na], then Σ r² [na]
        void Run(int i0, int i1)
        {
            var loo = partial.AsSpan(i0 / SweepChunk * 2 * na, na);
            var rss = partial.AsSpan(i0 / SweepChunk * 2 * na + na, na);
            var sq = new double[m];
            for (int i = i0; i < i1; i++)
            {
                var row = _u.AsSpan(i * m, m);
                TensorPrimitives.Multiply(row, row, sq);
                double h0 = FitIntercept ? 1.0 / n : 0;
                for (int a = 0; a < na; a++)
                {
                    double d = 1 - (h0 + TensorPrimitives.Dot(sq, f.AsSpan(a * m, m)));
                    for (int k = 0; k < t; k++)
                    {
                        double r = _yc[i * t + k] - TensorPrimitives.Dot(row, c.AsSpan((a * t + k) * m, m));
                        double e = r / d;
                        rss[a] += r * r;
                        loo[a] += e * e;
                    }
                }
            }
        }
        if (Par.IsSmall((long)n * m * na * (t + 1))) for (int i0 = 0; i0 < n; i0 += SweepChunk) Run(i0, Math.Min(n, i0 + SweepChunk));
        else Par.For(n, SweepChunk, Run);
        var (looMse, gcv, rho) = (new double[na], new double[na], new double[na]);
        for (int a = 0; a < na; a++)
        {
            double e2 = 0, r2 = 0;
            for (int ch = 0; ch < chunks; ch++) { e2 += partial[ch * 2 * na + a]; r2 += partial[ch * 2 * na + na + a]; }
            looMse[a] = e2 / (n * t);
            gcv[a] = n * r2 / t / (trace[a] * trace[a]);
            rho[a] = Math.Sqrt(r2);
        }
        return (looMse, gcv, rho);
    }

    /// <summary>LOO, GCV and the L-curve over a grid of λ &gt; 0 (sorted ascending, at least 3 distinct for the corner).</summary>
    public RidgeScan Scan(IEnumerable<double> alphas)
    {
        var a = alphas.ToArray();
        if (a.Length == 0) throw new GibbsException("ridge: the alpha grid is empty");
        foreach (var x in a)
        {
            CheckAlpha(x);
            if (x == 0) throw new GibbsException("ridge: the alpha grid of a scan must be > 0 (it is log-spaced)");
        }
        Array.Sort(a);
        for (int i = 1; i < a.Length; i++)
            if (a[i] == a[i - 1]) throw new GibbsException($"ridge: alpha {a[i]} appears twice in the grid");
        var (loo, gcv, rho) = Sweep(a);
        var eta = a.Select(SolutionNorm).ToArray();
        var kappa = LCurveCurvature(a, rho, eta);
        return new RidgeScan(a, loo, gcv, rho, eta, kappa, ArgMin(loo), ArgMin(gcv), ArgMaxFinite(kappa));
    }

    /// <summary>The signed curvature of the L-curve (ln ρ, ln η) parametrised by t = ln λ, by three-point finite
    /// differences on a non-uniform grid; NaN at both ends. Positive at a corner turning from the vertical (small λ)
    /// to the horizontal (large λ) branch.</summary>
    public static double[] LCurveCurvature(IReadOnlyList<double> alphas, IReadOnlyList<double> residualNorms, IReadOnlyList<double> solutionNorms)
    {
        int n = alphas.Count;
        if (residualNorms.Count != n || solutionNorms.Count != n) throw new GibbsException("ridge: L-curve arrays differ in length");
        var kappa = new double[n];
        Array.Fill(kappa, double.NaN);
        for (int i = 1; i < n - 1; i++)
        {
            double t0 = Math.Log(alphas[i - 1]), t1 = Math.Log(alphas[i]), t2 = Math.Log(alphas[i + 1]);
            var (x1, x2) = Derivatives(t0, t1, t2, Math.Log(residualNorms[i - 1]), Math.Log(residualNorms[i]), Math.Log(residualNorms[i + 1]));
            var (y1, y2) = Derivatives(t0, t1, t2, Math.Log(solutionNorms[i - 1]), Math.Log(solutionNorms[i]), Math.Log(solutionNorms[i + 1]));
            kappa[i] = (x1 * y2 - x2 * y1) / Math.Pow(x1 * x1 + y1 * y1, 1.5);
        }
        return kappa;
    }

    /// <summary>First and second derivatives at t1 of the parabola through (t0, f0), (t1, f1), (t2, f2).</summary>
    private static (double D1, double D2) Derivatives(double t0, double t1, double t2, double f0, double f1, double f2)
    {
        double h0 = t1 - t0, h1 = t2 - t1;
        double d1 = (-h1 / (h0 * (h0 + h1))) * f0 + ((h1 - h0) / (h0 * h1)) * f1 + (h0 / (h1 * (h0 + h1))) * f2;
        double d2 = 2 * (f0 / (h0 * (h0 + h1)) - f1 / (h0 * h1) + f2 / (h1 * (h0 + h1)));
        return (d1, d2);
    }

    private static int ArgMin(double[] v)
    {
        int best = -1;
        for (int i = 0; i < v.Length; i++) if (!double.IsNaN(v[i]) && (best < 0 || v[i] < v[best])) best = i;
        return best;
    }

    private static int ArgMaxFinite(double[] v)
    {
        int best = -1;
        for (int i = 0; i < v.Length; i++) if (double.IsFinite(v[i]) && (best < 0 || v[i] > v[best])) best = i;
        return best;
    }

    /// <summary>The Picard plot of one target: sᵢ and |uᵢᵀy_c| for i = 1..m (descending sᵢ, zeros included).</summary>
    public PicardPlot Picard(int target = 0)
    {
        if (target < 0 || target >= Targets) throw new GibbsException($"ridge: target {target} is not in 0..{Targets - 1}");
        return new PicardPlot(_s.ToArray(), Enumerable.Range(0, _s.Length).Select(i => Math.Abs(_uty[target * _s.Length + i])).ToArray(), Tolerance);
    }
}

/// <summary>Model-selection criteria over a λ grid (ascending). Best* are indices into <see cref="Alphas"/> (−1 if none).</summary>
public sealed record RidgeScan(double[] Alphas, double[] LooMse, double[] Gcv, double[] ResidualNorms, double[] SolutionNorms,
    double[] Curvature, int BestLoo, int BestGcv, int Corner);

/// <summary>The Picard plot: singular values sᵢ, the coefficients |uᵢᵀy|, and the rank tolerance.</summary>
public sealed record PicardPlot(double[] SingularValues, double[] Coefficients, double Tolerance);
