// Q-Q plots: standardised sample quantiles against the quantiles of a unit-variance reference
// distribution, with the line y = x. Used to check whether RBM hidden fields or residuals look
// Gaussian; a Laplace sample against the Normal reference bends away at both ends (heavier tails).
using ScottPlot;
using Gibbs.Plots.Internals;

namespace Gibbs.Plots;

/// <summary>Reference distribution of a Q-Q plot (mean 0, variance 1).</summary>
public enum Reference
{
    /// <summary>Standard normal.</summary>
    Normal,

    /// <summary>Laplace with scale 1/√2 (variance 1).</summary>
    Laplace,
}

public static class QQPlot
{
    /// <summary>Picture size in pixels.</summary>
    public const int Width = 700, Height = 700;

    /// <summary>At most this many order statistics are drawn (evenly spaced in rank, extremes included).</summary>
    public const int MaxPoints = 4000;

    /// <summary>Writes a Q-Q plot of <paramref name="sample"/> against <paramref name="reference"/> (atomically).</summary>
    /// <param name="path">Output .png path.</param>
    /// <param name="sample">(n) values; non-finite ones are ignored. The sample is standardised,
    /// z = (x − mean) / sd, and its i-th smallest value (i = 1…n) is plotted against F⁻¹((i − ½) / n).</param>
    /// <param name="reference">Reference distribution.</param>
    /// <param name="title">Chart title.</param>
    /// <exception cref="ArgumentException">Fewer than two finite values, or they are all equal.</exception>
    public static void Save(string path, double[] sample, Reference reference, string title)
    {
        Check.OutputPath(path);
        ArgumentNullException.ThrowIfNull(sample);
        if (!Enum.IsDefined(reference))
            throw new ArgumentException($"reference is {(int)reference}, expected Normal or Laplace", nameof(reference));
        var z = sample.Where(double.IsFinite).ToArray();
        if (z.Length < 2)
            throw new ArgumentException($"sample has {z.Length} finite values out of {sample.Length}; expected at least 2", nameof(sample));
        double mean = z.Average();
        double sd = Math.Sqrt(z.Sum(v => (v - mean) * (v - mean)) / (z.Length - 1));
        if (!(sd > 0))
            throw new ArgumentException($"sample is constant ({mean}); a Q-Q plot needs spread", nameof(sample));
        Array.Sort(z);

        int n = z.Length, k = Math.Min(n, MaxPoints);
        var xs = new double[k];
        var ys = new double[k];
        for (int j = 0; j < k; j++)
        {
            int i = k == n ? j : (int)Math.Round((double)j * (n - 1) / (k - 1));
            double p = (i + 0.5) / n;
            xs[j] = reference == Reference.Normal ? Quantiles.Normal(p) : Quantiles.Laplace(p);
            ys[j] = (z[i] - mean) / sd;
        }

        using var plot = Charts.Create(title, $"theoretical quantiles ({reference})", "standardised sample quantiles");
        double lo = Math.Min(xs[0], ys[0]), hi = Math.Max(xs[^1], ys[^1]);
        var diagonal = plot.Add.Line(lo, lo, hi, hi);
        diagonal.LineColor = ScottPlot.Colors.Black.WithAlpha(0.6);
        diagonal.LineWidth = 1.5f;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "y = x";
        var points = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 4, new ScottPlot.Palettes.Category10().GetColor(0));
        points.LegendText = $"sample (n = {n})";
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.SquareUnits();
        Charts.Save(plot, path, Width, Height);
    }
}
