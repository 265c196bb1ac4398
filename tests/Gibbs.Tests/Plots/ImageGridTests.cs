// ImageGrid: geometry (separators, scaling, columns, title band), colours (greyscale ranges,
// diverging map, per-tile normalisation, NaN), argument errors, and atomic overwrite.
using SkiaSharp;
using Gibbs.Plots;

namespace Gibbs.Tests.Plots;

public class ImageGridTests : TempDirTest
{
    private string PathOf(string name) => Path.Combine(Dir, name);

    private static float[] Tiles(params float[][] tiles) => tiles.SelectMany(t => t).ToArray();

    private static float[] Fill(int n, float v) => Enumerable.Repeat(v, n).ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConstantTilesAreWhiteAndBlackWithGreySeparators(bool fixedRange)
    {
        // Two 2×3 tiles side by side, scale 4: tiles 12×8 pixels, picture 2·13 + 1 = 27 by 8 + 2 = 10.
        var images = Tiles(Fill(6, 1f), Fill(6, 0f));
        var options = (fixedRange ? ImageGridOptions.Images : new ImageGridOptions()) with { Columns = 2, Scale = 4 };
        ImageGrid.Save(PathOf("g.png"), images, 2, 2, 3, options);
        using var bmp = Png.Load(PathOf("g.png"), 27, 10);
        for (int y = 1; y <= 8; y++)
            for (int x = 1; x <= 12; x++)
            {
                Assert.Equal(SKColors.White, bmp.GetPixel(x, y));
                Assert.Equal(SKColors.Black, bmp.GetPixel(x + 13, y));
            }
        foreach (int x in new[] { 0, 13, 26 })
            for (int y = 0; y < 10; y++)
                Assert.True(Png.IsGrey(bmp.GetPixel(x, y), 128), $"separator pixel ({x},{y}) is {bmp.GetPixel(x, y)}");
        foreach (int y in new[] { 0, 9 })
            for (int x = 0; x < 27; x++)
                Assert.True(Png.IsGrey(bmp.GetPixel(x, y), 128), $"separator pixel ({x},{y}) is {bmp.GetPixel(x, y)}");
    }

    [Fact]
    public void SourcePixelsBecomeScaleBlocksInRowMajorOrder()
    {
        // One 2×2 tile [[0, 1], [1, 0]] at scale 3: a 3×3 black block top-left, white top-right.
        ImageGrid.Save(PathOf("g.png"), [0f, 1f, 1f, 0f], 1, 2, 2, ImageGridOptions.Images with { Scale = 3 });
        using var bmp = Png.Load(PathOf("g.png"), 8, 8);
        for (int dy = 0; dy < 3; dy++)
            for (int dx = 0; dx < 3; dx++)
            {
                Assert.Equal(SKColors.Black, bmp.GetPixel(1 + dx, 1 + dy));
                Assert.Equal(SKColors.White, bmp.GetPixel(4 + dx, 1 + dy));
                Assert.Equal(SKColors.White, bmp.GetPixel(1 + dx, 4 + dy));
                Assert.Equal(SKColors.Black, bmp.GetPixel(4 + dx, 4 + dy));
            }
    }

    [Fact]
    public void DefaultScaleReachesFourHundredPixels()
    {
        // 4 tiles of 28×28 → 2 columns; scale 7 gives 395 px, so the default is 8: 2·(224 + 1) + 1 = 451.
        ImageGrid.Save(PathOf("g.png"), new float[4 * 784], 4, 28, 28);
        using var bmp = Png.Load(PathOf("g.png"), 451, 451);
    }

    [Fact]
    public void DefaultColumnsAreCeilingOfSquareRootAndEmptyCellsAreSeparatorGrey()
    {
        // 10 tiles of 2×2 at scale 1 → 4 columns × 3 rows: 4·3 + 1 = 13 by 3·3 + 1 = 10.
        ImageGrid.Save(PathOf("g.png"), Fill(40, 1f), 10, 2, 2, ImageGridOptions.Images with { Scale = 1 });
        using var bmp = Png.Load(PathOf("g.png"), 13, 10);
        Assert.Equal(SKColors.White, bmp.GetPixel(4, 7));   // tile 9 = row 2, column 1
        Assert.True(Png.IsGrey(bmp.GetPixel(7, 7), 128)); // tile slot 10 is empty
    }

