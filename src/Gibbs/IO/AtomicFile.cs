// Atomic file writes: write to a temporary file in the same directory, flush it to disk, then rename
// over the target. A crash or error at any point leaves the old file (or none) — never a half-written one.
namespace Gibbs.IO;

public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> into a temp file, fsyncs it and renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
            throw new GibbsException($"cannot write {path}: directory {dir} does not exist");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
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
}
