// Atomic file writes: write to a temporary file in the same directory, flush it to disk, then rename
// over the target. A crash or error at any point leaves the old file (or none) — never a half-written one.
// Temporaries left by killed processes are removed the next time the same file is written.
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
        RemoveStaleTemporaries(dir, Path.GetFileName(full));
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

    /// <summary>
    /// Deletes ".name.tmp-PID-*" files left in <paramref name="dir"/> by processes that no longer run (killed mid-write);
    /// files of live processes (another writer right now) are left alone.
    /// </summary>
    internal static void RemoveStaleTemporaries(string dir, string name)
    {
        string prefix = $".{name}.tmp-";
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(dir, prefix + "*").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var file in candidates)
        {
            var rest = Path.GetFileName(file)[prefix.Length..];
            int dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest.AsSpan(0, dash), out int pid) || ProcessIsAlive(pid)) continue;
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool ProcessIsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