    [Fact]
    public void DivergingMapIsBlueWhiteRedAndPerTileSymmetric()
    {
        // Tiles [-1, 0, 1] and [-0.01, 0, 0.01]: per-tile normalisation makes them identical.
        ImageGrid.Save(PathOf("g.png"), [-1f, 0f, 1f, -0.01f, 0f, 0.01f], 2, 1, 3, ImageGridOptions.Filters with { Columns = 1, Scale = 2 });
        using var bmp = Png.Load(PathOf("g.png"), 8, 7);
        var (neg, zero, pos) = (bmp.GetPixel(1, 1), bmp.GetPixel(3, 1), bmp.GetPixel(5, 1));
        Assert.True(neg.Blue > neg.Red + 100, $"negative should be blue, got {neg}");
        Assert.Equal(SKColors.White, zero);
        Assert.True(pos.Red > pos.Blue + 100, $"positive should be red, got {pos}");
        Assert.Equal(neg, bmp.GetPixel(1, 4));
        Assert.Equal(pos, bmp.GetPixel(5, 4));
    }

    [Fact]
    public void GlobalDivergingRangeKeepsSmallWeightsPale()
    {
        ImageGrid.Save(PathOf("g.png"), [-1f, 0f, 1f, -0.01f, 0f, 0.01f], 2, 1, 3,
            new ImageGridOptions { ColorMap = ColorMap.Diverging, Columns = 1, Scale = 2 });
        using var bmp = Png.Load(PathOf("g.png"), 8, 7);
        Assert.True(bmp.GetPixel(1, 1).Blue > bmp.GetPixel(1, 1).Red + 100);
        foreach (var c in new[] { bmp.GetPixel(1, 4), bmp.GetPixel(5, 4) })
            Assert.True(c.Red >= 250 && c.Green >= 250 && c.Blue >= 250, $"a 1% weight should be near white, got {c}");
    }

    [Fact]
    public void GreyscaleRangesAreFixedDataOrPerTile()
    {
        float[] images = [2f, 3f, -1f, 0.5f];   // two 1×2 tiles side by side: pixels x = 1, 2 and 4, 5
        ImageGrid.Save(PathOf("fixed.png"), images, 2, 1, 2, ImageGridOptions.Images with { Columns = 2, Scale = 1 });
        using (var bmp = Png.Load(PathOf("fixed.png"), 7, 3))
        {
            Assert.Equal(SKColors.White, bmp.GetPixel(1, 1));   // 2 clamps to 1
            Assert.Equal(SKColors.Black, bmp.GetPixel(4, 1));   // −1 clamps to 0
            Assert.True(Png.IsGrey(bmp.GetPixel(5, 1), 128));   // 0.5 → round(127.5) = 128
        }
        ImageGrid.Save(PathOf("data.png"), images, 2, 1, 2, new ImageGridOptions { Columns = 2, Scale = 1 });
        using (var bmp = Png.Load(PathOf("data.png"), 7, 3))
        {
            Assert.True(Png.IsGrey(bmp.GetPixel(1, 1), 191));   // (2 + 1) / 4 · 255 = 191.25
            Assert.Equal(SKColors.White, bmp.GetPixel(2, 1));   // 3 is the data maximum
            Assert.Equal(SKColors.Black, bmp.GetPixel(4, 1));   // −1 is the data minimum
            Assert.True(Png.IsGrey(bmp.GetPixel(5, 1), 96));    // 1.5 / 4 · 255 = 95.6
        }
        ImageGrid.Save(PathOf("tile.png"), images, 2, 1, 2, new ImageGridOptions { Columns = 2, Scale = 1, Normalisation = Normalisation.PerTile });
        using (var bmp = Png.Load(PathOf("tile.png"), 7, 3))
        {
            Assert.Equal(SKColors.Black, bmp.GetPixel(1, 1));
            Assert.Equal(SKColors.White, bmp.GetPixel(2, 1));
            Assert.Equal(SKColors.Black, bmp.GetPixel(4, 1));
            Assert.Equal(SKColors.White, bmp.GetPixel(5, 1));
        }
    }

