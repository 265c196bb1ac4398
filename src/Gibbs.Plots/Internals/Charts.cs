// Shared ScottPlot plumbing: a plot with a readable font and sizes, and an atomic PNG save.
using ScottPlot;

namespace Gibbs.Plots.Internals;

internal static class Charts
{
    /// <summary>A new plot using the resolved sans-serif font (see <see cref="PlotFonts"/>).</summary>
    public static Plot Create(string title, string? xLabel, string? yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(PlotFonts.Family);
        plot.Title(title ?? "", size: 18);
        if (!string.IsNullOrEmpty(xLabel))
            plot.XLabel(xLabel, size: 15);
        if (!string.IsNullOrEmpty(yLabel))
            plot.YLabel(yLabel, size: 15);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Legend.FontSize = 14;
        return plot;
    }

    /// <summary>Renders <paramref name="plot"/> at <paramref name="width"/>×<paramref name="height"/> and writes it atomically.</summary>
    public static void Save(Plot plot, string path, int width, int height)
    {
        var bytes = plot.GetImage(width, height).GetImageBytes(ImageFormat.Png);
        AtomicPng.Write(path, bytes);
    }

    /// <summary>Throws unless a picture size is sensible (16…10,000 pixels a side).</summary>
    public static void CheckSize(int width, int height)
    {
        if (width is < 16 or > 10_000 || height is < 16 or > 10_000)
            throw new ArgumentException($"size is {width}×{height} pixels, expected 16…10000 on each side", "options");
    }
}
