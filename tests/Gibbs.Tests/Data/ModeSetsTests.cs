// The 2-D sets of issue 13 (002, and VEEGAN/PacGAN's ring and grid), the mode-coverage measure on hand-made sample
// sets, and the grid normaliser against closed-form Z of Gaussian energies.
using Gibbs.Data;
using Gibbs.Models.Dem;

namespace Gibbs.Tests.Data;

public class ModeSetsTests
{
    [Theory]
    [InlineData("ring8", 8, 0.01)]
    [InlineData("grid25", 25, 0.05)]
    public void MixtureSetsDrawAroundTheirModes(string name, int modes, double sd)
    {
        var all = Synthetic.Sample(Synthetic.ModesOf(name)!, 10_000, 1);
        var m = Synthetic.ModesOf(name)!;
        Assert.Equal(modes, m.Modes);
        Assert.Equal(sd, m.Sd);
        double sum2 = 0;
        for (int i = 0; i < all.Count; i++)
        {
            int k = all.Labels![i];
            Assert.Equal(i % modes, k);
            double dx = all.X[2 * i] - m.Centres[k, 0], dy = all.X[2 * i + 1] - m.Centres[k, 1];
            sum2 += dx * dx + dy * dy;
        }
        Assert.Equal(sd, Math.Sqrt(sum2 / (2 * all.Count)), 0.03 * sd);     // the per-axis s.d. of the draws
        Assert.Equal(8_000, Datasets.Load(name, DatasetSplit.Train).Count);
        Assert.Contains(name, Datasets.Names);
        // The ring's modes lie on the unit circle; the grid's on {−4, −2, 0, 2, 4}².
        if (name == "ring8") Assert.Equal(1, Math.Sqrt(m.Centres[3, 0] * m.Centres[3, 0] + m.Centres[3, 1] * m.Centres[3, 1]), 12);
        else Assert.Equal((2.0, 2.0), (m.Centres[18, 0], m.Centres[18, 1]));
    }

    private static float[] At(params (double X, double Y, int Count)[] points) =>
        points.SelectMany(p => Enumerable.Repeat(new[] { (float)p.X, (float)p.Y }, p.Count).SelectMany(v => v)).ToArray();

    [Fact]
    public void ModeCoverageOnHandMadeSamples()
    {
        var ring = Synthetic.Ring8Modes;
        // All 2,500 samples on mode 0: one mode, all high quality.
        var one = ModeCoverage.Measure(At((1, 0, 2500)), ring);
        Assert.Equal((1, 1.0), (one.Covered, one.HighQuality));
        // Every mode hit equally: 8 modes.
        var even = ModeCoverage.Measure(At(Enumerable.Range(0, 8).Select(k => (ring.Centres[k, 0], ring.Centres[k, 1], 2500 / 8 + (k < 2500 % 8 ? 1 : 0))).ToArray()), ring);
        Assert.Equal(8, even.Covered);
        Assert.Equal(2500, even.PerMode.Sum());
        // 1 % of 2,500 is 25: a mode with 24 samples is not covered, one with 25 is.
        var edge = ModeCoverage.Measure(At((1, 0, 2451), (0, 1, 24), (-1, 0, 25)), ring);
        Assert.Equal(2, edge.Covered);
        Assert.Equal([2451, 0, 24, 0, 25, 0, 0, 0], edge.PerMode);
        // Within 3σ counts, just beyond does not; a sample halfway between two modes (22.5°) is low quality; NaN never counts.
        var quality = ModeCoverage.Measure(At((1 + 2.9 * 0.01, 0, 1), (1 + 3.1 * 0.01, 0, 1), (0.92388, 0.38268, 1), (double.NaN, 0, 1)), ring);
        Assert.Equal(0.25, quality.HighQuality);
        Assert.Equal(1, quality.PerMode[0]);
        Assert.Throws<GibbsException>(() => ModeCoverage.Measure(new float[3], ring));
    }

    [Fact]
    public void TheGridNormaliserMatchesClosedFormGaussians()
    {
        // E = (x² + y²)/(2s²): Z = 2πs².
        static double[] Iso(float[] xy) => Enumerable.Range(0, xy.Length / 2).Select(i => (xy[2 * i] * (double)xy[2 * i] + xy[2 * i + 1] * (double)xy[2 * i + 1]) / (2 * 0.25)).ToArray();
        var z = GridNormaliser.Converged(Iso, 4, 200);
        Assert.Equal(Math.Log(2 * Math.PI * 0.25), z.LogZ, 6);
        Assert.True(Math.Abs(z.BoxChange) < 1e-9 && Math.Abs(z.ResolutionChange) < 1e-6);
        // Shifted, anisotropic and offset: E = (x − 1)²/(2·0.3²) + (y + 0.5)²/(2·0.8²) + 3, Z = 2π·0.3·0.8·e^(−3).
        static double[] Aniso(float[] xy) => Enumerable.Range(0, xy.Length / 2)
            .Select(i => Math.Pow(xy[2 * i] - 1, 2) / (2 * 0.09) + Math.Pow(xy[2 * i + 1] + 0.5, 2) / (2 * 0.64) + 3).ToArray();
        Assert.Equal(Math.Log(2 * Math.PI * 0.3 * 0.8) - 3, GridNormaliser.Converged(Aniso, 6, 300).LogZ, 5);
        // Far too coarse a grid is visible in the resolution change.
        Assert.True(Math.Abs(GridNormaliser.Converged(Iso, 4, 6).ResolutionChange) > 1e-3);
        // A coarse grid with a midpoint on the peak overestimates Z (by 0.24 nats here); that is a resolution error, not mass
        // outside the box: the box check compares lattices of the same spacing, so it passes and says so.
        static double[] OnMidpoint(float[] xy) => Enumerable.Range(0, xy.Length / 2)
            .Select(i => (Math.Pow(xy[2 * i] - 2.0 / 3, 2) + Math.Pow(xy[2 * i + 1] - 2.0 / 3, 2)) / (2 * 0.25)).ToArray();
        var coarse = GridNormaliser.Converged(OnMidpoint, 4, 6);
        Assert.True(coarse.ResolutionChange < -0.2, $"resolution change {coarse.ResolutionChange}");
        Assert.True(Math.Abs(coarse.BoxChange) < 1e-6, $"box change {coarse.BoxChange}");
        Assert.Equal(coarse.Points, GridNormaliser.Converged(OnMidpoint, 4, 5).Points);   // odd counts are made even
    }

    [Fact]
    public void AnEnergyThatCannotBeNormalisedIsOneLine()
    {
        static double[] Growing(float[] xy) => Enumerable.Range(0, xy.Length / 2).Select(i => -(xy[2 * i] * (double)xy[2 * i] + xy[2 * i + 1] * (double)xy[2 * i + 1]) / 10).ToArray();
        var e = Assert.Throws<GibbsException>(() => GridNormaliser.Converged(Growing, 3, 60));
        Assert.Contains("e^(−E) has mass outside ±3", e.Message);
        static double[] Nan(float[] xy) => Enumerable.Range(0, xy.Length / 2).Select(i => i == 7 ? double.NaN : 0).ToArray();
        Assert.Contains("the energy is NaN at (", Assert.Throws<GibbsException>(() => GridNormaliser.LogZ(Nan, 1, 10)).Message);
        Assert.Contains("got 0 and 10", Assert.Throws<GibbsException>(() => GridNormaliser.LogZ(Nan, 0, 10)).Message);
    }
}
