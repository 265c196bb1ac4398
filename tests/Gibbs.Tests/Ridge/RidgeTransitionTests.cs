// RidgeTransition (issue 14, item 5): the synthetic sweep's penalties and theory dispatch, its simulated risk against the
// exact finite-n expectation and against a direct refit, determinism; the real-data sweep's scores, rank and choices
// against direct RidgeSvd computations on a small labelled set; sampling and the summary statistics.
using Gibbs.Data;
using Gibbs.Models.Ridge;
using Gibbs.Rng;
using static Gibbs.Tests.Ridge.RidgeReference;

namespace Gibbs.Tests.Ridge;

public class RidgeTransitionTests
{
    [Fact]
    public void PenaltiesAreScikitAlphasOfTheOptimum()
    {
        var pens = SweepPenalty.Standard(r2: 2, sigma2: 0.5);
        Assert.Equal(["λ = 0", "λ = 1e-6", "λ*/4", "λ*", "4λ*"], pens.Select(q => q.Label));
        // α* = n λ* = n σ² (p/n) / r² = σ² p / r², whatever n is.
        Assert.Equal([0, 1e-6, 0.5 * 40 / 2 / 4, 0.5 * 40 / 2, 4 * 0.5 * 40 / 2], pens.Select(q => q.Alpha(100, 40)));
        Assert.Equal(pens[3].Alpha(10, 40), pens[3].Alpha(1000, 40));
    }

    [Fact]
    public void TheoryIsTheFiniteRidgelessRiskAtZeroAndTheAsymptoticRidgeRiskAbove()
    {
        Assert.Equal(RidgeTheory.RidgelessFinite(100, 40, 1, 0.25), RidgeTransition.Theory(100, 40, 0, 1, 0.25));
        Assert.Equal(RidgeTheory.RidgelessFinite(100, 140, 1, 0.25), RidgeTransition.Theory(100, 140, 1e-6, 1, 0.25));
        Assert.Equal(RidgeTheory.Ridge(10.0 / 100, 0.4, 1, 0.25), RidgeTransition.Theory(100, 40, 10, 1, 0.25));
        Assert.True(double.IsPositiveInfinity(RidgeTransition.Theory(40, 41, 0, 1, 0.25)));
    }

