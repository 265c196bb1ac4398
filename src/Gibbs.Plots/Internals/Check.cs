// Argument checks shared by the writers; every message names the argument and the offending value.
namespace Gibbs.Plots.Internals;

internal static class Check
{
    /// <summary>Throws unless <paramref name="path"/> names a file (non-empty, not a directory).</summary>
    public static void OutputPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("path is empty; expected a .png file path", nameof(path));
        if (path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar) || Directory.Exists(path))
            throw new ArgumentException($"path '{path}' is a directory; expected a .png file path", nameof(path));
    }

    /// <summary>Throws unless <paramref name="value"/> ≥ 1.</summary>
    public static void Positive(int value, string name)
    {
        if (value < 1)
            throw new ArgumentException($"{name} is {value}, expected at least 1", name);
    }
}
