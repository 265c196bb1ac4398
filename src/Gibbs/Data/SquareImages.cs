// Shared by the symmetry statistics, the symmetry transform and the distortions: the checks every square-image
// argument goes through (one-line GibbsExceptions naming image, row and column) and the bilinear sampler.
// Coordinates: pixel (row, column), 0-based in memory, is the point (h, v) = (column + 1, row + 1) of
// 000_c7b547386cdeff84.txt §4 — h horizontal (rightwards), v vertical (downwards), both 1..side.
using System.Globalization;

namespace Gibbs.Data;

internal static class SquareImages
{
    /// <summary>The side of a square image of <paramref name="pixels"/> pixels, or a one-line error.</summary>
    public static int SideOf(string what, int pixels)
    {
        int s = (int)Math.Round(Math.Sqrt(pixels));
        if (pixels < 1 || s * s != pixels)
        {
            int lo = (int)Math.Floor(Math.Sqrt(Math.Max(0, pixels)));
            throw new GibbsException(Inv($"{what}: an image of {pixels} pixels is not square ({lo} × {lo} = {lo * lo}, {lo + 1} × {lo + 1} = {(lo + 1) * (lo + 1)}); pass side × side pixels in row-major order"));
        }
        return s;
    }

    /// <summary>The side of a data set's square images ([s, s] samples, or s² features when the shape is flat).</summary>
    public static int SideOf(string what, Dataset d)
    {
        var shape = d.SampleShape;
        if (shape.Length == 2 && shape[0] == shape[1] && shape[0] * shape[1] == d.Features) return shape[0];
        if (shape.Length == 2)
            throw new GibbsException(Inv($"{what}: dataset '{d.Name}' has {shape[0]} × {shape[1]} images, which are not square; crop or pad them to side × side first"));
        int s = (int)Math.Round(Math.Sqrt(d.Features));
        if (s * s != d.Features || shape.Length > 2)
            throw new GibbsException(Inv($"{what}: dataset '{d.Name}' has samples of shape [{string.Join(", ", shape)}], not square images; symmetry operations need side × side images (e.g. [28, 28])"));
        return s;
    }

    /// <summary>Checks sizes and values of <paramref name="count"/> images of side² pixels: all finite, and ≥ 0 when
    /// <paramref name="nonNegative"/> (intensities used as weights). <paramref name="name"/> is what the images are.</summary>
    public static void Check(string what, string name, ReadOnlySpan<float> images, int count, int side, bool nonNegative)
    {
        if (side < 1) throw new GibbsException(Inv($"{what}: side is {side}; images must be at least 1 × 1 pixel"));
        if (count < 0) throw new GibbsException(Inv($"{what}: count is {count}; pass the number of images (≥ 0)"));
        long n = (long)side * side, expected = count * n;
        if (images.Length != expected)
            throw new GibbsException(Inv($"{what}: {name} has {images.Length} values, but {count} image(s) of {side} × {side} = {n} pixels need {expected}; pass count × side × side values (one row-major image after another)"));
        int bad = -1;
        for (int i = 0; i < images.Length; i++)
        {
            float x = images[i];
            if (!float.IsFinite(x) || (nonNegative && x < 0)) { bad = i; break; }
        }
        if (bad < 0) return;
        float v = images[bad];
        string where = Inv($"{name} {bad / n}, row {bad % n / side}, column {bad % side}");
        if (!float.IsFinite(v))
            throw new GibbsException(Inv($"{what}: {where} is {v}; remove or replace non-finite values first"));
        throw new GibbsException(Inv($"{what}: {where} is {v}, but intensities must be ≥ 0 (they weigh pixel coordinates, eq. 4.1); shift or clip the data to [0, ∞) first"));
    }

    /// <summary>
    /// The bilinear interpolation of a side × side image at the continuous 0-based point (x = column, y = row);
    /// pixels outside the grid are 0, so a point less than one pixel outside still sees its nearest pixels.
    /// </summary>
    public static double Bilinear(ReadOnlySpan<float> image, int side, double x, double y)
    {
        if (!(x > -1 && x < side && y > -1 && y < side)) return 0; // also NaN
        double fx = Math.Floor(x), fy = Math.Floor(y);
        int x0 = (int)fx, y0 = (int)fy;
        double ax = x - fx, ay = y - fy;
        double top = Pixel(image, side, x0, y0) * (1 - ax) + Pixel(image, side, x0 + 1, y0) * ax;
        double bottom = Pixel(image, side, x0, y0 + 1) * (1 - ax) + Pixel(image, side, x0 + 1, y0 + 1) * ax;
        return top * (1 - ay) + bottom * ay;
    }

    private static double Pixel(ReadOnlySpan<float> image, int side, int x, int y) =>
        (uint)x < (uint)side && (uint)y < (uint)side ? image[y * side + x] : 0.0;

    public static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
