// Options for LinePlot: log-scale x and y, markers, picture size.
namespace Gibbs.Plots;

/// <summary>Options for <see cref="LinePlot.Save"/>.</summary>
public sealed record LinePlotOptions
{
    /// <summary>Logarithmic y axis (decade ticks); points with y ≤ 0 are left out.</summary>
    public bool LogY { get; init; }

    /// <summary>Logarithmic x axis (decade ticks); points with x ≤ 0 are left out.</summary>
    public bool LogX { get; init; }

    /// <summary>Put the legend beside the chart (right), not over it — for many curves that would hide data.</summary>
    public bool LegendOutside { get; init; }

    /// <summary>Draw a marker at every point (off by default).</summary>
    public bool Markers { get; init; }

    /// <summary>Picture width in pixels.</summary>
    public int Width { get; init; } = 800;

    /// <summary>Picture height in pixels.</summary>
    public int Height { get; init; } = 500;
}
