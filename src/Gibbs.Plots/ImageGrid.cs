// Tiles many small images (MNIST digits, RBM filters, samples) into one PNG, drawing pixels directly
// with SkiaSharp: 1-pixel separators, integer upscaling, greyscale or blue–white–red, optional title and
// colour bar (Internals/ColorBar.cs). It is not a chart: no axes — one source pixel becomes one scale×scale block.
using SkiaSharp;
using Gibbs.Plots.Internals;

namespace Gibbs.Plots;

public static class ImageGrid
{
    private const long MaxPixels = 100_000_000;

    /// <summary>
    /// Writes <paramref name="count"/> images of <paramref name="height"/>×<paramref name="width"/> pixels
    /// as a grid to a PNG file (atomically; missing directories are created).
    /// </summary>
    /// <param name="path">Output .png path.</param>
    /// <param name="images">(count, height, width) row-major: image i, row r, column c at [(i·height + r)·width + c].</param>
    /// <param name="count">Number of images (≥ 1).</param>
    /// <param name="height">Rows per image (≥ 1).</param>
    /// <param name="width">Columns per image (≥ 1).</param>
    /// <param name="options">Layout and colours; default greyscale over the global data range. See
    /// <see cref="ImageGridOptions.Images"/> (fixed [0, 1]) and <see cref="ImageGridOptions.Filters"/> (signed weights).</param>
    /// <exception cref="ArgumentException">A size does not match, an option is out of range, or the picture would be too large.</exception>
    public static void Save(string path, ReadOnlySpan<float> images, int count, int height, int width, ImageGridOptions? options = null)
    {
        Check.OutputPath(path);
        Check.Positive(count, nameof(count));
        Check.Positive(height, nameof(height));
        Check.Positive(width, nameof(width));
        long expected = (long)count * height * width;
        if (images.Length != expected)
            throw new ArgumentException(
                $"images has {images.Length} values, expected count×height×width = {count}×{height}×{width} = {expected}", nameof(images));
        options ??= new ImageGridOptions();
        var layout = GridLayout.Create(count, height, width, options);
        var ranges = TileRanges(images, count, height * width, options);

        using var bitmap = new SKBitmap(new SKImageInfo(layout.ImageWidth, layout.ImageHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var sep = new SKColor(options.SeparatorGrey, options.SeparatorGrey, options.SeparatorGrey);
        bitmap.Erase(sep);
        var pixels = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes;
        for (int i = 0; i < count; i++)
        {
            var tile = images.Slice(i * height * width, height * width);
            var (x0, y0) = layout.TileOrigin(i);
            var (lo, hi) = ranges[i];
            for (int r = 0; r < height; r++)
                for (int c = 0; c < width; c++)
                {
                    float v = tile[r * width + c];
                    var color = options.ColorMap == ColorMap.Diverging ? Colors.Diverging(v, hi) : Colors.Grey(v, lo, hi);
                    FillBlock(pixels, stride, x0 + c * layout.Scale, y0 + r * layout.Scale, layout.Scale, color);
                }
        }
        if (layout.TitleHeight > 0)
            DrawTitle(bitmap, options.Title!, layout.TitleHeight);
        if (layout.BarWidth > 0)
            Internals.ColorBar.Draw(bitmap, layout, options, ranges[0].Lo, ranges[0].Hi);
        AtomicPng.Write(path, bitmap);
    }

    /// <summary>(lo, hi) per tile for greyscale; (0, half-width) for diverging.</summary>
    private static (double Lo, double Hi)[] TileRanges(ReadOnlySpan<float> images, int count, int size, ImageGridOptions o)
    {
        var ranges = new (double, double)[count];
        if (o.Normalisation == Normalisation.PerTile)
        {
            for (int i = 0; i < count; i++)
            {
                var tile = images.Slice(i * size, size);
                ranges[i] = o.ColorMap == ColorMap.Diverging ? (0, Colors.MaxAbs(tile)) : Colors.Range(tile);
            }
            return ranges;
        }
        (double, double) global;
        if (o.ColorMap == ColorMap.Diverging)
            global = (0, o.Min is null && o.Max is null ? Colors.MaxAbs(images) : Math.Max(Math.Abs(o.Min ?? 0), Math.Abs(o.Max ?? 0)));
        else
        {
            var (dmin, dmax) = Colors.Range(images);
            global = (o.Min ?? dmin, o.Max ?? dmax);
        }
        Array.Fill(ranges, global);
        return ranges;
    }

    private static void FillBlock(Span<byte> pixels, int stride, int x, int y, int scale, SKColor color)
    {
        for (int dy = 0; dy < scale; dy++)
        {
            var row = pixels.Slice((y + dy) * stride + x * 4, scale * 4);
            for (int k = 0; k < row.Length; k += 4)
            {
                row[k] = color.Red;
                row[k + 1] = color.Green;
                row[k + 2] = color.Blue;
                row[k + 3] = 255;
            }
        }
    }

    private static void DrawTitle(SKBitmap bitmap, string title, int bandHeight)
    {
        using var canvas = new SKCanvas(bitmap);
        using var white = new SKPaint { Color = SKColors.White };
        canvas.DrawRect(0, 0, bitmap.Width, bandHeight, white);
        float size = GridLayout.TitleFontSize;
        using var font = new SKFont(PlotFonts.Typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = true };
        float room = bitmap.Width - 8;
        float measured = font.MeasureText(title);
        if (measured > room)
            font.Size = Math.Max(8, size * room / measured);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        font.GetFontMetrics(out var m);
        float baseline = (bandHeight - (m.Descent - m.Ascent)) / 2 - m.Ascent;
        canvas.DrawText(title, bitmap.Width / 2f, baseline, SKTextAlign.Center, font, ink);
    }

    internal static void ThrowIfTooLarge(long w, long h)
    {
        if (w * h > MaxPixels)
            throw new ArgumentException($"the grid would be {w}×{h} pixels, more than {MaxPixels:N0}; use a smaller Scale or fewer images", "options");
    }
}
