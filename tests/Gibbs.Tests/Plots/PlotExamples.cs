// Example pictures for every writer, from synthetic data: digit grid, signed filters, log-scale
// training curves, heatmap, Q-Q plots, two spirals. PlotExampleTests renders them into a temp dir;
// set GIBBS_PLOT_EXAMPLES=/some/dir to keep them and look at them.
using SkiaSharp;
using Gibbs.Plots;

namespace Gibbs.Tests.Plots;

public static class PlotExamples
{
    /// <summary>Renders all examples into <paramref name="dir"/>; returns the file paths.</summary>
    public static IReadOnlyList<string> RenderAll(string dir)
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(12345);
        var files = new List<string>();
        string P(string name) { var p = Path.Combine(dir, name); files.Add(p); return p; }

        var digits = Digits(64, rng);
        ImageGrid.Save(P("digits.png"), digits, 64, 28, 28, ImageGridOptions.Images with { Title = "Synthetic digits (8×8, fixed [0, 1])" });
        ImageGrid.Save(P("filters.png"), Filters(49, 28, rng), 49, 28, 28, ImageGridOptions.Filters with { Title = "Signed filters (per-tile symmetric)" });

        var epochs = Enumerable.Range(0, 200).Select(i => (double)i).ToArray();
        var train = epochs.Select(e => 2.0 * Math.Exp(-e / 25) + 0.01 + 0.002 * rng.NextDouble()).ToArray();
        var valid = epochs.Select(e => 2.2 * Math.Exp(-e / 30) + 0.03 + 0.004 * rng.NextDouble()).ToArray();
        valid[120] = double.NaN;
        valid[121] = double.PositiveInfinity;
        LinePlot.Save(P("lines-logy.png"), "Reconstruction error", "epoch", "mean squared error",
            [new Series("train", epochs, train), new Series("validation", epochs, valid)], new LinePlotOptions { LogY = true });
        LinePlot.Save(P("lines.png"), "Pseudo-log-likelihood", "epoch", "nats per pixel",
            [new Series("CD-1", epochs, epochs.Select(e => -0.7 + 0.5 * Math.Exp(-e / 40)).ToArray()),
             new Series("PCD", epochs, epochs.Select(e => -0.72 + 0.45 * Math.Exp(-e / 30)).ToArray())],
            new LinePlotOptions { Markers = false });

        var m = new double[12, 20];
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 20; j++)
                m[i, j] = Math.Sin(i / 3.0) * Math.Cos(j / 5.0);
        m[0, 19] = 2;   // one hot cell: must appear at the top right
        Heatmap.Save(P("heatmap.png"), m, "Weights (12 visible × 20 hidden); hot cell at row 0, column 19", "hidden unit j", "visible unit i");
        var pos = new double[8, 8];
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                pos[i, j] = i * 8 + j;
        Heatmap.Save(P("heatmap-positive.png"), pos, "Index i·8 + j (0 top left, 63 bottom right)", "j", "i");

        var normal = Enumerable.Range(0, 5000).Select(_ => Gaussian(rng)).ToArray();
        var laplace = Enumerable.Range(0, 5000).Select(_ => Laplace(rng)).ToArray();
        QQPlot.Save(P("qq-normal.png"), normal, Reference.Normal, "Normal sample vs Normal");
        QQPlot.Save(P("qq-laplace.png"), laplace, Reference.Normal, "Laplace sample vs Normal");
        QQPlot.Save(P("qq-laplace-laplace.png"), laplace, Reference.Laplace, "Laplace sample vs Laplace");

        var (xy, labels) = Spirals(10_000, rng);
        ScatterPlot.Save(P("spirals.png"), xy, 10_000, "Two spirals (10,000 points)", labels);
        ScatterPlot.Save(P("spirals-unlabelled.png"), xy, 10_000, "Two spirals, no labels");
        return files;
    }

    /// <summary>(count, 28, 28) digits drawn with the system font, jittered, slightly blurred, in [0, 1].</summary>
    public static float[] Digits(int count, Random rng)
    {
        var result = new float[count * 28 * 28];
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold);
        using var font = new SKFont(typeface, 22);
        using var blur = SKImageFilter.CreateBlur(0.6f, 0.6f);
        using var ink = new SKPaint { Color = SKColors.White, IsAntialias = true, ImageFilter = blur };
        for (int i = 0; i < count; i++)
        {
            canvas.Clear(SKColors.Black);
            canvas.Save();
            canvas.Translate(14 + (float)(rng.NextDouble() - 0.5) * 4, 14 + (float)(rng.NextDouble() - 0.5) * 4);
            canvas.RotateDegrees((float)(rng.NextDouble() - 0.5) * 30);
            canvas.DrawText((i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture), 0, 8, SKTextAlign.Center, font, ink);
            canvas.Restore();
            var px = bitmap.GetPixelSpan();
            for (int k = 0; k < 28 * 28; k++)
                result[i * 784 + k] = px[(k / 28) * bitmap.RowBytes + k % 28] / 255f;
        }
        return result;
    }

    /// <summary>(count, size, size) Gabor-like signed filters with random orientation, frequency, phase and scale.</summary>
    public static float[] Filters(int count, int size, Random rng)
    {
        var w = new float[count * size * size];
        for (int i = 0; i < count; i++)
        {
            double theta = rng.NextDouble() * Math.PI, freq = 0.15 + 0.25 * rng.NextDouble(), phase = rng.NextDouble() * 2 * Math.PI;
            double cx = size / 2.0 + (rng.NextDouble() - 0.5) * 8, cy = size / 2.0 + (rng.NextDouble() - 0.5) * 8, s = 3 + 4 * rng.NextDouble();
            double amp = 0.01 + rng.NextDouble();
            for (int r = 0; r < size; r++)
                for (int c = 0; c < size; c++)
                {
                    double x = c - cx, y = r - cy, u = x * Math.Cos(theta) + y * Math.Sin(theta);
                    w[(i * size + r) * size + c] = (float)(amp * Math.Exp(-(x * x + y * y) / (2 * s * s)) * Math.Cos(2 * Math.PI * freq * u + phase) + 0.02 * amp * Gaussian(rng));
                }
        }
        return w;
    }

    /// <summary>Two interleaved noisy spirals: (count, 2) points and their 0/1 labels.</summary>
    public static (float[] Xy, int[] Labels) Spirals(int count, Random rng)
    {
        var xy = new float[2 * count];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            double t = Math.Sqrt(rng.NextDouble()) * 3 * Math.PI, sign = label == 0 ? 1 : -1;
            xy[2 * i] = (float)(sign * t * Math.Cos(t) / 3 + 0.15 * Gaussian(rng));
            xy[2 * i + 1] = (float)(sign * t * Math.Sin(t) / 3 + 0.15 * Gaussian(rng));
            labels[i] = label;
        }
        return (xy, labels);
    }

    public static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    public static double Laplace(Random rng)
    {
        double u = rng.NextDouble() - 0.5;
        return -Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u));
    }
}
