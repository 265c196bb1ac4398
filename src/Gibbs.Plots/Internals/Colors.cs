// Colour maps for directly drawn pixels: greyscale and a blue–white–red diverging map (ColorBrewer
// RdBu end points), plus the range logic (global, per tile, symmetric) that feeds them.
using SkiaSharp;

namespace Gibbs.Plots.Internals;

internal static class Colors
{
    /// <summary>Colour of NaN/±∞ pixels: magenta, so they are never mistaken for data.</summary>
    public static readonly SKColor NonFinite = new(255, 0, 255);

    private static readonly SKColor Blue = new(33, 102, 172);
    private static readonly SKColor Red = new(178, 24, 43);

    /// <summary>Grey level for <paramref name="v"/> in [lo, hi] (clamped); mid-grey when the range is empty.</summary>
    public static SKColor Grey(float v, double lo, double hi)
    {
        if (!float.IsFinite(v))
            return NonFinite;
        double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
        byte g = (byte)Math.Round(255 * Math.Clamp(t, 0, 1));
        return new SKColor(g, g, g);
    }

    /// <summary>Blue for −<paramref name="half"/>, white for 0, red for +<paramref name="half"/> (clamped); white when half = 0.</summary>
    public static SKColor Diverging(float v, double half)
    {
        if (!float.IsFinite(v))
            return NonFinite;
        double t = half > 0 ? Math.Clamp(v / half, -1, 1) : 0;
        var end = t < 0 ? Blue : Red;
        double a = Math.Abs(t);
        return new SKColor(Mix(255, end.Red, a), Mix(255, end.Green, a), Mix(255, end.Blue, a));
    }

    private static byte Mix(byte from, byte to, double a) => (byte)Math.Round(from + (to - from) * a);

    /// <summary>Finite minimum and maximum of <paramref name="values"/>; (0, 0) when none is finite.</summary>
    public static (double Min, double Max) Range(ReadOnlySpan<float> values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
                continue;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        return lo <= hi ? (lo, hi) : (0, 0);
    }

    /// <summary>max |x| over the finite values; 0 when none.</summary>
    public static double MaxAbs(ReadOnlySpan<float> values)
    {
        double m = 0;
        foreach (var v in values)
            if (float.IsFinite(v) && Math.Abs(v) > m)
                m = Math.Abs(v);
        return m;
    }
}
