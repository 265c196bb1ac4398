// SymmetryTransform's two directions, single images and batches. Both are inverse-mapped bilinear resampling
// (see SymmetryTransform.cs): Normalize reads the original at (H, V) + Rot(−ρ)·(h̃, ṽ)/s for every canonical pixel,
// Denormalize reads the canonical image at s·Rot(ρ)·(h − H, v − V) for every original pixel. Batches run in parallel
// over images; each image is computed by the same sequential code, so results do not depend on the thread count.
namespace Gibbs.Data;

public sealed partial class SymmetryTransform
{
    /// <summary>The canonical image [(2M+1)²] of one image [side²] whose statistics are <paramref name="stats"/>.</summary>
    public float[] Normalize(ReadOnlySpan<float> image, in SymmetryStats stats)
    {
        var dst = new float[CanonicalSide * CanonicalSide];
        Normalize(image, stats, dst);
        return dst;
    }

    /// <summary>Writes the canonical image [(2M+1)²] of <paramref name="image"/> [side²] into <paramref name="canonical"/>.
    /// Pixel values need only be finite here (the statistics are given); the whole of <paramref name="canonical"/> is written.</summary>
    public void Normalize(ReadOnlySpan<float> image, in SymmetryStats stats, Span<float> canonical) =>
        One("SymmetryTransform.Normalize", "image", image, Side, stats, "the canonical output", canonical, CanonicalSide, "(2M+1)²", NormalizeOne);

    /// <summary>Canonical images [count × (2M+1)²] of <paramref name="images"/> [count × side²] with their statistics [count].</summary>
    public float[] Normalize(float[] images, int count, SymmetryStats[] stats) =>
        Batch("SymmetryTransform.Normalize", "image", images, count, Side, CanonicalSide, stats, NormalizeOne);

    /// <summary>Computes the statistics of <paramref name="images"/> [count × side², intensities ≥ 0] and normalizes them:
    /// canonical images [count × (2M+1)²] and the statistics [count] that <see cref="Denormalize(float[], int, SymmetryStats[])"/> needs.</summary>
    public (float[] Canonical, SymmetryStats[] Stats) Normalize(float[] images, int count)
    {
        SquareImages.Check("SymmetryTransform.Normalize", "image", images, count, Side, nonNegative: true);
        var stats = SymmetryStatistics.Compute(images, count, Side);
        return (Normalize(images, count, stats), stats);
    }

    /// <summary>A data set of canonical images ([2M+1, 2M+1] samples, labels kept) and the statistics of its samples.</summary>
    public (Dataset Canonical, SymmetryStats[] Stats) Normalize(Dataset d)
    {
        int side = SquareImages.SideOf("SymmetryTransform.Normalize", d);
        if (side != Side)
            throw new GibbsException(SquareImages.Inv($"SymmetryTransform.Normalize: dataset '{d.Name}' has {side} × {side} images, but this transform is for {Side} × {Side}; build it with SymmetryTransform.ForData(dataset)"));
        var (x, stats) = Normalize(d.X, d.Count);
        int cs = CanonicalSide;
        return (new Dataset(d.Name + "-canonical", x, cs * cs, d.Labels, d.Classes, [cs, cs], d.Source), stats);
    }

    /// <summary>The image [side²] on the original grid of a canonical image [(2M+1)²], placed by <paramref name="stats"/>.</summary>
    public float[] Denormalize(ReadOnlySpan<float> canonical, in SymmetryStats stats)
    {
        var dst = new float[Side * Side];
        Denormalize(canonical, stats, dst);
        return dst;
    }

    /// <summary>Writes the image [side²] of <paramref name="canonical"/> [(2M+1)²] into <paramref name="image"/>.
    /// Canonical values need only be finite (a model's output may be signed).</summary>
    public void Denormalize(ReadOnlySpan<float> canonical, in SymmetryStats stats, Span<float> image) =>
        One("SymmetryTransform.Denormalize", "canonical image", canonical, CanonicalSide, stats, "the output image", image, Side, "side²", DenormalizeOne);

    /// <summary>Images [count × side²] of canonical images [count × (2M+1)²], each placed by its statistics [count].</summary>
    public float[] Denormalize(float[] canonical, int count, SymmetryStats[] stats) =>
        Batch("SymmetryTransform.Denormalize", "canonical image", canonical, count, CanonicalSide, Side, stats, DenormalizeOne);

