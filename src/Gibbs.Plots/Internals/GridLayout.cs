// Pixel geometry of an image grid: tiles of (height·scale)×(width·scale) separated and framed by
// 1-pixel lines, below an optional title band. Tile i sits at row i / columns, column i % columns.
namespace Gibbs.Plots.Internals;

internal sealed record GridLayout(int Columns, int Rows, int Scale, int TileWidth, int TileHeight, int TitleHeight, int BarWidth = 0)
{
    public const float TitleFontSize = 18;

    /// <summary>Width of the colour-bar band on the right (bar and labels), when one is drawn.</summary>
    public const int ColorBarBand = 84;

    /// <summary>Width of the tile grid alone.</summary>
    public int GridWidth => Columns * (TileWidth + 1) + 1;

    public int ImageWidth => GridWidth + BarWidth;

    public int ImageHeight => TitleHeight + Rows * (TileHeight + 1) + 1;

    /// <summary>Top-left pixel of tile <paramref name="i"/>.</summary>
    public (int X, int Y) TileOrigin(int i) =>
        (1 + i % Columns * (TileWidth + 1), TitleHeight + 1 + i / Columns * (TileHeight + 1));

    public static GridLayout Create(int count, int height, int width, ImageGridOptions o)
    {
        if (o.Columns is { } c)
            Check.Positive(c, "options.Columns");
        if (o.Scale is { } s)
            Check.Positive(s, "options.Scale");
        Check.Positive(o.MinWidth, "options.MinWidth");
        if (o.Min is { } mn && !double.IsFinite(mn) || o.Max is { } mx && !double.IsFinite(mx))
            throw new ArgumentException($"options.Min/Max are {o.Min}/{o.Max}, expected finite values", "options");
        if (o.Min is { } lo && o.Max is { } hi && o.ColorMap == ColorMap.Greyscale && !(lo < hi))
            throw new ArgumentException($"options.Min = {lo} is not below options.Max = {hi}", "options");
        if (o.Normalisation == Normalisation.PerTile && (o.Min is not null || o.Max is not null))
            throw new ArgumentException("options.Min/Max fix a global range; they cannot be combined with Normalisation.PerTile", "options");
        if (o.ColorBar && o.Normalisation == Normalisation.PerTile)
            throw new ArgumentException("a colour bar shows one scale: it needs Normalisation.Global, not PerTile", "options");

        int columns = Math.Min(o.Columns ?? (int)Math.Ceiling(Math.Sqrt(count)), count);
        int rows = (count + columns - 1) / columns;
        long bare = (long)columns * width;
        int scale = o.Scale ?? (int)Math.Clamp((o.MinWidth - columns - 1 + bare - 1) / bare, 1, 64);
        int title = string.IsNullOrWhiteSpace(o.Title) ? 0 : (int)(TitleFontSize * 1.8f);
        int bar = o.ColorBar ? ColorBarBand : 0;
        ImageGrid.ThrowIfTooLarge(columns * ((long)width * scale + 1) + 1 + bar, title + rows * ((long)height * scale + 1) + 1);
        return new GridLayout(columns, rows, scale, width * scale, height * scale, title, bar);
    }
}
