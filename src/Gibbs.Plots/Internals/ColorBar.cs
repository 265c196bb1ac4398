// The colour bar of an image grid: a vertical gradient beside the tiles, from the range's low end (bottom)
// to its high end (top), with the value labelled at both ends and in the middle (0 for a diverging map).
using System.Globalization;
using SkiaSharp;

namespace Gibbs.Plots.Internals;

internal static class ColorBar
{
    /// <summary>Draws the bar in the band right of the grid; (lo, hi) is the tile range (for diverging: 0 and the half-width).</summary>
    public static void Draw(SKBitmap bitmap, GridLayout layout, ImageGridOptions o, double lo, double hi)
    {
        bool diverging = o.ColorMap == ColorMap.Diverging;
        double bottom = diverging ? -hi : lo, top = hi;
        int x0 = layout.GridWidth + 8, barWidth = 16;
        int y0 = layout.TitleHeight + 8, y1 = bitmap.Height - 8;
        if (y1 - y0 < 20) y1 = y0 + 20;
        using var canvas = new SKCanvas(bitmap);
        using var white = new SKPaint { Color = SKColors.White };
        canvas.DrawRect(layout.GridWidth, layout.TitleHeight, layout.BarWidth, bitmap.Height - layout.TitleHeight, white);
        for (int y = y0; y <= y1; y++)
        {
            double t = (double)(y1 - y) / (y1 - y0);
            float v = (float)(bottom + t * (top - bottom));
            var color = diverging ? Colors.Diverging(v, hi) : Colors.Grey(v, lo, hi);
            using var paint = new SKPaint { Color = color };
            canvas.DrawRect(x0, y, barWidth, 1, paint);
        }
        using var frame = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        canvas.DrawRect(x0, y0, barWidth, y1 - y0, frame);
        using var font = new SKFont(PlotFonts.Typeface, 11) { Edging = SKFontEdging.Antialias };
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        void Label(double value, int y) => canvas.DrawText(Format(value), x0 + barWidth + 4, y + 4, SKTextAlign.Left, font, ink);
        Label(top, y0);
        Label((top + bottom) / 2, (y0 + y1) / 2);
        Label(bottom, y1);
    }

    private static string Format(double v) => Math.Abs(v) < 1e-12 ? "0" : v.ToString(Math.Abs(v) >= 100 || Math.Abs(v) < 0.01 ? "0.##E0" : "0.###", CultureInfo.InvariantCulture);
}
