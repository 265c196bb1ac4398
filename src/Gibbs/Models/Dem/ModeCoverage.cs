// Mode coverage of samples from a mixture set (issue 13 item 4, the measure of VEEGAN and PacGAN): each sample goes to
// its nearest mode centre and is "high quality" when it lies within 3σ of it; a mode is covered when at least 1 % of the
// samples are high-quality samples of that mode. For the deep generator of 002_d7648fe8bb9cfc6d.txt, which the seed
// says its entropy term keeps from collapsing onto a few modes.
using Gibbs.Data;

namespace Gibbs.Models.Dem;

/// <summary>Per mode, the high-quality samples it got; how many modes are covered; the share of high-quality samples.</summary>
public sealed record ModeCoverage(int[] PerMode, int Covered, double HighQuality, int Samples)
{
    /// <summary>Measures <paramref name="samples"/> [n × 2] against <paramref name="mixture"/>'s modes.</summary>
    /// <param name="within">A sample counts for its nearest mode within this many σ (3 in the standard measure).</param>
    /// <param name="share">A mode is covered with at least this share of all samples (0.01).</param>
    public static ModeCoverage Measure(ReadOnlySpan<float> samples, Synthetic.Mixture mixture, double within = 3, double share = 0.01)
    {
        if (samples.Length == 0 || samples.Length % 2 != 0)
            throw new GibbsException($"mode coverage needs 2-D samples (pairs of numbers), got {samples.Length} values");
        int n = samples.Length / 2, modes = mixture.Modes;
        var per = new int[modes];
        double radius2 = within * mixture.Sd * within * mixture.Sd;
        int good = 0;
        for (int i = 0; i < n; i++)
        {
            double x = samples[2 * i], y = samples[2 * i + 1];
            if (!double.IsFinite(x) || !double.IsFinite(y)) continue;   // a non-finite sample is never high quality
            int best = 0;
            double bestD = double.PositiveInfinity;
            for (int k = 0; k < modes; k++)
            {
                double dx = x - mixture.Centres[k, 0], dy = y - mixture.Centres[k, 1], d = dx * dx + dy * dy;
                if (d < bestD) (best, bestD) = (k, d);
            }
            if (bestD <= radius2) { per[best]++; good++; }
        }
        int covered = per.Count(c => c >= share * n);
        return new ModeCoverage(per, covered, (double)good / n, n);
    }
}
