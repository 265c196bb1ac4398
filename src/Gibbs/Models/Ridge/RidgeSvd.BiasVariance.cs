// The exact bias–variance decomposition of the ridge estimator (issue 14, item 3; the appendix of seed 003, whose "unit
// mean" noise is read as zero mean, variance σ²). For y = Xw* (+ b*) + ε with E ε = 0, Cov ε = σ² I and the fixed design
// X_c = U S Vᵀ, write a = Vᵀw*, fᵢ = sᵢ²/(sᵢ² + λ), φᵢ = sᵢ/(sᵢ² + λ) (both 0 for sᵢ ≤ tol). Then
//   E ŵ = V diag(fᵢ) a,                     bias² = ‖E ŵ − w*‖² = Σᵢ (1 − fᵢ)² aᵢ² + ‖(I − VVᵀ) w*‖²,
//   Cov ŵ = σ² V diag(φᵢ²) Vᵀ,              variance = E‖ŵ − E ŵ‖² = σ² Σᵢ sᵢ²/(sᵢ² + λ)²,
// and for the in-sample prediction risk (1/n) E‖ŷ − E y‖²,
//   bias²_pred = (1/n) Σᵢ sᵢ² (1 − fᵢ)² aᵢ²,  variance_pred = (σ²/n) (Σᵢ fᵢ² + [intercept]).
// The null-space part of w* (I − VVᵀ)w* is invisible to X and stays in the coefficient bias for every λ. With an
// intercept the centred noise (I − 11ᵀ/n)ε leaves Uᵀε unchanged (U ⊥ 1), so the coefficient formulas are the same and the
// estimated intercept adds σ²/n per point to the prediction variance. As λ → 0 (the formulas are continuous at λ = 0):
// fᵢ → 1, bias² → ‖(I − VVᵀ)w*‖² (0 at full column rank) and variance → σ² Σ_{sᵢ > tol} 1/sᵢ² = σ² tr (XᵀX)⁺,
// which diverges as the smallest nonzero singular value → 0 (n ≈ p: the spike of the phase transition), while
// variance_pred → σ² rank/n stays bounded. References: Hoerl & Kennard (1970) Thm 4.3; Hastie, Tibshirani & Friedman,
// "The Elements of Statistical Learning" §3.4.1; Hastie, Montanari, Rosset & Tibshirani (2019) §2.
namespace Gibbs.Models.Ridge;

public sealed partial class RidgeSvd
{
    /// <summary>The exact bias² and variance of ŵ_λ and of the in-sample prediction for the true coefficients
    /// <paramref name="wStar"/> [p] and noise variance <paramref name="noiseVariance"/> σ² (y = Xw* + b* + ε; b* arbitrary).
    /// Uses only the design: the targets given to <see cref="Fit(double[,], double[], bool)"/> are ignored.</summary>
    public RidgeRisk Risk(double[] wStar, double noiseVariance, double alpha)
    {
        ArgumentNullException.ThrowIfNull(wStar);
        if (wStar.Length != Features) throw new GibbsException($"ridge: w* has {wStar.Length} entries but X has {Features} columns");
        if (wStar.Any(v => !double.IsFinite(v))) throw new GibbsException("ridge: w* has NaN or infinite entries");
        if (!(noiseVariance >= 0) || double.IsPositiveInfinity(noiseVariance)) throw new GibbsException($"ridge: the noise variance must be finite and ≥ 0, not {noiseVariance}");
        var phi = Phi(alpha);
        int m = _s.Length;
        double biasCoef = 0, biasPred = 0, variance = 0, variancePred = FitIntercept ? 1 : 0;
        var mean = new double[Features];   // E ŵ = V diag(f) a
        for (int i = 0; i < m; i++)
        {
            var vi = _v.AsSpan(i * Features, Features);   // vᵢ, the i-th right singular vector
            double a = 0;
            for (int j = 0; j < Features; j++) a += vi[j] * wStar[j];
            double f = phi[i] * _s[i];
            for (int j = 0; j < Features; j++) mean[j] += vi[j] * f * a;
            biasPred += _s[i] * _s[i] * (1 - f) * (1 - f) * a * a;
            variance += phi[i] * phi[i];
            variancePred += f * f;
        }
        for (int j = 0; j < Features; j++) biasCoef += (mean[j] - wStar[j]) * (mean[j] - wStar[j]);
        // Components with sᵢ ≤ tol have f = 0 and count in the coefficient bias but not in the prediction bias (X vᵢ ≈ 0).
        return new RidgeRisk(alpha, biasCoef, noiseVariance * variance, biasPred / Rows, noiseVariance * variancePred / Rows, mean);
    }
}

/// <summary>The exact risk of ridge at one λ: coefficients (bias² + variance = E‖ŵ − w*‖²) and in-sample prediction
/// per point (bias² + variance = (1/n) E‖ŷ − Xw* − b*‖²). <see cref="MeanCoefficients"/> is E ŵ.</summary>
public sealed record RidgeRisk(double Alpha, double Bias2, double Variance, double PredictionBias2, double PredictionVariance, double[] MeanCoefficients)
{
    /// <summary>E‖ŵ − w*‖² = bias² + variance.</summary>
    public double Mse => Bias2 + Variance;
    /// <summary>(1/n) E‖ŷ − E y‖².</summary>
    public double PredictionRisk => PredictionBias2 + PredictionVariance;
}
