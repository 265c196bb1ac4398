// Line charts (training curves, free energies, log-likelihoods): several named series, a legend,
// optional log-scale x and y, markers-only series. Non-finite points are not drawn; the line breaks there instead of crashing.
using ScottPlot;
using Gibbs.Plots.Internals;

namespace Gibbs.Plots;

public static class LinePlot
{
    /// <summary>Writes a line chart of <paramref name="series"/> to a PNG file (atomically).</summary>
    /// <param name="path">Output .png path.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">X-axis label.</param>
    /// <param name="yLabel">Y-axis label.</param>
    /// <param name="series">At least one series; each with X and Y of equal length.</param>
    /// <param name="options">Log y, markers, size (default 800×500, linear, no markers).</param>
    /// <exception cref="ArgumentException">No series, a null series, or X and Y lengths differ.</exception>
    public static void Save(string path, string title, string xLabel, string yLabel, IReadOnlyList<Series> series, LinePlotOptions? options = null)
    {
        Check.OutputPath(path);
        options ??= new LinePlotOptions();
        using var plot = Build(title, xLabel, yLabel, series, options);
        Charts.Save(plot, path, options.Width, options.Height);
    }

    /// <summary>The chart Save draws (also a cell of a <see cref="Panel"/>).</summary>
    internal static Plot Build(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, LinePlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
            throw new ArgumentException("series is empty; expected at least one series", nameof(series));
        options ??= new LinePlotOptions();
        Charts.CheckSize(options.Width, options.Height);
        for (int s = 0; s < series.Count; s++)
        {
            var one = series[s] ?? throw new ArgumentException($"series[{s}] is null", nameof(series));
            if (one.X is null || one.Y is null)
                throw new ArgumentException($"series[{s}] '{one.Name}' has a null X or Y array", nameof(series));
            if (one.X.Length != one.Y.Length)
                throw new ArgumentException($"series[{s}] '{one.Name}' has {one.X.Length} X values but {one.Y.Length} Y values", nameof(series));
        }

        var plot = Charts.Create(title, xLabel, yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        bool any = false;
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity, left = double.PositiveInfinity, right = double.NegativeInfinity;
        for (int s = 0; s < series.Count; s++)
        {
            var color = palette.GetColor(series[s].Color ?? s);
            bool first = true;
            foreach (var (xs, ys) in Segments(series[s], options.LogX, options.LogY))
            {
                var line = plot.Add.Scatter(xs, ys, color);
                line.LineWidth = series[s].MarkersOnly ? 0 : 2;
                line.MarkerSize = series[s].MarkersOnly ? (xs.Length > 100 ? 3 : 7) : options.Markers || xs.Length == 1 ? 5 : 0;
                if (first)
                    line.LegendText = series[s].Name ?? "";
                first = false;
                any = true;
                lo = Math.Min(lo, ys.Min());
                hi = Math.Max(hi, ys.Max());
                left = Math.Min(left, xs.Min());
                right = Math.Max(right, xs.Max());
            }
            if (first && !string.IsNullOrEmpty(series[s].Name))
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name + " (no finite points)", LineColor = color, LineWidth = 2 });
        }
        if (options.LogY && any)
            LogAxis.Apply(plot, lo, hi);
        if (options.LogX && any)
            LogAxis.Apply(plot, left, right, horizontal: true);
        if (!any)
            plot.Axes.SetLimits(0, 1, 0, 1);
        if (options.LegendOutside) plot.ShowLegend(Edge.Right);
        else plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Maximal runs of drawable points, x and y mapped to log10 on a log axis.</summary>
    private static IEnumerable<(double[] X, double[] Y)> Segments(Series s, bool logX, bool logY)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i <= s.X.Length; i++)
        {
            bool ok = i < s.X.Length && double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]) && (!logY || s.Y[i] > 0) && (!logX || s.X[i] > 0);
            if (ok)
            {
                xs.Add(logX ? Math.Log10(s.X[i]) : s.X[i]);
                ys.Add(logY ? Math.Log10(s.Y[i]) : s.Y[i]);
            }
            else if (xs.Count > 0)
            {
                yield return (xs.ToArray(), ys.ToArray());
                xs.Clear();
                ys.Clear();
            }
        }
    }
}
