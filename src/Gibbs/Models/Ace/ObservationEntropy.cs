// Observation entropies of 000_c7b547386cdeff84.txt §1.4–1.5 and §5.1: for observations z_μ (rows of a data matrix or of
// a layer's activations), the negative Gaussian log-likelihoods under the empirical covariance,
//   −log p_G(z_μ) = ½ (z_μ − z̄) C⁺ (z_μ − z̄)ᵀ + const,   C = (Z − z̄)ᵀ(Z − z̄)/(P − 1),
// with the Moore–Penrose pseudo-inverse C⁺ when C is singular (pixels that never vary, P ≤ N). The Einstein entropy
// (1.2) is S_E = log p_G + const: the lowest-entropy observations are the "intricates" (§1.5). The conjugate of an
// observation is x̌ = (x − x̄)C⁺ (footnote 4), so −log p_G = ½⟨x̌, x⟩. By the SVD X − x̄ = VΛWᵀ (§5.1), the squared
// Mahalanobis distance is m_μ = (P − 1)·(VVᵀ)_μμ: the diagonal of the projection VVᵀ holds the log-likelihoods.
// For Gaussian data, P·m_μ/(P − 1)² ~ Beta(r/2, (P − r − 1)/2) exactly (r = rank C; footnote 2's F law is for a new
// observation), → χ²_r for large P: the reference of the Q-Q plots (Figs. 1, 8 left). With r close to P the χ²
// approximation fails badly (m_μ ≤ (P − 1)²/P), which is why the exact law is used. Computed in double precision from the eigendecomposition of C.
using MathNet.Numerics.LinearAlgebra;

namespace Gibbs.Models.Ace;

public sealed class ObservationEntropy
{
    private readonly Matrix<double> _pinv;   // C⁺
    private readonly double[] _mean;

    /// <param name="z">Observations, row-major [rows × dims] (rows ≥ 2).</param>
    /// <param name="relativeTolerance">Eigenvalues of C below this fraction of the largest count as zero (the rank).</param>
    public ObservationEntropy(float[] z, int rows, int dims, double relativeTolerance = 1e-10)
    {
        if (rows < 2 || dims < 1 || z.Length != (long)rows * dims)
            throw new GibbsException($"observation entropies need at least 2 observations of at least 1 dimension ({rows} × {dims} given, {z.Length} values)");
        for (int i = 0; i < z.Length; i++)
            if (!float.IsFinite(z[i])) throw new GibbsException($"observation {i / dims}, dimension {i % dims} is {z[i]}; observation entropies need finite values");
        Rows = rows;
        Dims = dims;
        _mean = new double[dims];
        for (int r = 0; r < rows; r++) for (int d = 0; d < dims; d++) _mean[d] += z[r * dims + d];
        for (int d = 0; d < dims; d++) _mean[d] /= rows;
        Centred = Matrix<double>.Build.Dense(rows, dims, (r, d) => z[r * dims + d] - _mean[d]);
        var cov = Centred.TransposeThisAndMultiply(Centred) / (rows - 1);
        var evd = cov.Evd(Symmetricity.Symmetric);
        var lambda = evd.EigenValues.Select(c => c.Real).ToArray();
        double max = lambda.Max(), cut = Math.Max(max, 0) * relativeTolerance;
        Rank = lambda.Count(l => l > cut);
        var inv = Vector<double>.Build.Dense(dims, i => lambda[i] > cut ? 1 / lambda[i] : 0);
        _pinv = evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(inv) * evd.EigenVectors.Transpose();
        var conj = Centred * _pinv;
        Mahalanobis = Enumerable.Range(0, rows).Select(r => conj.Row(r).DotProduct(Centred.Row(r))).ToArray();
        double logPdet = lambda.Where(l => l > cut).Sum(Math.Log);
        Constant = 0.5 * (Rank * Math.Log(2 * Math.PI) + logPdet);
    }

