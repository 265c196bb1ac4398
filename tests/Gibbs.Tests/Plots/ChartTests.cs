// LinePlot, Heatmap, QQPlot, ScatterPlot: PNG of the documented size, non-blank, robust to
// NaN/∞, heatmap orientation (row 0 on top), argument errors, atomic overwrite.
using SkiaSharp;
using Gibbs.Plots;

namespace Gibbs.Tests.Plots;

public class ChartTests : TempDirTest
{
    private string PathOf(string name) => Path.Combine(Dir, name);

    private static readonly double[] Xs = [0, 1, 2, 3, 4, 5];

    [Fact]
    public void LinePlotHasDefaultSizeAndDrawsBothSeries()
    {
        LinePlot.Save(PathOf("l.png"), "loss", "epoch", "value",
            [new Series("a", Xs, [5, 4, 3, 2, 1, 0]), new Series("b", Xs, [0, 1, 2, 3, 4, 5])]);
        using var bmp = Png.Load(PathOf("l.png"), 800, 500);
        // Category10 blue (#1F77B4) and orange (#FF7F0E) lines are both present.
        Assert.Contains(bmp.Pixels, c => c.Red < 60 && c.Green > 100 && c.Green < 140 && c.Blue > 160);
        Assert.Contains(bmp.Pixels, c => c.Red > 230 && c.Green > 110 && c.Green < 150 && c.Blue < 40);
    }

    [Fact]
    public void LinePlotSurvivesNonFiniteAndNonPositiveValuesOnALogAxis()
    {
        double[] y = [1, double.NaN, 100, double.PositiveInfinity, -3, 0.01];
        LinePlot.Save(PathOf("l.png"), "log", "x", "y", [new Series("odd", Xs, y), Series.Indexed("nan", [double.NaN, double.NaN])],
            new LinePlotOptions { LogY = true, Markers = true, Width = 640, Height = 480 });
        using var bmp = Png.Load(PathOf("l.png"), 640, 480);
        Assert.True(Png.DistinctColors(bmp) > 20);
        LinePlot.Save(PathOf("l.png"), "all NaN", "x", "y", [Series.Indexed("nan", [double.NaN, double.NegativeInfinity])]);
        using var again = Png.Load(PathOf("l.png"), 800, 500);
    }

    [Fact]
    public void LinePlotRejectsBadSeries()
    {
        var e = Assert.Throws<ArgumentException>(() => LinePlot.Save(PathOf("l.png"), "t", "x", "y", [new Series("short", Xs, [1, 2])]));
        Assert.Contains("series[0] 'short' has 6 X values but 2 Y values", e.Message);
        e = Assert.Throws<ArgumentException>(() => LinePlot.Save(PathOf("l.png"), "t", "x", "y", []));
        Assert.Contains("series is empty", e.Message);
        e = Assert.Throws<ArgumentException>(() => LinePlot.Save(PathOf("l.png"), "t", "x", "y", [new Series("a", Xs, Xs)], new LinePlotOptions { Width = 0 }));
        Assert.Contains("size is 0×500 pixels", e.Message);
        Assert.Empty(Directory.GetFiles(Dir));
    }

    [Theory]
    [InlineData(0, 9, false, true)]    // hot cell at row 0, last column → upper right
    [InlineData(5, 0, true, false)]    // hot cell at last row, column 0 → lower left
    public void HeatmapDrawsRowZeroOnTop(int row, int col, bool lowerHalf, bool rightHalf)
    {
        var m = new double[6, 10];
        m[row, col] = 1;
        Heatmap.Save(PathOf("h.png"), m, "one hot cell", "column", "row");
        using var bmp = Png.Load(PathOf("h.png"), Heatmap.Width, Heatmap.Height);
        // Viridis maximum is yellow; the colour bar (right edge) also has yellow at its top, so look
        // left of it: the plot area ends well before x = 0.85 · width.
        var yellow = new List<(int X, int Y)>();
        for (int y = 0; y < bmp.Height; y++)
            for (int x = 0; x < bmp.Width * 0.85; x++)
            {
                var c = bmp.GetPixel(x, y);
                if (c.Red > 200 && c.Green > 200 && c.Blue < 100) yellow.Add((x, y));
            }
        Assert.True(yellow.Count > 500, $"expected a yellow cell, found {yellow.Count} yellow pixels");
        Assert.All(yellow, p => Assert.Equal(lowerHalf, p.Y > bmp.Height / 2));
        Assert.All(yellow, p => Assert.Equal(rightHalf, p.X > bmp.Width / 2));
    }

