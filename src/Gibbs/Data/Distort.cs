// Seeded distortions of square images: a rotation about the image centre followed by a sub-pixel shift, resampled
// bilinearly (zero outside the grid) — the "rotated, translated" copies of 000_c7b547386cdeff84.txt §1.6 that the
// symmetry statistics of §4 are meant to undo. Each image's draw comes from its own splitmix64 stream, For(seed, i),
// so the output depends only on the seed and the image's index: bit-identical for any thread count or batch order.
namespace Gibbs.Data;

/// <summary>One distortion: rotate by <paramref name="Degrees"/> about the grid centre ((side+1)/2, (side+1)/2), then shift
/// by (<paramref name="Dx"/>, <paramref name="Dy"/>) pixels (Dx rightwards, Dy downwards). Positive degrees turn +h towards
/// +v, i.e. clockwise as displayed, the sense in which <see cref="SymmetryStats.Axis"/> grows.</summary>
public readonly record struct ShiftRotation(double Dx, double Dy, double Degrees);

public static class Distort
{
    /// <summary>
    /// Distorts each of <paramref name="count"/> images [count × side²] by its own random rotation, uniform in
    /// [−maxDegrees, maxDegrees], and shift, each coordinate uniform in [−maxShift, maxShift] (continuous: sub-pixel shifts).
    /// Returns the new images [count × side²] and the draws [count]. Image i's draw is three uniforms from
    /// splitmix64 stream (seed, i), in the order Dx, Dy, Degrees.
    /// </summary>
    public static (float[] Images, ShiftRotation[] Draws) ShiftRotate(float[] images, int count, int side, double maxShift, double maxDegrees, ulong seed)
    {
        const string what = "Distort.ShiftRotate";
        SquareImages.Check(what, "image", images, count, side, nonNegative: false);
        if (!(maxShift >= 0 && maxShift <= side))
            throw new GibbsException(SquareImages.Inv($"{what}: maximum shift {maxShift} px is not in [0, {side}] (the image side); e.g. 4"));
        if (!(maxDegrees >= 0 && maxDegrees <= 180))
            throw new GibbsException(SquareImages.Inv($"{what}: maximum rotation {maxDegrees}° is not in [0, 180]; e.g. 30"));
        var draws = new ShiftRotation[count];
        for (int i = 0; i < count; i++)
        {
            var g = SplitMix64.For(seed, (ulong)i);
            double dx = maxShift * (2 * g.NextDouble() - 1), dy = maxShift * (2 * g.NextDouble() - 1);
            draws[i] = new ShiftRotation(dx, dy, maxDegrees * (2 * g.NextDouble() - 1));
        }
        return (Apply(images, count, side, draws), draws);
    }

    /// <summary><see cref="ShiftRotate(float[], int, int, double, double, ulong)"/> for a data set of square images
    /// (labels, shape and source kept; the name gains "-distorted").</summary>
    public static (Dataset Data, ShiftRotation[] Draws) ShiftRotate(Dataset d, double maxShift, double maxDegrees, ulong seed)
    {
        int side = SquareImages.SideOf("Distort.ShiftRotate", d);
        var (x, draws) = ShiftRotate(d.X, d.Count, side, maxShift, maxDegrees, seed);
        return (new Dataset(d.Name + "-distorted", x, d.Features, d.Labels, d.Classes, d.SampleShape, d.Source), draws);
    }

    /// <summary>Applies given distortions [count] to images [count × side²]; returns new images [count × side²].</summary>
    public static float[] Apply(float[] images, int count, int side, ShiftRotation[] draws)
    {
        const string what = "Distort.Apply";
        SquareImages.Check(what, "image", images, count, side, nonNegative: false);
        if (draws.Length != count)
            throw new GibbsException(SquareImages.Inv($"{what}: {draws.Length} distortions for {count} images; pass one ShiftRotation per image"));
        for (int i = 0; i < count; i++)
            if (!(double.IsFinite(draws[i].Dx) && double.IsFinite(draws[i].Dy) && double.IsFinite(draws[i].Degrees)))
                throw new GibbsException(SquareImages.Inv($"{what}: distortion {i} is {draws[i]}; shifts and angles must be finite"));
        int n = side * side;
        var dst = new float[(long)count * n];
        Internals.Par.Rows(count, 8L * n, (s, e) =>
        {
            for (int i = s; i < e; i++) ApplyOne(images.AsSpan(i * n, n), side, draws[i], dst.AsSpan(i * n, n));
        });
        return dst;
    }

    /// <summary>One image [side²] rotated by <paramref name="degrees"/> about its centre, then shifted by (dx, dy); a new array.</summary>
    public static float[] Apply(ReadOnlySpan<float> image, double dx, double dy, double degrees)
    {
        int side = SquareImages.SideOf("Distort.Apply", image.Length);
        return Apply(image.ToArray(), 1, side, [new ShiftRotation(dx, dy, degrees)]);
    }

    // Inverse mapping: output point p came from c + Rot(−θ)·(p − c − d).
    private static void ApplyOne(ReadOnlySpan<float> image, int side, ShiftRotation t, Span<float> dst)
    {
        double theta = t.Degrees * (Math.PI / 180), cos = Math.Cos(theta), sin = Math.Sin(theta);
        double c = (side - 1) / 2.0; // the centre (side+1)/2 in 1-based coordinates, 0-based here
        for (int row = 0; row < side; row++)
            for (int col = 0; col < side; col++)
            {
                double ph = col - c - t.Dx, pv = row - c - t.Dy;
                double x = c + cos * ph + sin * pv, y = c - sin * ph + cos * pv;
                dst[row * side + col] = (float)SquareImages.Bilinear(image, side, x, y);
            }
    }
}
