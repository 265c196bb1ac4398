// 2-D point clouds (two-spirals data, samples from a 2-D model): small markers, optional colour by
// integer label with a legend, equal units on both axes so circles stay circles.
using ScottPlot;
using Gibbs.Plots.Internals;

namespace Gibbs.Plots;

public static class ScatterPlot
{
    /// <summary>Picture size in pixels.</summary>
    public const int Width = 700, Height = 700;

    /// <summary>Writes <paramref name="count"/> points as a scatter plot to a PNG file (atomically).</summary>
    /// <param name="path">Output .png path.</param>
    /// <param name="xy">(count, 2) row-major: point i is (xy[2i], xy[2i+1]); points with a non-finite coordinate are skipped.</param>
    /// <param name="count">Number of points (≥ 1).</param>
    /// <param name="title">Chart title.</param>
    /// <param name="labels">Optional (count) integer class per point; each class gets its own colour (Category10, repeating after 10 classes) and legend entry.</param>
    /// <exception cref="ArgumentException">Sizes do not match.</exception>
    public static void Save(string path, ReadOnlySpan<float> xy, int count, string title, int[]? labels = null)
    {
        Check.OutputPath(path);
        Check.Positive(count, nameof(count));
        if (xy.Length != 2L * count)
            throw new ArgumentException($"xy has {xy.Length} values, expected count×2 = {count}×2 = {2L * count}", nameof(xy));
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"labels has {labels.Length} values, expected count = {count}", nameof(labels));

        var groups = new SortedDictionary<int, (List<double> X, List<double> Y)>();
        for (int i = 0; i < count; i++)
        {
            float x = xy[2 * i], y = xy[2 * i + 1];
            if (!float.IsFinite(x) || !float.IsFinite(y))
                continue;
            int key = labels?[i] ?? 0;
            if (!groups.TryGetValue(key, out var g))
                groups[key] = g = ([], []);
            g.X.Add(x);
            g.Y.Add(y);
        }

        using var plot = Charts.Create(title, "x", "y");
        var palette = new ScottPlot.Palettes.Category10();
        int c = 0;
        float size = count > 20_000 ? 2 : count > 2_000 ? 3 : 5;
        foreach (var (label, g) in groups)
        {
            var markers = plot.Add.Markers(g.X.ToArray(), g.Y.ToArray(), MarkerShape.FilledCircle, size, palette.GetColor(c++).WithAlpha(0.8));
            if (labels is not null)
                markers.LegendText = $"label {label}";
        }
        if (groups.Count == 0)
            plot.Axes.SetLimits(-1, 1, -1, 1);
        if (labels is not null)
            plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SquareUnits();
        Charts.Save(plot, path, Width, Height);
    }
}