    [Fact]
    public void SimulatedRiskIsTheRefitsDistanceToTheTruth()
    {
        // Noise-free and n > p: λ = 0 recovers w* exactly; λ > 0 shrinks it, by the refit's own distance.
        var risks = RidgeTransition.SyntheticRisks(30, 5, r2: 1, sigma2: 0, [0, 3], new Generator(7));
        Assert.True(risks[0] < 1e-20, $"{risks[0]}");
        Assert.True(risks[1] > 1e-4);
        // Noise-free and n < p: the minimum-norm solution is the projection of w* on the row space, so the risk is
        // ‖w*‖² minus the projected part, and E = r²(1 − n/p); over 400 designs within 4 s.e.
        var v = Enumerable.Range(0, 400).Select(r => RidgeTransition.SyntheticRisks(6, 10, 1, 0, [0], new Generator(11).Fork((ulong)r))[0]).ToArray();
        double mean = v.Average(), se = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1) / v.Length);
        Assert.True(Math.Abs(mean - 0.4) < 4 * se, $"{mean} vs 0.4 ± {se}");
    }

    [Fact]
    public void SweepMatchesTheExactFiniteRisk()
    {
        var o = new SyntheticSweepOptions { Fixed = 8, Sizes = [4, 16, 30], Repetitions = 300, NoiseVariance = 0.5, SignalPower = 2 };
        var points = RidgeTransition.Synthetic(o, seed: 3);
        Assert.Equal(15, points.Count);
        foreach (var q in points.Where(q => q.Alpha == 0))
        {
            Assert.Equal(RidgeTheory.RidgelessFinite(q.Rows, 8, 2, 0.5), q.Theory);
            Assert.True(Math.Abs(q.Z) < 4, $"n = {q.Rows}: {q.MeanRisk} vs {q.Theory} ± {q.StandardError}");
        }
        // The same seed gives the same numbers, bit for bit; another seed does not.
        var again = RidgeTransition.Synthetic(o, seed: 3);
        Assert.Equal(points.Select(q => q.MeanRisk), again.Select(q => q.MeanRisk));
        Assert.NotEqual(points[0].MeanRisk, RidgeTransition.Synthetic(o, seed: 4)[0].MeanRisk);
        // The features axis holds n fixed.
        var f = RidgeTransition.Synthetic(o with { Axis = SweepAxis.Features, Repetitions = 2 }, 3);
        Assert.All(f, q => Assert.Equal(8, q.Rows));
        Assert.Equal([4, 16, 30], f.Select(q => q.Features).Distinct());
    }

    [Fact]
    public void DefaultSizesSkipTheBand()
    {
        var s = RidgeTransition.DefaultSizes(200);
        Assert.Equal(50, s[0]);
        Assert.Equal(1000, s[^1]);
        Assert.DoesNotContain(s, v => Math.Abs(v - 200) <= 1);
        Assert.Equal(s.Order(), s);
    }

    private static Dataset Labelled(int n, int p, int seed)
    {
        var x = Gaussian(n, p, seed);
        var flat = new float[n * p];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < p; j++) { flat[i * p + j] = (float)x[i, j]; s += (j + 1) * (float)x[i, j]; }
            labels[i] = s > 0.5 ? 2 : i % 2;
        }
        return new Dataset("toy", flat, p, labels, 3, [p], "test");
    }

    [Fact]
    public void RealSweepScoresEqualDirectFits()
    {
        var train = Labelled(60, 6, 1);
        var test = Labelled(40, 6, 2);
        var o = new RealSweepOptions { PositiveClass = 2, Sizes = [5, 20], Alphas = [0, 0.5], ScanAlphas = RidgeTransition.LogSpace(-3, 2, 11), Repetitions = 2, TestRows = 30, LogisticAlphas = [0.5] };
        var fits = RidgeTransition.Real(train, test, o, seed: 9);
        Assert.Equal(2 * 2 * (2 + 11 + 4 + 1), fits.Count);
        var testRows = Enumerable.Range(0, 30).ToArray();
        var xt = RidgeTransition.Design(test, testRows);
        var yt = RidgeTransition.OneVsRest(test, testRows, 2);
        Assert.Contains(1.0, yt);
        Assert.Contains(-1.0, yt);
        foreach (int n in o.Sizes)
            for (int r = 0; r < 2; r++)
            {
                var rows = RidgeTransition.TrainingRows(train.Count, n, r, 9);
                var svd = RidgeSvd.Fit(RidgeTransition.Design(train, rows), RidgeTransition.OneVsRest(train, rows, 2), intercept: true);
                var mine = fits.Where(f => f.Rows == n && f.Repetition == r).ToList();
                Assert.All(mine, f => Assert.Equal(Math.Min(n - 1, 6), f.Rank));
                foreach (var f in mine.Where(f => f.Model == "ridge" && f.Choice is "fixed" or "grid"))
                {
                    var yhat = svd.Solve(f.Alpha).Predict(xt);
                    double mse = Enumerable.Range(0, 30).Average(i => (yhat[i, 0] - yt[i]) * (yhat[i, 0] - yt[i]));
                    double err = Enumerable.Range(0, 30).Average(i => Math.Sign(yhat[i, 0] + 1e-300) != Math.Sign(yt[i]) ? 1.0 : 0.0);
                    Assert.Equal(mse, f.TestMse, 12);
                    Assert.Equal(err, f.TestError, 12);
                    Assert.Equal(svd.SolutionNorm(f.Alpha), f.Norm, 12);
                    var fitted = svd.Solve(f.Alpha).Predict(RidgeTransition.Design(train, rows));
                    var ytr = RidgeTransition.OneVsRest(train, rows, 2);
                    Assert.Equal(Enumerable.Range(0, n).Average(i => Math.Sign(fitted[i, 0] + 1e-300) != Math.Sign(ytr[i]) ? 1.0 : 0.0), f.TrainError, 12);
                }
                var scan = svd.Scan(o.ScanAlphas);
                Assert.Equal(scan.Alphas[scan.BestLoo], mine.Single(f => f.Choice == "loo").Alpha);
                Assert.Equal(scan.Alphas[scan.BestGcv], mine.Single(f => f.Choice == "gcv").Alpha);
                Assert.Equal(scan.Alphas[scan.Corner], mine.Single(f => f.Choice == "corner").Alpha);
                var lr = LogisticRegression.Fit(RidgeTransition.Design(train, rows), RidgeTransition.OneVsRest(train, rows, 2), 0.5, true, new LogisticOptions { MaxIterations = o.LogisticIterations });
                var logistic = mine.Single(f => f.Model == "logistic");
                Assert.Equal((0.5, lr.Error(xt, yt), lr.Norm), (logistic.Alpha, logistic.TestError, logistic.Norm));
                Assert.True(double.IsNaN(logistic.TestMse));
                var grid = mine.Where(f => f.Choice == "grid").ToList();
                Assert.Equal(grid.Min(f => f.TestMse), mine.Single(f => f.Choice == "oracle").TestMse);
            }
    }

    [Fact]
    public void SummaryIsMeanAndSampleSd()
    {
        var fits = new[]
        {
            new RealFit(10, 0, 9, "ridge", "fixed", 1, 1.0, 0.1, 2, 0),
            new RealFit(10, 1, 9, "ridge", "fixed", 1, 3.0, 0.3, 4, 0),
            new RealFit(10, 0, 9, "ridge", "loo", 0.01, 5, 0.2, 1, 0),
            new RealFit(10, 1, 9, "ridge", "loo", 1, 7, 0.2, 1, 0),
            new RealFit(10, 0, 9, "ridge", "grid", 1, 9, 0.2, 1, 0),
        };
        var s = RidgeTransition.Summarise(fits);
        Assert.Equal(2, s.Count);
        var f = s.Single(q => q.Choice == "fixed");
        Assert.Equal((2.0, Math.Sqrt(2)), f.TestMse);
        Assert.Equal(0.2, f.TestError.Mean, 12);
        var loo = s.Single(q => q.Choice == "loo");
        Assert.Equal(-1, loo.Log10Alpha.Mean, 12);
        Assert.Equal(2, loo.Repetitions);
    }

    [Fact]
    public void SampleDrawsDistinctRows()
    {
        var s = RidgeTransition.Sample(50, 50, new Generator(1));
        Assert.Equal(Enumerable.Range(0, 50), s.Order());
        var t = RidgeTransition.Sample(1000, 10, new Generator(1));
        Assert.Equal(10, t.Distinct().Count());
        Assert.NotEqual(Enumerable.Range(0, 10), t);
    }

    [Fact]
    public void BadOptionsAreOneLine()
    {
        var e = Assert.Throws<GibbsException>(() => RidgeTransition.Synthetic(new SyntheticSweepOptions { Repetitions = 1 }, 1));
        Assert.Contains("at least 2 repetitions", e.Message);
        e = Assert.Throws<GibbsException>(() => RidgeTransition.Synthetic(new SyntheticSweepOptions { NoiseVariance = double.NaN }, 1));
        Assert.Contains("r² and σ² must be positive", e.Message);
        var d = Labelled(20, 3, 1);
        e = Assert.Throws<GibbsException>(() => RidgeTransition.Real(d, d, new RealSweepOptions { Sizes = [50] }, 1));
        Assert.Contains("sizes must be in 3..20", e.Message);
        e = Assert.Throws<GibbsException>(() => RidgeTransition.Real(d, d, new RealSweepOptions { Sizes = [10], Alphas = [-1] }, 1));
        Assert.Contains("alpha must be finite and ≥ 0", e.Message);
        e = Assert.Throws<GibbsException>(() => RidgeTransition.Real(d, d, new RealSweepOptions { Sizes = [10], PositiveClass = 7 }, 1));
        Assert.Contains("class 7 is not in 0..2", e.Message);
    }
}
