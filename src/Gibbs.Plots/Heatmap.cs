// Matrix heatmaps (weight matrices, correlations, grids of a scanned quantity) with a colour bar.
// Drawn like a matrix: row 0 at the top, column 0 at the left, axes labelled with indices. Both signs
// get a blue–white–red map symmetric about zero; otherwise Viridis over the data range.
using ScottPlot;
using ScottPlot.TickGenerators;
using Gibbs.Plots.Internals;

namespace Gibbs.Plots;

public static class Heatmap
{
    /// <summary>Picture size in pixels.</summary>
    public const int Width = 800, Height = 650;

    /// <summary>Writes <paramref name="values"/> as a heatmap with a colour bar to a PNG file (atomically).</summary>
    /// <param name="path">Output .png path.</param>
    /// <param name="values">(rows, columns); NaN cells are drawn grey and ignored for the colour range.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Optional x-axis (column) label.</param>
    /// <param name="yLabel">Optional y-axis (row) label.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> has no rows or no columns.</exception>
    public static void Save(string path, double[,] values, string title, string? xLabel = null, string? yLabel = null)
    {
        Check.OutputPath(path);
        using var plot = Build(values, title, xLabel, yLabel);
        Charts.Save(plot, path, Width, Height);
    }

    /// <summary>The chart Save draws (also a cell of a <see cref="Panel"/>).</summary>
    internal static Plot Build(double[,] values, string title, string? xLabel = null, string? yLabel = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (rows == 0 || cols == 0)
            throw new ArgumentException($"values is {rows}×{cols}; expected at least one row and one column", nameof(values));

        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        var data = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                double v = values[i, j];
                data[i, j] = double.IsFinite(v) ? v : double.NaN;
                if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            }

        bool none = lo > hi;
        if (none)   // ScottPlot cannot range an all-NaN array: draw zeros in the NaN grey instead
            data = new double[rows, cols];

        var plot = Charts.Create(none ? $"{title} (no finite values)" : title, xLabel, yLabel);
        var map = plot.Add.Heatmap(data);
        // By default ScottPlot centres cell (i, j) on x = j, y = rows − 1 − i (row 0 on top); the left axis
        // is labelled with row indices. (Setting Extent or inverting the y axis misplaces the cell edges.)
        map.NaNCellColor = ScottPlot.Colors.LightGray;
        if (none)
        {
            map.Colormap = new ScottPlot.Colormaps.CustomInterpolated([ScottPlot.Colors.LightGray, ScottPlot.Colors.LightGray]);
            map.ManualRange = new ScottPlot.Range(0, 1);
        }
        else if (lo < 0 && hi > 0)
        {
            double half = Math.Max(-lo, hi);
            map.Colormap = new ScottPlot.Colormaps.CustomInterpolated(
                [Color.FromHex("#2166AC"), Color.FromHex("#F7F7F7"), Color.FromHex("#B2182B")]);
            map.ManualRange = new ScottPlot.Range(-half, half);
        }
        else
        {
            map.Colormap = new ScottPlot.Colormaps.Viridis();
            map.ManualRange = lo < hi ? new ScottPlot.Range(lo, hi) : new ScottPlot.Range(lo - 0.5, hi + 0.5);
        }
        var bar = plot.Add.ColorBar(map);
        bar.Axis.TickLabelStyle.FontSize = 13;
        plot.HideGrid();
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = RowTicks(rows);
        plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
        return plot;
    }

    /// <summary>Ticks at rows 0, s, 2s, … (s = 1, 2, 5, 10, 20, … giving at most ~12 ticks), placed at y = rows − 1 − i.</summary>
    private static NumericManual RowTicks(int rows)
    {
        int step = 1;
        for (int k = 0; (rows - 1) / step > 12; k++)
            step = (k % 3) switch { 0 => step * 2, 1 => step * 5 / 2, _ => step * 2 };
        var ticks = new NumericManual();
        for (int i = 0; i < rows; i += step)
            ticks.AddMajor(rows - 1 - i, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return ticks;
    }
}