    public int Rows { get; }
    public int Dims { get; }
    /// <summary>The rank r of the empirical covariance (the degrees of freedom of the χ² reference).</summary>
    public int Rank { get; }
    /// <summary>½ (r log 2π + log pdet C): the constant of −log p_G over the covariance's support.</summary>
    public double Constant { get; }
    /// <summary>The centred observations Z − z̄ [rows × dims].</summary>
    public Matrix<double> Centred { get; }
    /// <summary>m_μ = (z_μ − z̄) C⁺ (z_μ − z̄)ᵀ per observation.</summary>
    public double[] Mahalanobis { get; }

    /// <summary>−log p_G(z_μ) = ½ m_μ + Constant per observation (nats).</summary>
    public double[] NegativeLogLikelihood => Mahalanobis.Select(m => 0.5 * m + Constant).ToArray();

    /// <summary>Observation indices from the lowest Einstein entropy (the most intricate: largest −log p_G) up.</summary>
    public int[] ByEntropy() => Enumerable.Range(0, Rows).OrderByDescending(i => Mahalanobis[i]).ThenBy(i => i).ToArray();

    /// <summary>The conjugate x̌ = (z_μ − z̄)C⁺ of observation μ (footnote 4).</summary>
    public double[] Conjugate(int row) => (Centred.Row(row) * _pinv).ToArray();

    /// <summary>Projections of every observation (centred) on the given conjugates: [rows × conjugates.Length].</summary>
    public double[,] Project(IReadOnlyList<int> conjugateRows)
    {
        var c = Matrix<double>.Build.DenseOfColumnArrays(conjugateRows.Select(Conjugate));
        return (Centred * c).ToArray();
    }

    /// <summary>§5.1's identity: (P − 1)·diag(VVᵀ) from the thin SVD of the centred data (r columns of V), for checking m_μ.</summary>
    public double[] FromSvd()
    {
        var svd = Centred.Svd(computeVectors: true);
        var u = svd.U; // the seed's V (B × B); its first r columns span the data
        return Enumerable.Range(0, Rows).Select(r =>
        {
            double s = 0;
            for (int k = 0; k < Rank; k++) s += u[r, k] * u[r, k];
            return (Rows - 1) * s;
        }).ToArray();
    }

    /// <summary>
    /// The exact reference distribution of m_μ for Gaussian data, when the mean and covariance are estimated from the
    /// same P observations (Mardia et al. 1979 §1.8; the seed's footnote 2): P·m/(P − 1)² ~ Beta(r/2, (P − r − 1)/2);
    /// it tends to χ²_r as P → ∞. Its CDF at m (P − r − 1 ≥ 1 needed; r = P − 1 leaves every m_μ equal).
    /// </summary>
    public double ReferenceCdf(double m)
    {
        if (Rows - Rank - 1 < 1) throw new GibbsException($"the covariance has rank {Rank} with {Rows} observations: every squared distance is the same, there is no distribution to compare with; use more observations than dimensions");
        double scaled = Rows * m / ((Rows - 1.0) * (Rows - 1.0));
        return MathNet.Numerics.Distributions.Beta.CDF(Rank / 2.0, (Rows - Rank - 1) / 2.0, Math.Clamp(scaled, 0, 1));
    }

    /// <summary>Q-Q points: the sorted m_μ against the reference quantiles at (i − ½)/P (the exact Beta law above).</summary>
    public (double[] Theoretical, double[] Observed) Quantiles()
    {
        ReferenceCdf(0);
        var observed = Mahalanobis.Order().ToArray();
        double a = Rank / 2.0, b = (Rows - Rank - 1) / 2.0, scale = (Rows - 1.0) * (Rows - 1.0) / Rows;
        var theoretical = Enumerable.Range(0, Rows).Select(i => scale * MathNet.Numerics.Distributions.Beta.InvCDF(a, b, (i + 0.5) / Rows)).ToArray();
        return (theoretical, observed);
    }
}