    [Fact]
    public void HeatmapHandlesSignsConstantsAndNaN()
    {
        Heatmap.Save(PathOf("h.png"), new double[,] { { -1, 0 }, { 0.5, 2 } }, "signed");
        using (var bmp = Png.Load(PathOf("h.png"), Heatmap.Width, Heatmap.Height))
        {
            Assert.Contains(bmp.Pixels, c => c.Blue > c.Red + 100);   // negative cell, blue
            Assert.Contains(bmp.Pixels, c => c.Red > c.Blue + 100);   // positive cell, red
        }
        Heatmap.Save(PathOf("h.png"), new double[,] { { 3, 3 }, { 3, 3 } }, "constant");
        using (Png.Load(PathOf("h.png"), Heatmap.Width, Heatmap.Height)) { }
        Heatmap.Save(PathOf("h.png"), new double[,] { { double.NaN, double.PositiveInfinity } }, "no finite values");
        using (Png.Load(PathOf("h.png"), Heatmap.Width, Heatmap.Height)) { }
        var e = Assert.Throws<ArgumentException>(() => Heatmap.Save(PathOf("h.png"), new double[0, 3], "empty"));
        Assert.Contains("values is 0×3", e.Message);
    }

    [Theory]
    [InlineData(Reference.Normal)]
    [InlineData(Reference.Laplace)]
    public void QQPlotRendersAndIgnoresNonFiniteValues(Reference reference)
    {
        var rng = new Random(1);
        var sample = Enumerable.Range(0, 10_000).Select(_ => PlotExamples.Gaussian(rng)).Append(double.NaN).ToArray();
        QQPlot.Save(PathOf("q.png"), sample, reference, "qq");
        using var bmp = Png.Load(PathOf("q.png"), QQPlot.Width, QQPlot.Height);
        Assert.True(Png.DistinctColors(bmp) > 20);
    }

    [Fact]
    public void QQPlotRejectsSamplesWithoutSpread()
    {
        var e = Assert.Throws<ArgumentException>(() => QQPlot.Save(PathOf("q.png"), [1.0, double.NaN], Reference.Normal, "t"));
        Assert.Contains("sample has 1 finite values out of 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => QQPlot.Save(PathOf("q.png"), [2.0, 2.0, 2.0], Reference.Normal, "t"));
        Assert.Contains("sample is constant", e.Message);
        e = Assert.Throws<ArgumentException>(() => QQPlot.Save(PathOf("q.png"), [1.0, 2.0], (Reference)7, "t"));
        Assert.Contains("reference is 7", e.Message);
    }

    [Fact]
    public void ScatterPlotColoursByLabel()
    {
        var (xy, labels) = PlotExamples.Spirals(2000, new Random(2));
        xy[0] = float.NaN;
        ScatterPlot.Save(PathOf("s.png"), xy, 2000, "spirals", labels);
        using var bmp = Png.Load(PathOf("s.png"), ScatterPlot.Width, ScatterPlot.Height);
        Assert.Contains(bmp.Pixels, c => c.Red < 80 && c.Blue > 150);    // label 0, blue
        Assert.Contains(bmp.Pixels, c => c.Red > 220 && c.Blue < 80);    // label 1, orange
        ScatterPlot.Save(PathOf("s.png"), xy, 2000, "unlabelled");
        using var plain = Png.Load(PathOf("s.png"), ScatterPlot.Width, ScatterPlot.Height);
        Assert.DoesNotContain(plain.Pixels, c => c.Red > 220 && c.Green > 100 && c.Blue < 80);
    }

    [Fact]
    public void ScatterPlotRejectsMismatchedSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => ScatterPlot.Save(PathOf("s.png"), new float[5], 3, "t"));
        Assert.Contains("xy has 5 values, expected count×2 = 3×2 = 6", e.Message);
        e = Assert.Throws<ArgumentException>(() => ScatterPlot.Save(PathOf("s.png"), new float[6], 3, "t", [0, 1]));
        Assert.Contains("labels has 2 values, expected count = 3", e.Message);
    }

    [Fact]
    public void EveryChartOverwritesAtomically()
    {
        var p = PathOf("c.png");
        var writers = new Action[]
        {
            () => LinePlot.Save(p, "t", "x", "y", [new Series("a", Xs, Xs)]),
            () => Heatmap.Save(p, new double[,] { { 1, 2 } }, "t"),
            () => QQPlot.Save(p, [1, 2, 3, 5, 8], Reference.Laplace, "t"),
            () => ScatterPlot.Save(p, [0f, 0f, 1f, 1f], 2, "t"),
        };
        foreach (var write in writers)
        {
            File.WriteAllText(p, "not a png");
            write();
            using var bmp = SKBitmap.Decode(p);
            Assert.NotNull(bmp);
            Assert.Empty(Png.Others(Dir, "c.png"));
        }
    }
}
