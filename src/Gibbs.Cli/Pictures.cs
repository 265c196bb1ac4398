// Pictures the CLI writes, in one place: image grids (samples, filters, reconstructions) and curves.
// Backed by Gibbs.Plots (SkiaSharp image grids, ScottPlot line plots; headless).
using Gibbs.Plots;

namespace Gibbs.Cli;

internal static class Pictures
{
    /// <summary>Grey-level images [count × h·w] in [0,1] as a grid PNG.</summary>
    public static void Grid(string path, float[] images, int count, int height, int width, string? title = null, int? columns = null) =>
        ImageGrid.Save(path, images, count, height, width, ImageGridOptions.Images with { Title = title, Columns = columns });

    /// <summary>Signed weights (e.g. RBM filters, one column of W per tile) with a diverging colour map, each tile on its own scale.</summary>
    public static void Filters(string path, float[] tiles, int count, int height, int width, string? title = null) =>
        ImageGrid.Save(path, tiles, count, height, width, ImageGridOptions.Filters with { Title = title });

    /// <summary>Grey-level images, clamped to [0, 1] first (real-valued samples can leave the range).</summary>
    public static void GridClamped(string path, float[] images, int count, int height, int width, string? title = null) =>
        Grid(path, images.Select(v => Math.Clamp(v, 0f, 1f)).ToArray(), count, height, width, title);

    /// <summary>The first 100 filters of an RBM (columns of W as images) on one shared scale with a colour bar.</summary>
    public static void FiltersOf(string path, Gibbs.Models.Rbm.Rbm rbm, int side)
    {
        int nf = Math.Min(100, rbm.NHidden);
        var w = rbm.W.ToArray();
        var tiles = new float[nf * rbm.NVisible];
        for (int j = 0; j < nf; j++)
            for (int i = 0; i < rbm.NVisible; i++) tiles[j * rbm.NVisible + i] = w[i * rbm.NHidden + j];
        ImageGrid.Save(path, tiles, nf, side, side, ImageGridOptions.FiltersWithColorBar with { Title = $"first {nf} filters (columns of W)" });
    }

    /// <summary>Line plot of named curves over epochs (1, 2, …).</summary>
    public static void Curves(string path, string title, string yLabel, IReadOnlyList<(string Name, double[] Y)> curves) =>
        LinePlot.Save(path, title, "epoch", yLabel,
            curves.Select(c => new Series(c.Name, Enumerable.Range(1, c.Y.Length).Select(i => (double)i).ToArray(), c.Y)).ToList());
}
