// The un-shift / un-scale / un-rotate mapping of 000_c7b547386cdeff84.txt §4 (eqs. 4.4–4.5) and its inverse, as a data
// transform: Normalize puts an image's centre of mass at the centre of a (2M+1)×(2M+1) canonical grid, scales it by
// C/r and turns it by the angle the statistics give; Denormalize puts a canonical image back on the original grid.
//
// Deliberately not the seed's index map (4.5): rounding each source pixel to a target index is a forward map, which
// leaves holes (target pixels no source pixel rounds to) when it magnifies and collides when it shrinks. Both
// directions here are inverse-mapped resampling: each output pixel asks where it comes from and reads that point
// bilinearly (zero outside the grid). The price is a little blur, measured in SymmetryTransformTests: Denormalize ∘
// Normalize is within 3% (relative RMS) of smooth images; on mnist10k digits it is 19% (median) — a half-pixel shift
// there and back already costs 25% on such sharp strokes — and 10% on a 2× finer canonical grid (2C, M = side).
namespace Gibbs.Data;

/// <summary>Which angle <see cref="SymmetryTransform"/> undoes.</summary>
public enum SymmetryAngle
{
    /// <summary>The principal axis (<see cref="SymmetryStats.Axis"/>), turned onto <see cref="SymmetryTransform.AxisTarget"/>.
    /// Rotation-covariant, so a rotated copy of an image normalizes to (nearly) the same canonical image.</summary>
    PrincipalAxis,
    /// <summary>The seed's φ (<see cref="SymmetryStats.Phi"/>, eq. 4.3), rotated by −φ as in eq. 4.4. Faithful to the
    /// seed, but φ is not rotation-covariant, so this does not make images rotation-invariant.</summary>
    SeedMeanAtan2,
    /// <summary>No rotation: un-shift and un-scale only.</summary>
    None,
}

/// <summary>
/// Maps square images [side²] to canonical images [(2M+1)²] and back (000_c7b547386cdeff84.txt eq. 4.4). With
/// ĥ = h − H, v̂ = v − V, the canonical coordinates of a point are (h̃, ṽ) = s·Rot(ρ)·(ĥ, v̂), where s = C / max(R, MinR)
/// (1 when <see cref="Unscale"/> is off) and ρ the rotation of <see cref="RotationOf"/>; the canonical grid's pixel
/// (row i, column j) is the point (h̃, ṽ) = (j − M, i − M). Pixel values are resampled, not mass-preserving: an image
/// magnified by s keeps its grey levels and gains s² in total mass.
/// </summary>
public sealed partial class SymmetryTransform
{
    /// <param name="side">Side of the original images (≥ 1).</param>
    /// <param name="c">The canonical scale C: an image of scale r is magnified by C/r, so every canonical image has r ≈ C (&gt; 0, pixels).</param>
    /// <param name="m">Half-width M of the canonical grid, which is (2M+1)×(2M+1); default the smallest M with 2M+1 ≥ side.</param>
    /// <param name="minR">Lower bound on r in the magnification C / max(r, MinR) (the seed's footnote 9: without one,
    /// a thin stroke or a single pixel is blown up past the grid); default C/2, i.e. at most 2× magnification.</param>
    /// <param name="angle">Which angle to undo (default the covariant principal axis).</param>
    /// <param name="axisTarget">Where <see cref="SymmetryAngle.PrincipalAxis"/> turns the axis to, in radians (default π/2:
    /// vertical). The axis is an angle modulo π, so each image is turned by the smallest rotation, in (−π/2, π/2], that puts
    /// its axis on the target; images whose axis is near perpendicular to the target may come out upside down relative to
    /// a slightly rotated copy. The seed's literal choice (rotate by −angle: target 0, horizontal) puts that cut exactly where
    /// upright data (digits) have their axes; the default vertical target puts it where upright data have none. Measured on
    /// mnist10k digits shifted ±4 px and turned ±30°: 1% come out flipped with the vertical target, 20% with the horizontal.</param>
    /// <param name="unscale">Whether to scale by C / max(r, MinR) (default) or leave the size alone (s = 1).</param>
    public SymmetryTransform(int side, double c, int? m = null, double? minR = null, SymmetryAngle angle = SymmetryAngle.PrincipalAxis,
        double axisTarget = Math.PI / 2, bool unscale = true)
    {
        const string what = "symmetry transform";
        if (side < 1) throw new GibbsException(SquareImages.Inv($"{what}: side is {side}; images must be at least 1 × 1 pixel"));
        if (!(c > 0 && double.IsFinite(c))) throw new GibbsException(SquareImages.Inv($"{what}: C is {c}; the canonical scale must be a positive number of pixels (e.g. the data's median r, as ForData chooses)"));
        int mm = m ?? side / 2;
        if (mm < 0 || mm > 4096) throw new GibbsException(SquareImages.Inv($"{what}: M is {mm}; the canonical grid (2M+1)² needs 0 ≤ M ≤ 4096 (default: the smallest M with 2M+1 ≥ side)"));
        double lower = minR ?? c / 2;
        if (!(lower > 0 && double.IsFinite(lower))) throw new GibbsException(SquareImages.Inv($"{what}: MinR is {lower}; the lower bound on r must be a positive number of pixels (default C/2: at most 2× magnification)"));
        if (!Enum.IsDefined(angle)) throw new GibbsException(SquareImages.Inv($"{what}: unknown angle {(int)angle}; use PrincipalAxis, SeedMeanAtan2 or None"));
        if (!double.IsFinite(axisTarget)) throw new GibbsException(SquareImages.Inv($"{what}: the axis target is {axisTarget}; give an angle in radians"));
        Side = side; C = c; M = mm; MinR = lower; Angle = angle; AxisTarget = axisTarget; Unscale = unscale;
    }

