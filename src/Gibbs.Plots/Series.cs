// One named curve for LinePlot: X and Y of equal length; non-finite points become gaps.
namespace Gibbs.Plots;

/// <summary>A named curve: <paramref name="X"/>[i], <paramref name="Y"/>[i] (equal lengths).</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">(n) abscissae.</param>
/// <param name="Y">(n) ordinates; NaN/±∞ (and values ≤ 0 on a log axis) break the line.</param>
public sealed record Series(string Name, double[] X, double[] Y)
{
    /// <summary>Draw markers only, no connecting line (simulated points beside a theory curve).</summary>
    public bool MarkersOnly { get; init; }

    /// <summary>The palette colour to use (so a curve and its points can share one); default: the series' position.</summary>
    public int? Color { get; init; }

    /// <summary>A curve over x = 0, 1, …, n−1 (epochs, iterations).</summary>
    public static Series Indexed(string name, double[] y) =>
        new(name, Enumerable.Range(0, y?.Length ?? 0).Select(i => (double)i).ToArray(), y!);
}
