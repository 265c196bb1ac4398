// Options for ImageGrid: layout (columns, upscaling), colour map and how values map to colours.
namespace Gibbs.Plots;

/// <summary>How tile values are turned into colours.</summary>
public enum ColorMap
{
    /// <summary>Black (low) to white (high).</summary>
    Greyscale,

    /// <summary>Blue (negative) – white (zero) – red (positive), symmetric about zero; for signed weights.</summary>
    Diverging,
}

/// <summary>Which values set the colour range.</summary>
public enum Normalisation
{
    /// <summary>One range for all tiles: <see cref="ImageGridOptions.Min"/>/<see cref="ImageGridOptions.Max"/>, else the data range (±max|x| for <see cref="ColorMap.Diverging"/>).</summary>
    Global,

    /// <summary>Each tile uses its own range: [min, max] for greyscale, ±max|x| for diverging.</summary>
    PerTile,
}

/// <summary>Options for <see cref="ImageGrid.Save"/>. The defaults suit arbitrary data (global data range).</summary>
public sealed record ImageGridOptions
{
    /// <summary>Tiles per row; default ⌈√count⌉.</summary>
    public int? Columns { get; init; }

    /// <summary>Integer upscaling of every tile pixel; default the smallest factor making the picture ≥ <see cref="MinWidth"/> pixels wide.</summary>
    public int? Scale { get; init; }

    /// <summary>Target width, in pixels, for the default <see cref="Scale"/>.</summary>
    public int MinWidth { get; init; } = 400;

    /// <summary>Colour map; <see cref="ColorMap.Diverging"/> always uses a range symmetric about zero.</summary>
    public ColorMap ColorMap { get; init; } = ColorMap.Greyscale;

    /// <summary>Global or per-tile colour range.</summary>
    public Normalisation Normalisation { get; init; } = Normalisation.Global;

    /// <summary>Fixed lower end of the global range (greyscale); null = data minimum.</summary>
    public double? Min { get; init; }

    /// <summary>Fixed upper end of the global range (greyscale), or the half-width ±Max for diverging; null = from data.</summary>
    public double? Max { get; init; }

    /// <summary>
    /// Draw a colour bar with the value scale on the right (needs <see cref="Normalisation.Global"/>): the gradient from the
    /// range's low to high end, labelled at both ends and the middle (0 for diverging maps).
    /// </summary>
    public bool ColorBar { get; init; }

    /// <summary>Optional title drawn above the grid.</summary>
    public string? Title { get; init; }

    /// <summary>Grey level (0–255) of the 1-pixel separators between tiles and around the edge.</summary>
    public byte SeparatorGrey { get; init; } = 128;

    /// <summary>Images with values in [0, 1] (pixel intensities, probabilities): fixed greyscale range [0, 1].</summary>
    public static ImageGridOptions Images { get; } = new() { Min = 0, Max = 1 };

    /// <summary>Signed filters (RBM weights): diverging map, each tile symmetric about zero on its own scale.</summary>
    public static ImageGridOptions Filters { get; } = new() { ColorMap = ColorMap.Diverging, Normalisation = Normalisation.PerTile };

    /// <summary>Signed filters on one shared scale ±max|w| with a labelled colour bar, so tiles can be compared.</summary>
    public static ImageGridOptions FiltersWithColorBar { get; } = new() { ColorMap = ColorMap.Diverging, Normalisation = Normalisation.Global, ColorBar = true };
}
