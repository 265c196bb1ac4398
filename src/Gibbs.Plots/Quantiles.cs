// Quantile functions (inverse CDFs) of the standard normal and of the unit-variance Laplace
// distribution, for Q-Q plots. Normal: Acklam's rational approximation (|rel. error| < 1.15e-9)
// refined by one Halley step against an accurate Φ (Marsaglia's series, a continued fraction in the
// tails); Laplace: closed form.
namespace Gibbs.Plots;

/// <summary>Standardised (mean 0, variance 1) quantile functions.</summary>
public static class Quantiles
{
    // P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution function" (2003).
    private static readonly double[] A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    private static readonly double[] C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

    /// <summary>Φ⁻¹(p) of the standard normal; −∞ at 0, +∞ at 1. Relative error ~1e-15 after the refinement step.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1] or NaN.</exception>
    public static double Normal(double p)
    {
        CheckProbability(p);
        // Work in the lower half, where p is small and Φ(x) − p keeps its relative precision; 1 − p is exact for p ≥ ½.
        return p > 0.5 ? -LowerNormal(1 - p) : LowerNormal(p);
    }

    private static double LowerNormal(double p)
    {
        if (p == 0) return double.NegativeInfinity;
        const double low = 0.02425;
        double x;
        if (p < low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        else
        {
            double q = p - 0.5, r = q * q;
            x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
        }
        // Acklam's refinement (one Halley step, a Newton step with curvature): e = Φ(x) − p,
        // u = e / φ(x), x ← x − u / (1 + x·u/2).
        double e = NormalCdf(x) - p;
        double u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /// <summary>Quantile of the Laplace distribution with mean 0 and variance 1 (scale b = 1/√2):
    /// −b·sgn(p − ½)·ln(1 − 2|p − ½|).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1] or NaN.</exception>
    public static double Laplace(double p)
    {
        CheckProbability(p);
        double b = 1 / Math.Sqrt(2);
        return p < 0.5 ? b * Math.Log(2 * p) : -b * Math.Log(2 * (1 - p));
    }

    /// <summary>Standard normal CDF Φ(x), to about 1e-15 relative error in both tails.</summary>
    public static double NormalCdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < -3) return UpperTail(-x);
        if (x > 3) return 1 - UpperTail(x);
        // G. Marsaglia, "Evaluating the Normal Distribution", J. Stat. Softw. 11(4), 2004:
        // Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …), all terms of one sign, no cancellation.
        double sum = x, term = x, x2 = x * x;
        for (int k = 3; Math.Abs(term) > 1e-17 * Math.Abs(sum); k += 2)
        {
            term *= x2 / k;
            sum += term;
        }
        return 0.5 + sum * Density(x);
    }

    /// <summary>1 − Φ(z) for z &gt; 3 from the continued fraction φ(z)/(z + 1/(z + 2/(z + 3/(z + …)))) (modified Lentz).</summary>
    private static double UpperTail(double z)
    {
        if (z > 40) return 0;
        const double tiny = 1e-300;
        double f = z, c = z, d = 0;
        for (int k = 1; k < 500; k++)
        {
            d = z + k * d;
            d = Math.Abs(d) < tiny ? 1 / tiny : 1 / d;
            c = z + k / c;
            if (Math.Abs(c) < tiny) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Density(z) / f;
    }

    private static double Density(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);

    private static void CheckProbability(double p)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "expected a probability in [0, 1]");
    }
}