    [Fact]
    public void NonFiniteValuesAreMagentaAndDoNotSpoilTheRange()
    {
        ImageGrid.Save(PathOf("g.png"), [float.NaN, 0f, 1f, float.PositiveInfinity], 1, 1, 4, new ImageGridOptions { Scale = 1 });
        using var bmp = Png.Load(PathOf("g.png"), 6, 3);
        Assert.Equal(new SKColor(255, 0, 255), bmp.GetPixel(1, 1));
        Assert.Equal(SKColors.Black, bmp.GetPixel(2, 1));
        Assert.Equal(SKColors.White, bmp.GetPixel(3, 1));
        Assert.Equal(new SKColor(255, 0, 255), bmp.GetPixel(4, 1));
    }

    [Fact]
    public void TitleAddsABandWithVisibleText()
    {
        ImageGrid.Save(PathOf("g.png"), new float[4 * 784], 4, 28, 28, ImageGridOptions.Images with { Title = "RBM filters, epoch 10" });
        using var bmp = Png.Load(PathOf("g.png"), 451, 451 + 32);
        int dark = 0;
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < bmp.Width; x++)
                if (bmp.GetPixel(x, y).Red < 100) dark++;
        Assert.True(dark > 50, $"the title band has {dark} dark pixels; text was not drawn (no usable font?)");
        Assert.Equal(SKColors.White, bmp.GetPixel(2, 2));
        Assert.Equal(SKColors.Black, bmp.GetPixel(10, 32 + 10));   // first tile below the band
    }

    [Fact]
    public void BadArgumentsThrowClearMessages()
    {
        var p = PathOf("g.png");
        var e = Assert.Throws<ArgumentException>(() => ImageGrid.Save(p, new float[700], 1, 28, 28));
        Assert.Contains("images has 700 values, expected count×height×width = 1×28×28 = 784", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.Save(p, new float[4], 0, 2, 2));
        Assert.Contains("count is 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.Save(p, new float[4], 1, 2, 2, new ImageGridOptions { Columns = 0 }));
        Assert.Contains("options.Columns is 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.Save(p, new float[4], 1, 2, 2, new ImageGridOptions { Min = 1, Max = 1 }));
        Assert.Contains("options.Min = 1 is not below options.Max = 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.Save(p, new float[4], 1, 2, 2, ImageGridOptions.Filters with { Max = 1 }));
        Assert.Contains("PerTile", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.Save(p, new float[200 * 200], 1, 200, 200, new ImageGridOptions { Scale = 64 }));
        Assert.Contains("12802×12802 pixels", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.Save(" ", new float[4], 1, 2, 2));
        Assert.Contains("path is empty", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.Save(Dir, new float[4], 1, 2, 2));
        Assert.Contains("is a directory", e.Message);
        Assert.Empty(Directory.GetFiles(Dir));
    }

    [Fact]
    public void OverwritesAtomicallyAndCreatesDirectories()
    {
        var p = PathOf("g.png");
        File.WriteAllText(p, "not a png");
        ImageGrid.Save(p, [0f, 1f, 1f, 0f], 1, 2, 2, ImageGridOptions.Images with { Scale = 2 });
        using (Png.Load(p, 6, 6)) { }
        ImageGrid.Save(p, [0f, 1f, 1f, 0f], 1, 2, 2, ImageGridOptions.Images with { Scale = 3 });
        using (Png.Load(p, 8, 8)) { }
        Assert.Empty(Png.Others(Dir, "g.png"));
        var nested = Path.Combine(Dir, "a", "b", "g.png");
        ImageGrid.Save(nested, [0f, 1f, 1f, 0f], 1, 2, 2);
        using (Png.Load(nested)) { }
    }
}
