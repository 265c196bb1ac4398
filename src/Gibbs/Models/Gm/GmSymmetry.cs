// Symmetry statistics as latents (000_c7b547386cdeff84.txt §1.6, §4): four extra latent units for the centre of mass
// (h, v), the scale r and the angle of each image. Their posterior locations are the image's statistics (computed,
// not learned; standardised by the training set's mean and standard deviation), their scales are learned per
// statistic, and they share the model's latent family and prior — so their generative error enters the bound like
// any latent's. The angle is the principal axis (rotation-covariant; SymmetryStats.Axis) rather than eq. 4.3's mean
// atan2, which is not. Two ways to use them:
//   Latents   — appended to the learned latents and fed to the decoder, which sees and draws original images; the
//               decoder may or may not learn to use them (measured: it ignores h).
//   Canonical — the seed's recipe (§4: "apply mapping (4.5) at the input and its inverse at the output"): the encoder
//               sees the un-shifted, un-scaled, un-rotated image (SymmetryTransform.Normalize), the decoder draws a
//               canonical image from the learned latents alone, and GmCanonicalWarp places it on the original grid
//               by the sampled (h, v, r, ρ), ρ the rotation Normalize applied. The likelihood stays that of the
//               original image, and varying h alone gives horizontally shifted replicas by construction.
using Gibbs.Data;

namespace Gibbs.Models.Gm;

/// <summary>How a Gibbs machine uses its symmetry statistics (see GmSymmetry).</summary>
public enum GmSymmetryMode { Latents, Canonical }

/// <param name="Side">Side of the square images.</param>
/// <param name="Mean">Training-set mean of the four raw statistics (the standardisation).</param>
/// <param name="Sd">Training-set standard deviation of the four raw statistics.</param>
/// <param name="Frame">The canonical frame (Canonical mode), or null (Latents mode).</param>
/// <param name="EdgeMean">The training images' mean intensity on their border pixels: where the canonical
/// background (the value of pixels no canonical pixel covers) starts, since one scalar learns slowly under Adam.</param>
public sealed record GmSymmetry(int Side, float[] Mean, float[] Sd, SymmetryTransform? Frame = null, float EdgeMean = 0f)
{
    public const int Units = 4;

    public GmSymmetryMode Mode => Frame is null ? GmSymmetryMode.Latents : GmSymmetryMode.Canonical;

    /// <summary>The four statistics' names: the axis angle as a latent, the rotation that normalises in canonical mode.</summary>
    public string[] Names => Frame is null ? ["h", "v", "r", "angle"] : ["h", "v", "r", "rotation"];

    /// <summary>The standardisation of the four statistics over <paramref name="images"/> [count × side²] (values ≥ 0);
    /// in canonical mode also the frame (SymmetryTransform.ForData: C = the median r, a (2M+1)² grid just covering the image).</summary>
    public static GmSymmetry Fit(float[] images, int features, GmSymmetryMode mode = GmSymmetryMode.Latents)
    {
        int side = (int)Math.Round(Math.Sqrt(features));
        if (side * side != features) throw new GibbsException($"symmetry statistics need square images; {features} features are not a square");
        int count = images.Length / features;
        var frame = mode == GmSymmetryMode.Canonical ? SymmetryTransform.ForData(images, count, side) : null;
        var raw = Raw(SymmetryStatistics.Compute(images, count, side), frame);
        var mean = new float[Units];
        var sd = new float[Units];
        for (int u = 0; u < Units; u++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < count; i++) m += raw[i * Units + u];
            m /= count;
            for (int i = 0; i < count; i++) v += (raw[i * Units + u] - m) * (raw[i * Units + u] - m);
            mean[u] = (float)m;
            sd[u] = (float)Math.Max(Math.Sqrt(v / Math.Max(1, count - 1)), 1e-3);
        }
        double edge = 0;
        long edges = 0;
        for (int i = 0; i < count; i++)
            for (int p = 0; p < features; p++)
                if (p / side == 0 || p / side == side - 1 || p % side == 0 || p % side == side - 1) { edge += images[(long)i * features + p]; edges++; }
        return new GmSymmetry(side, mean, sd, frame, (float)(edge / Math.Max(1, edges)));
    }

    /// <summary>The raw statistics per image, [count × 4] row-major: (h, v, r, axis angle) without a frame; with one,
    /// (h, v, r, ρ) with ρ the rotation the frame's Normalize applies, and r = C for an empty image (magnification 1,
    /// as Normalize uses), so GmCanonicalWarp undoes exactly what Normalize did.</summary>
    internal static float[] Raw(SymmetryStats[] stats, SymmetryTransform? frame)
    {
        var raw = new float[stats.Length * Units];
        for (int i = 0; i < stats.Length; i++)
        {
            raw[i * Units] = (float)stats[i].H;
            raw[i * Units + 1] = (float)stats[i].V;
            raw[i * Units + 2] = (float)(frame is not null && stats[i].IsEmpty ? frame.C : stats[i].R);
            raw[i * Units + 3] = (float)(frame is null ? stats[i].Axis : frame.RotationOf(stats[i]));
        }
        return raw;
    }
}
