// Running sums of importance weights per row, kept relative to the row's largest log-weight so that no exp overflows
// whatever k or the weights' range: Σ e^{w−max} and Σ e^{2(w−max)}, rescaled when a larger w arrives. From them the
// log of the mean weight (an importance-sampled log-likelihood) and the variance of that mean (its standard error).
namespace Gibbs.Models.Gm;

internal sealed class ImportanceSums
{
    private readonly double[] _s1, _s2;

    public ImportanceSums(int rows)
    {
        Max = Enumerable.Repeat(double.NegativeInfinity, rows).ToArray();
        _s1 = new double[rows];
        _s2 = new double[rows];
    }

    /// <summary>The largest log-weight seen per row.</summary>
    public double[] Max { get; }

    public void Add(int row, double logWeight)
    {
        if (logWeight > Max[row])
        {
            double f = Math.Exp(Max[row] - logWeight); // rescale the running sums to the new maximum
            _s1[row] *= f;
            _s2[row] *= f * f;
            Max[row] = logWeight;
        }
        double e = Math.Exp(logWeight - Max[row]);
        _s1[row] += e;
        _s2[row] += e * e;
    }

    /// <summary>log of the mean of the row's k weights.</summary>
    public double LogMean(int row, int k) => Max[row] + Math.Log(_s1[row] / k);

    /// <summary>The variance of the mean of k weights (unbiased sample variance / k), in units of e^{2·Max}.</summary>
    public double VarianceOfMean(int row, int k)
    {
        double m1 = _s1[row] / k, m2 = _s2[row] / k;
        return Math.Max(0, m2 - m1 * m1) * k / (k - 1) / k;
    }

    /// <summary>The standard error of the mean weight relative to the mean: by the delta method, that of its log.</summary>
    public double RelativeStdErr(int row, int k) => Math.Sqrt(VarianceOfMean(row, k)) / (_s1[row] / k);
}
