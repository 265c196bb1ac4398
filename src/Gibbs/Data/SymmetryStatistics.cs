// Latent symmetry statistics of square images, 000_c7b547386cdeff84.txt §4 (eqs. 4.1–4.3; §1.6 for why):
// the centre of mass (h, v), the scale r and the angle φ of each image, plus the principal-axis angle that
// the symmetry transform actually undoes. Not here: the un-shift/un-scale/un-rotate mapping (SymmetryTransform.cs)
// and random distortions (Distort.cs). Images are row-major float[side²] with intensities ≥ 0.
namespace Gibbs.Data;

/// <summary>
/// The symmetry statistics of one image (000_c7b547386cdeff84.txt §4). Coordinates are the seed's: pixel
/// (row, column) sits at h = column + 1 (horizontal, rightwards) and v = row + 1 (vertical, downwards), 1..side.
/// Angles are measured from +h towards +v, so a positive angle turns clockwise as an image is displayed.
/// </summary>
/// <param name="H">Centre of mass, horizontal: Σ xᵢhᵢ / Σ xᵢ (eq. 4.1), in [1, side].</param>
/// <param name="V">Centre of mass, vertical: Σ xᵢvᵢ / Σ xᵢ (eq. 4.1), in [1, side].</param>
/// <param name="R">Scale: the intensity-weighted mean distance of the pixels from (H, V) (eq. 4.3), ≥ 0.</param>
/// <param name="Phi">The seed's angle, eq. 4.3 as written: the intensity-weighted mean of atan2(v̂ᵢ, ĥᵢ), in (−π, π].
/// It is <b>not</b> rotation-covariant for most images: atan2 jumps by 2π across the −h half-axis, so rotating the
/// image moves pixels across the cut and φ jumps: a horizontal bar has φ = π/2, and the same bar turned by 10° has
/// φ ≈ −80° if it is thin (its halves at +10° and −170°), −16° as a pixelated bar whose blurred half straddles the cut;
/// a covariant angle would be 100°. Kept for fidelity to the seed; the symmetry transform undoes <see cref="Axis"/> by default.</param>
/// <param name="Axis">The principal-axis angle ½·atan2(2μ₁₁, μ₂₀ − μ₀₂) of the weighted second central moments
/// (μ₂₀ = Σ xĥ²/Σ x, μ₀₂ = Σ xv̂²/Σ x, μ₁₁ = Σ xĥv̂/Σ x), in (−π/2, π/2]: the direction of the image's long axis.
/// Rotating an image by θ changes it by exactly θ modulo π (the moments rotate as a tensor), which is what un-rotating
/// needs. It is only defined modulo π (an axis has no head), and it is meaningless when <see cref="Elongation"/> is 0.</param>
/// <param name="Elongation">(λ₁ − λ₂)/(λ₁ + λ₂) for the eigenvalues λ₁ ≥ λ₂ of the moment matrix, in [0, 1]: 0 for a
/// round blob (no axis), 1 for a straight line. How far <see cref="Axis"/> can be trusted.</param>
/// <param name="Mass">Σ xᵢ. Zero for an all-zero image, whose statistics are defined (not NaN) as H = V = (side + 1)/2,
/// R = Phi = Axis = Elongation = 0: the centre of an empty grid; every symmetry maps the zero image to itself.</param>
public readonly record struct SymmetryStats(double H, double V, double R, double Phi, double Axis, double Elongation, double Mass)
{
    /// <summary>True for an all-zero image (see <see cref="Mass"/>).</summary>
    public bool IsEmpty => Mass == 0;
}

public static class SymmetryStatistics
{
    /// <summary>The statistics of one square image [side²] (side = √length). Throws a one-line GibbsException when the
    /// length is not a square, or a pixel is negative or not finite.</summary>
    public static SymmetryStats Compute(ReadOnlySpan<float> image)
    {
        const string what = "symmetry statistics";
        int side = SquareImages.SideOf(what, image.Length);
        SquareImages.Check(what, "image", image, 1, side, nonNegative: true);
        return Of(image, side);
    }

    /// <summary>The statistics of <paramref name="count"/> images, row-major [count × side²]; result [count].
    /// Parallel over images; each image is computed by the same sequential code, so results do not depend on threads.</summary>
    public static SymmetryStats[] Compute(float[] images, int count, int side)
    {
        SquareImages.Check("symmetry statistics", "image", images, count, side, nonNegative: true);
        var stats = new SymmetryStats[count];
        int n = side * side;
        Internals.Par.Rows(count, 8L * n, (s, e) =>
        {
            for (int i = s; i < e; i++) stats[i] = Of(images.AsSpan(i * n, n), side);
        });
        return stats;
    }

    /// <summary>The statistics of every sample of a data set of square images ([side, side] or side² features).</summary>
    public static SymmetryStats[] Compute(Dataset d) => Compute(d.X, d.Count, SquareImages.SideOf("symmetry statistics", d));

    /// <summary>The statistics of a checked image (eqs. 4.1–4.3 and the principal axis), accumulated in double.</summary>
    internal static SymmetryStats Of(ReadOnlySpan<float> image, int side)
    {
        double mass = 0, sh = 0, sv = 0;
        for (int row = 0; row < side; row++)
            for (int col = 0; col < side; col++)
            {
                double x = image[row * side + col];
                mass += x;
                sh += x * (col + 1);
                sv += x * (row + 1);
            }
        if (!(mass > 0)) return new SymmetryStats((side + 1) / 2.0, (side + 1) / 2.0, 0, 0, 0, 0, 0);
        double h = sh / mass, v = sv / mass;
        double sr = 0, sphi = 0, m20 = 0, m02 = 0, m11 = 0;
        for (int row = 0; row < side; row++)
            for (int col = 0; col < side; col++)
            {
                double x = image[row * side + col];
                if (x == 0) continue;
                double dh = col + 1 - h, dv = row + 1 - v;
                sr += x * Math.Sqrt(dh * dh + dv * dv);
                sphi += x * Math.Atan2(dv + 0.0, dh + 0.0); // + 0.0: −0 → +0, so the cut stays at +π (range (−π, π])
                m20 += x * dh * dh;
                m02 += x * dv * dv;
                m11 += x * dh * dv;
            }
        m20 /= mass; m02 /= mass; m11 /= mass;
        double trace = m20 + m02, diff = m20 - m02;
        double axis = 0.5 * Math.Atan2(2 * m11 + 0.0, diff);
        double elongation = trace > 0 ? Math.Min(1, Math.Sqrt(diff * diff + 4 * m11 * m11) / trace) : 0;
        return new SymmetryStats(h, v, sr / mass, sphi / mass, axis, elongation, mass);
    }
}
