// Atomic PNG writes: encode in memory, write to a temp file beside the target, fsync, rename over it.
// A failure at any point leaves the old file (or none) and no temp file. Mirrors Gibbs.IO.AtomicFile
// on purpose: Gibbs.Plots does not depend on the Gibbs library.
using SkiaSharp;

namespace Gibbs.Plots.Internals;

internal static class AtomicPng
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically; creates missing directories.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Encodes <paramref name="bitmap"/> as PNG and writes it atomically.</summary>
    public static void Write(string path, SKBitmap bitmap)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {bitmap.Width}×{bitmap.Height} PNG for {path}");
        Write(path, data.AsSpan());
    }
}