    /// <summary>A transform for these images: C = the median r of the non-empty images (a typical image keeps its size,
    /// so canonical images fill the canonical grid as the originals fill theirs), M and MinR as the constructor's defaults.
    /// <paramref name="images"/> is [count × side²] with intensities ≥ 0. For a round trip that keeps more detail use a 2×
    /// finer canonical grid: <c>new SymmetryTransform(side, 2 * t.C, m: side)</c>.</summary>
    public static SymmetryTransform ForData(float[] images, int count, int side, SymmetryAngle angle = SymmetryAngle.PrincipalAxis) =>
        ForStats(SymmetryStatistics.Compute(images, count, side), side, angle);

    /// <summary><see cref="ForData(float[], int, int, SymmetryAngle)"/> for a data set of square images.</summary>
    public static SymmetryTransform ForData(Dataset d, SymmetryAngle angle = SymmetryAngle.PrincipalAxis) =>
        ForStats(SymmetryStatistics.Compute(d), SquareImages.SideOf("symmetry transform", d), angle);

    private static SymmetryTransform ForStats(SymmetryStats[] stats, int side, SymmetryAngle angle)
    {
        var r = stats.Where(s => !s.IsEmpty && s.R > 0).Select(s => s.R).Order().ToArray();
        if (r.Length == 0) throw new GibbsException("symmetry transform: every image is empty (or a single pixel), so there is no typical scale r; give C to the constructor instead");
        double median = r.Length % 2 == 1 ? r[r.Length / 2] : 0.5 * (r[r.Length / 2 - 1] + r[r.Length / 2]);
        return new SymmetryTransform(side, median, angle: angle);
    }

    /// <summary>Side of the original images.</summary>
    public int Side { get; }
    /// <summary>Canonical scale C (pixels).</summary>
    public double C { get; }
    /// <summary>Half-width M: canonical images are (2M+1)×(2M+1).</summary>
    public int M { get; }
    /// <summary>Side 2M+1 of the canonical images.</summary>
    public int CanonicalSide => 2 * M + 1;
    /// <summary>Lower bound on r in the magnification C / max(r, MinR).</summary>
    public double MinR { get; }
    public SymmetryAngle Angle { get; }
    /// <summary>The angle (radians) the principal axis is turned onto.</summary>
    public double AxisTarget { get; }
    public bool Unscale { get; }

    /// <summary>The magnification s = C / max(R, MinR) (1 for an empty image or when <see cref="Unscale"/> is off).</summary>
    public double ScaleOf(in SymmetryStats s) => !Unscale || s.IsEmpty ? 1 : C / Math.Max(s.R, MinR);

    /// <summary>The rotation ρ Normalize applies (radians, positive turns +h towards +v): wrap(AxisTarget − Axis) into
    /// (−π/2, π/2] for the principal axis, −Phi for the seed's angle (eq. 4.4), 0 for none or an empty image.</summary>
    public double RotationOf(in SymmetryStats s)
    {
        if (s.IsEmpty) return 0;
        switch (Angle)
        {
            case SymmetryAngle.PrincipalAxis:
                double d = Math.IEEERemainder(AxisTarget - s.Axis, Math.PI); // [−π/2, π/2]
                return d == -Math.PI / 2 ? Math.PI / 2 : d;
            case SymmetryAngle.SeedMeanAtan2: return -s.Phi;
            default: return 0;
        }
    }
}
