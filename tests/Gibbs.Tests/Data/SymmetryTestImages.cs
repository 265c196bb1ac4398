// Test images with known symmetry statistics (Gaussian blobs and rings rendered at pixel centres, in the seed's
// 1-based (h, v) coordinates), real digits from mnist10k (loaded once), and the error measures the symmetry tests use.
using Gibbs.Data;

namespace Gibbs.Tests.Data;

internal static class SymmetryTestImages
{
    private static readonly Lazy<Dataset> LazyMnist = new(Datasets.Mnist10k);

    /// <summary>All 10,000 mnist10k digits [10000 × 784], class by class.</summary>
    public static Dataset Mnist => LazyMnist.Value;

    /// <summary>An elliptical Gaussian [side²] centred at (h0, v0) with standard deviations s1 along the direction
    /// <paramref name="degrees"/> (from +h towards +v) and s2 across it.</summary>
    public static float[] Gauss(int side, double h0, double v0, double s1, double s2, double degrees, double amplitude = 1)
    {
        var img = new float[side * side];
        double a = degrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a);
        for (int row = 0; row < side; row++)
            for (int col = 0; col < side; col++)
            {
                double dh = col + 1 - h0, dv = row + 1 - v0;
                double u = c * dh + s * dv, w = -s * dh + c * dv;
                img[row * side + col] = (float)(amplitude * Math.Exp(-0.5 * (u * u / (s1 * s1) + w * w / (s2 * s2))));
            }
        return img;
    }

    /// <summary>A ring [side²] of radius r0 about (h0, v0) with a Gaussian profile of width sigma.</summary>
    public static float[] Ring(int side, double h0, double v0, double r0, double sigma)
    {
        var img = new float[side * side];
        for (int row = 0; row < side; row++)
            for (int col = 0; col < side; col++)
            {
                double rho = Math.Sqrt((col + 1 - h0) * (col + 1 - h0) + (row + 1 - v0) * (row + 1 - v0));
                img[row * side + col] = (float)Math.Exp(-0.5 * (rho - r0) * (rho - r0) / (sigma * sigma));
            }
        return img;
    }

    /// <summary>Image <paramref name="index"/> of a [count × s²] array embedded in the middle of a larger side × side grid.</summary>
    public static float[] Pad(float[] images, int index, int s, int side)
    {
        var img = new float[side * side];
        int o = (side - s) / 2;
        for (int row = 0; row < s; row++)
            images.AsSpan(index * s * s + row * s, s).CopyTo(img.AsSpan((row + o) * side + o, s));
        return img;
    }

    /// <summary>‖a − b‖₂ / ‖a‖₂ over image <paramref name="i"/> of two [count × n] arrays.</summary>
    public static double Rel(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int i = 0, int n = -1)
    {
        if (n < 0) n = a.Length;
        double se = 0, ss = 0;
        for (int k = i * n; k < (i + 1) * n; k++)
        {
            double x = a[k], y = b[k];
            se += (x - y) * (x - y);
            ss += x * x;
        }
        return Math.Sqrt(se / ss);
    }

    /// <summary>The difference of two angles modulo <paramref name="period"/>, in [−period/2, period/2].</summary>
    public static double AngleDiff(double a, double b, double period) => Math.IEEERemainder(a - b, period);

    public static double Median(IEnumerable<double> xs)
    {
        var a = xs.Order().ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : 0.5 * (a[a.Length / 2 - 1] + a[a.Length / 2]);
    }

    public static void AssertOneLine(string message, params string[] expect)
    {
        Assert.DoesNotContain('\n', message);
        foreach (var e in expect) Assert.Contains(e, message);
    }
}
