// The honest likelihood of a Gibbs machine (000_c7b547386cdeff84.txt §3.4–3.8):
//  • importance-sampled NLL: −log q(x) ≈ −log (1/k) Σ wₖ, wₖ = p_rec(x|zₖ)p(zₖ)/p(zₖ|x), zₖ ~ p(z|x) (Burda et al. 2016),
//    in chunks so memory is bounded whatever k, with its Monte-Carlo standard error (delta method on the mean weight);
//    the same draws give the bound B and so the variational error D_var = B − NLL (eq. 3.7);
//  • the seed's own D_var estimates (§3.8): regress log p_rec(x|z) on the sufficient statistics M(z) of the posterior
//    (eq. 3.11) over many draws z ~ p(z|x); the residual ε gives D_var = σ_ε²/2 (ε Gaussian) and log E[e^ε] (eq. 3.16);
//  • active units (Burda et al.): latent units whose posterior location varies over the data, Var_x(μ) > 0.01.
using Gibbs.Rng;

namespace Gibbs.Models.Gm;

/// <summary>Per-observation results of <see cref="GibbsMachine.ImportanceSampledNll"/> (nats).</summary>
public sealed record GmLikelihood(double[] Nll, double[] NllStdErr, double[] Bound, double[] GenerativeError, int K)
{
    public double MeanNll => Nll.Average();
    /// <summary>Monte-Carlo standard error of <see cref="MeanNll"/> (the rows' errors are independent).</summary>
    public double MeanNllStdErr => Math.Sqrt(NllStdErr.Sum(s => s * s)) / Nll.Length;
    public double MeanBound => Bound.Average();
    public double MeanGenerativeError => GenerativeError.Average();
    /// <summary>D_var = B − NLL averaged over the rows (eq. 3.7).</summary>
    public double MeanVariationalError => MeanBound - MeanNll;
}

/// <summary>The seed's regression estimates of D_var for one observation (§3.8), beside the importance-sampled value.</summary>
public sealed record GmVariationalError(double Gaussian, double MonteCarlo, double ResidualVariance, int Regressors, int Draws);

public sealed partial class GibbsMachine
{
    /// <summary>
    /// Importance-sampled −log q(x) with <paramref name="k"/> posterior draws per row of x [N×features], computed in
    /// chunks of at most <paramref name="maxChunkElements"/> decoder outputs (so memory does not grow with k).
    /// </summary>
    public GmLikelihood ImportanceSampledNll(Tensor x, int k, Generator gen, long maxChunkElements = 4_000_000)
    {
        CheckInput(x);
        if (k < 2) throw new GibbsException($"the importance-sampled NLL needs k ≥ 2 draws (for its standard error), got {k}");
        int n = x.Dim(0);
        var nll = new double[n];
        var se = new double[n];
        var bound = new double[n];
        var dgenOut = new double[n];
        int rowsPerBlock = (int)Math.Clamp(maxChunkElements / Features, 1, 256);
        using var _ = Tensor.NoGrad();
        for (int r0 = 0; r0 < n; r0 += rowsPerBlock)
        {
            using var scope = TensorScope.Begin();
            int rows = Math.Min(rowsPerBlock, n - r0);
            var xb = x.Slice(0, r0, rows);
            var (mu, logSigma) = Encode(xb);
            var dgen = Latent.GenerativeError(mu, logSigma).Sum(1).ToArray();
            var sums = new ImportanceSums(rows);
            var recSum = new double[rows];
            int perChunk = (int)Math.Clamp(maxChunkElements / ((long)rows * Features), 1, k);
            for (int done = 0; done < k; done += perChunk)
            {
                using var chunk = TensorScope.Begin();
                int c = Math.Min(perChunk, k - done);
                var z = Latent.Sample(mu, logSigma, Latent.Noise([c, rows, LatentSize], gen, x.Device));
                var logRec = ReconstructionLogLikelihood(xb, Decode(z));
                var logW = (logRec + (Latent.LogPrior(z) - Latent.LogPosterior(z, mu, logSigma)).Sum(2)).ToArray();
                var lr = logRec.ToArray();
                for (int j = 0; j < c; j++)
                    for (int i = 0; i < rows; i++)
                    {
                        sums.Add(i, logW[j * rows + i]);
                        recSum[i] += lr[j * rows + i];
                    }
            }
            for (int i = 0; i < rows; i++)
            {
                nll[r0 + i] = -sums.LogMean(i, k);
                se[r0 + i] = sums.RelativeStdErr(i, k);
                dgenOut[r0 + i] = dgen[i];
                bound[r0 + i] = dgen[i] - recSum[i] / k;
            }
        }
        return new GmLikelihood(nll, se, bound, dgenOut, k);
    }

    /// <summary>Var over the rows of x of each unit's posterior location μ (Burda et al.'s activity), [latent].</summary>
    public double[] LatentActivity(Tensor x)
    {
        CheckInput(x);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var mu = Encode(x).Mu;
        var centred = mu - mu.Mean(0, keepDim: true);
        return centred.Square().Mean(0).ToArray().Select(v => (double)v).ToArray();
    }

    /// <summary>Units with Var_x(μ) &gt; <paramref name="threshold"/> (0.01, Burda et al. 2016).</summary>
    public int[] ActiveUnits(Tensor x, double threshold = 0.01) =>
        LatentActivity(x).Select((v, j) => (v, j)).Where(p => p.v > threshold).Select(p => p.j).ToArray();

    /// <summary>
    /// The seed's regression estimates of D_var (eqs. 3.11, 3.16) for one observation x [1×features]: <paramref name="draws"/>
    /// draws z ~ p(z|x); log p_rec(x|z) regressed (least squares, with intercept) on the family's statistics of the given
    /// <paramref name="units"/> (use the active units: the others do not move the reconstruction); ε the residuals.
    /// </summary>
    public GmVariationalError RegressionVariationalError(Tensor x, int[] units, int draws, Generator gen)
    {
        CheckInput(x);
        if (x.Dim(0) != 1) throw new ShapeException($"the regression estimate is per observation: pass one row [1×{Features}], got {Tensor.Format(x.Shape)}");
        int f = Latent.RegressionFeatures(0, 0).Length, p = 1 + f * units.Length;
        if (draws < 4 * p) throw new GibbsException($"the D_var regression has {p} regressors ({units.Length} units); give at least {4 * p} draws, got {draws}");
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var (mu, logSigma) = Encode(x);
        var z = Latent.Sample(mu, logSigma, Latent.Noise([draws, 1, LatentSize], gen, x.Device));
        var logRec = ReconstructionLogLikelihood(x, Decode(z)).ToArray();
        var zs = z.ToArray();
        var mus = mu.ToArray();
        var design = new double[draws, p];
        for (int r = 0; r < draws; r++)
        {
            design[r, 0] = 1;
            for (int u = 0; u < units.Length; u++)
            {
                var m = Latent.RegressionFeatures(zs[r * LatentSize + units[u]], mus[units[u]]);
                for (int q = 0; q < f; q++) design[r, 1 + u * f + q] = m[q];
            }
        }
        var a = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(design);
        var y = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(logRec.Select(v => (double)v).ToArray());
        var beta = a.QR().Solve(y);
        var eps = (y - a * beta).ToArray();
        double rss = eps.Sum(e => e * e);
        double sigma2 = rss / (draws - p);
        double mx = eps.Max();
        double logMeanExp = mx + Math.Log(eps.Sum(e => Math.Exp(e - mx)) / draws);
        return new GmVariationalError(sigma2 / 2, logMeanExp, sigma2, p, draws);
    }
}
