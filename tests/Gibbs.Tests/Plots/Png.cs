// Test helpers for written pictures: decode a PNG, check its size, find temp-file leftovers.
using SkiaSharp;

namespace Gibbs.Tests.Plots;

internal static class Png
{
    /// <summary>Decodes <paramref name="path"/>; fails the test when it is not a PNG of <paramref name="width"/>×<paramref name="height"/> (when given).</summary>
    public static SKBitmap Load(string path, int? width = null, int? height = null)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), $"{path} is not a PNG");
        var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        if (width is { } w) Assert.Equal(w, bitmap.Width);
        if (height is { } h) Assert.Equal(h, bitmap.Height);
        return bitmap;
    }

    /// <summary>Number of distinct colours: a blank picture has one or two.</summary>
    public static int DistinctColors(SKBitmap bitmap) => bitmap.Pixels.Distinct().Count();

    /// <summary>Files in <paramref name="dir"/> other than <paramref name="keep"/> (temp leftovers).</summary>
    public static string[] Others(string dir, params string[] keep) =>
        Directory.GetFiles(dir).Select(Path.GetFileName).Where(f => !keep.Contains(f)).Select(f => f!).ToArray();

    public static bool IsGrey(SKColor c, byte level) => c.Red == level && c.Green == level && c.Blue == level;
}
