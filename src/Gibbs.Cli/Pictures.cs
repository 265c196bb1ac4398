// Pictures the CLI writes, in one place: image grids (samples, filters, reconstructions) and curves.
// Backed by Gibbs.Plots (ScottPlot + SkiaSharp, headless).
namespace Gibbs.Cli;

internal static class Pictures
{
    /// <summary>Grey-level images [count × h·w] in [0,1] as a grid PNG.</summary>
    public static void Grid(string path, float[] images, int count, int height, int width, string? title = null)
    {
    }

    /// <summary>Signed weights (e.g. RBM filters, one column of W per tile) with a diverging colour map.</summary>
    public static void Filters(string path, float[] tiles, int count, int height, int width, string? title = null)
    {
    }

    /// <summary>Line plot of named curves over epochs.</summary>
    public static void Curves(string path, string title, string yLabel, IReadOnlyList<(string Name, double[] Y)> curves)
    {
    }
}
