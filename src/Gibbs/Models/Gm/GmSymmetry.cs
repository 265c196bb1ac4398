// Symmetry statistics as latents (000_c7b547386cdeff84.txt §1.6, §4): four extra latent units for the centre of mass
// (h, v), the scale r and the angle of each image, appended to the learned latents and fed to the decoder. Their
// posterior locations are the image's statistics (computed, not learned; standardised by the training set's mean and
// standard deviation), their scales are learned per statistic, and they share the model's latent family and prior —
// so their generative error enters the bound like any latent's. The angle is the principal-axis angle (rotation-
// covariant; SymmetryStats.Axis) rather than eq. 4.3's mean atan2, which is not. In the creative regime, varying
// the h unit alone moves the decoded image sideways when the decoder has learned to use it.
using Gibbs.Data;

namespace Gibbs.Models.Gm;

public sealed record GmSymmetry(int Side, float[] Mean, float[] Sd)
{
    public const int Units = 4;
    public static readonly string[] Names = ["h", "v", "r", "angle"];

    /// <summary>The standardisation of the four statistics over <paramref name="images"/> [count × side²] (values ≥ 0).</summary>
    public static GmSymmetry Fit(float[] images, int features)
    {
        int side = (int)Math.Round(Math.Sqrt(features));
        if (side * side != features) throw new GibbsException($"symmetry statistics need square images; {features} features are not a square");
        var raw = Raw(images, images.Length / features, side);
        var mean = new float[Units];
        var sd = new float[Units];
        int n = raw.Length / Units;
        for (int u = 0; u < Units; u++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < n; i++) m += raw[i * Units + u];
            m /= n;
            for (int i = 0; i < n; i++) v += (raw[i * Units + u] - m) * (raw[i * Units + u] - m);
            mean[u] = (float)m;
            sd[u] = (float)Math.Max(Math.Sqrt(v / Math.Max(1, n - 1)), 1e-3);
        }
        return new GmSymmetry(side, mean, sd);
    }

    /// <summary>(h, v, r, axis angle) per image, [count × 4] row-major.</summary>
    internal static float[] Raw(float[] images, int count, int side)
    {
        var stats = SymmetryStatistics.Compute(images, count, side);
        var raw = new float[count * Units];
        for (int i = 0; i < count; i++)
        {
            raw[i * Units] = (float)stats[i].H;
            raw[i * Units + 1] = (float)stats[i].V;
            raw[i * Units + 2] = (float)stats[i].R;
            raw[i * Units + 3] = (float)stats[i].Axis;
        }
        return raw;
    }
}
