// Observation entropies (000_c7b547386cdeff84.txt §1.4–1.5, §5.1) against exact answers: Σ_μ m_μ = (P − 1)·rank; Gaussian
// samples follow the χ²_r reference (Kolmogorov–Smirnov within its 1% band); the SVD identity m_μ = (P − 1)(VVᵀ)_μμ,
// also for a singular covariance (pseudo-inverse); conjugates give −log p_G = ½⟨x̌, x⟩ + const; an outlier is the
// most intricate observation.
using Gibbs.Models.Ace;
using Gibbs.Rng;

namespace Gibbs.Tests.Ace;

public class ObservationEntropyTests
{
    private static float[] Correlated(int rows, int dims, ulong seed)
    {
        var g = new Generator(seed);
        var a = new double[dims, dims];
        for (int i = 0; i < dims; i++) for (int j = 0; j <= i; j++) a[i, j] = i == j ? 1 + i : 0.5 * (g.NextDouble() - 0.5);
        var z = new float[rows * dims];
        for (int r = 0; r < rows; r++)
        {
            var e = new double[dims];
            for (int j = 0; j < dims; j++)
            {
                double u1 = Math.Max(g.NextDouble(), 1e-300), u2 = g.NextDouble();
                e[j] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
            for (int i = 0; i < dims; i++) { double s = 3; for (int j = 0; j <= i; j++) s += a[i, j] * e[j]; z[r * dims + i] = (float)s; }
        }
        return z;
    }

    [Fact]
    public void GaussianDataFollowTheChiSquaredReference()
    {
        const int p = 4000, n = 6;
        var oe = new ObservationEntropy(Correlated(p, n, 1), p, n);
        Assert.Equal(n, oe.Rank);
        Assert.Equal((p - 1) * n, oe.Mahalanobis.Sum(), 6);
        var (theory, observed) = oe.Quantiles();
        double ks = 0;
        for (int i = 0; i < p; i++)
        {
            double cdf = oe.ReferenceCdf(observed[i]);
            Assert.Equal(MathNet.Numerics.Distributions.ChiSquared.CDF(n, observed[i]), cdf, 0.002); // large P: the χ²_r limit
            ks = Math.Max(ks, Math.Max(Math.Abs(cdf - (double)i / p), Math.Abs(cdf - (i + 1.0) / p)));
        }
        Assert.InRange(ks, 0, 1.63 / Math.Sqrt(p)); // the 1% critical value
        Assert.Equal(theory.Length, observed.Length);
    }

    // Few observations for the dimensions (P = 60, r = 40): far from χ², yet the exact law holds.
    [Fact]
    public void TheExactReferenceHoldsWhenTheRankIsCloseToTheSampleSize()
    {
        const int p = 60, n = 40, reps = 40;
        var exact = new List<double>();
        var chi = new List<double>();
        for (ulong s = 0; s < reps; s++)
        {
            var oe = new ObservationEntropy(Correlated(p, n, 100 + s), p, n);
            exact.AddRange(oe.Mahalanobis.Select(oe.ReferenceCdf));
            chi.AddRange(oe.Mahalanobis.Select(m => MathNet.Numerics.Distributions.ChiSquared.CDF(n, m)));
        }
        static double Ks(List<double> cdf)
        {
            cdf.Sort();
            double ks = 0;
            for (int i = 0; i < cdf.Count; i++) ks = Math.Max(ks, Math.Max(Math.Abs(cdf[i] - (double)i / cdf.Count), Math.Abs(cdf[i] - (i + 1.0) / cdf.Count)));
            return ks;
        }
        // Rows of one sample are weakly dependent (Σ m = (P − 1) r), so the band is loose; the χ² law misses by far more.
        Assert.InRange(Ks(exact), 0, 0.05);
        Assert.InRange(Ks(chi), 0.12, 1); // measured: 0.16
    }

    [Fact]
    public void TheSvdIdentityHoldsAlsoForASingularCovariance()
    {
        const int p = 40, n = 8;
        var z = Correlated(p, n, 2);
        for (int r = 0; r < p; r++) { z[r * n + 7] = z[r * n + 2] - z[r * n + 5]; z[r * n + 6] = 0.25f; } // a combination and a constant
        var oe = new ObservationEntropy(z, p, n);
        Assert.Equal(6, oe.Rank);
        Assert.Equal((p - 1) * 6, oe.Mahalanobis.Sum(), 6);
        var svd = oe.FromSvd();
        for (int r = 0; r < p; r++) Assert.Equal(svd[r], oe.Mahalanobis[r], 6);
        // footnote 4: −log p_G = ½⟨x̌, x − x̄⟩ + const
        var nll = oe.NegativeLogLikelihood;
        for (int r = 0; r < p; r += 7)
        {
            var c = oe.Conjugate(r);
            double inner = 0;
            for (int d = 0; d < n; d++) inner += c[d] * oe.Centred[r, d];
            Assert.Equal(nll[r], 0.5 * inner + oe.Constant, 8);
        }
    }

    [Fact]
    public void AnOutlierIsTheMostIntricate()
    {
        const int p = 200, n = 4;
        var z = Correlated(p, n, 3);
        z[57 * n + 1] += 30;
        var oe = new ObservationEntropy(z, p, n);
        Assert.Equal(57, oe.ByEntropy()[0]);
        var proj = oe.Project([57, 3]);
        Assert.Equal(p, proj.GetLength(0));
        Assert.Equal(oe.Mahalanobis[57], proj[57, 0], 6); // ⟨x − x̄, x̌⟩ = m
        Assert.Throws<GibbsException>(() => new ObservationEntropy(new float[4], 1, 4));
        Assert.Throws<GibbsException>(() => new ObservationEntropy([1f, float.NaN, 0f, 2f], 2, 2));
    }
}
