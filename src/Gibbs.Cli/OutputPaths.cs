// Output paths checked before any long work: a file path that is a directory, a report folder that is a
// file, a missing parent that cannot be created — one clear line each, and nothing trained or written.
namespace Gibbs.Cli;

internal static class OutputPaths
{
    /// <summary>Throws unless <paramref name="path"/> can be written as a file (its folder is created when missing).</summary>
    public static void CheckFile(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new GibbsException($"{what} is empty: give a file path");
        if (Directory.Exists(path)) throw new GibbsException($"{what} '{path}' is a directory: give a file path, e.g. {Path.Combine(path, "out" + DefaultExtension(what))}");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) EnsureDirectory(dir, $"the folder of {what} '{path}'");
    }

    /// <summary>Throws unless <paramref name="path"/> is (or can be created as) a directory; creates it.</summary>
    public static void CheckDirectory(string path, string what)
    {
        if (File.Exists(path)) throw new GibbsException($"{what} '{path}' is a file, not a folder: give a folder path (it is created when missing)");
        EnsureDirectory(path, $"{what} '{path}'");
    }

    /// <summary>Throws when a file the command will write inside <paramref name="dir"/> exists as a directory.</summary>
    public static void CheckFilesIn(string dir, params string[] names)
    {
        foreach (var n in names)
            if (Directory.Exists(Path.Combine(dir, n))) throw new GibbsException($"cannot write {Path.Combine(dir, n)}: a directory of that name is in the way; move or rename it");
    }

    private static void EnsureDirectory(string dir, string what)
    {
        if (Directory.Exists(dir)) return;
        if (File.Exists(dir)) throw new GibbsException($"{what} cannot be created: '{dir}' is a file");
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GibbsException($"{what} cannot be created ({e.Message.TrimEnd('.')}); choose a writable location");
        }
    }

    private static string DefaultExtension(string what) => what.Contains("png", StringComparison.OrdinalIgnoreCase) ? ".png" : ".safetensors";

    /// <summary>Writes <paramref name="json"/> indented to <paramref name="path"/>, atomically (a report's metrics.json).</summary>
    public static void WriteJson(string path, System.Text.Json.Nodes.JsonObject json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Gibbs.IO.AtomicFile.Write(path, s => s.Write(bytes));
    }
}