    private delegate void OneImage(ReadOnlySpan<float> source, in SymmetryStats stats, Span<float> destination);

    // One image either way: the source checked (side × side, finite), the statistics and the destination's length.
    private static void One(string what, string sourceName, ReadOnlySpan<float> source, int sourceSide, in SymmetryStats stats,
                            string destinationName, Span<float> destination, int destinationSide, string lengthName, OneImage map)
    {
        SquareImages.Check(what, sourceName, source, 1, sourceSide, nonNegative: false);
        CheckStats(what, stats, 0);
        CheckLength(what, destinationName, destination.Length, destinationSide * destinationSide, lengthName);
        map(source, stats, destination);
    }

    // A batch either way, in parallel over images (each image by the same sequential code).
    private static float[] Batch(string what, string sourceName, float[] source, int count, int sourceSide, int destinationSide, SymmetryStats[] stats, OneImage map)
    {
        SquareImages.Check(what, sourceName, source, count, sourceSide, nonNegative: false);
        CheckStatsArray(what, stats, count);
        int n = sourceSide * sourceSide, dn = destinationSide * destinationSide;
        var dst = new float[(long)count * dn];
        Internals.Par.Rows(count, 8L * dn, (s, e) =>
        {
            for (int i = s; i < e; i++) map(source.AsSpan(i * n, n), stats[i], dst.AsSpan(i * dn, dn));
        });
        return dst;
    }

    private void NormalizeOne(ReadOnlySpan<float> image, in SymmetryStats st, Span<float> dst)
    {
        double inv = 1 / ScaleOf(st), rho = RotationOf(st), cos = Math.Cos(rho), sin = Math.Sin(rho);
        int cs = CanonicalSide;
        for (int i = 0; i < cs; i++)
            for (int j = 0; j < cs; j++)
            {
                double ht = j - M, vt = i - M;
                double dh = (cos * ht + sin * vt) * inv, dv = (cos * vt - sin * ht) * inv; // Rot(−ρ)·(h̃, ṽ)/s
                dst[i * cs + j] = (float)SquareImages.Bilinear(image, Side, st.H + dh - 1, st.V + dv - 1);
            }
    }

    private void DenormalizeOne(ReadOnlySpan<float> canonical, in SymmetryStats st, Span<float> dst)
    {
        double s = ScaleOf(st), rho = RotationOf(st), cos = Math.Cos(rho), sin = Math.Sin(rho);
        int cs = CanonicalSide;
        for (int row = 0; row < Side; row++)
            for (int col = 0; col < Side; col++)
            {
                double dh = col + 1 - st.H, dv = row + 1 - st.V;
                double ht = s * (cos * dh - sin * dv), vt = s * (sin * dh + cos * dv); // s·Rot(ρ)·(ĥ, v̂)
                dst[row * Side + col] = (float)SquareImages.Bilinear(canonical, cs, ht + M, vt + M);
            }
    }

    private static void CheckStats(string what, in SymmetryStats s, int index)
    {
        bool ok = double.IsFinite(s.H) && double.IsFinite(s.V) && s.R >= 0 && double.IsFinite(s.R) && double.IsFinite(s.Phi)
            && double.IsFinite(s.Axis) && s.Mass >= 0 && double.IsFinite(s.Mass);
        if (!ok)
            throw new GibbsException(SquareImages.Inv($"{what}: the statistics of image {index} are not valid ({s}); pass what SymmetryStatistics.Compute gives for these images"));
    }

    private static void CheckStatsArray(string what, SymmetryStats[] stats, int count)
    {
        if (stats.Length != count)
            throw new GibbsException(SquareImages.Inv($"{what}: {stats.Length} statistics for {count} images; pass one SymmetryStats per image (SymmetryStatistics.Compute)"));
        for (int i = 0; i < count; i++) CheckStats(what, stats[i], i);
    }

    private static void CheckLength(string what, string name, int length, int expected, string formula)
    {
        if (length != expected)
            throw new GibbsException(SquareImages.Inv($"{what}: {name} has {length} values, but needs {formula} = {expected}"));
    }
}
