// Run-time loading of optional native libraries (OpenBLAS now, CUDA later): a list of candidate
// paths per library, an environment override, and a reason string when none loads — never a crash.
using System.Runtime.InteropServices;

namespace Gibbs.Backends;

public static class NativeLibraries
{
    private static readonly Dictionary<string, (nint Handle, string? Reason)> Cache = new();

    /// <summary>
    /// Loads the first candidate that exists (after <paramref name="envOverride"/>'s path, when set). Returns false with
    /// the reason when none loads. Results are cached per library name.
    /// </summary>
    public static bool TryLoad(string name, string? envOverride, IReadOnlyList<string> candidates, out nint handle, out string? reason)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var entry))
            {
                entry = Load(envOverride, candidates);
                Cache[name] = entry;
            }
            (handle, reason) = entry;
            return handle != 0;
        }
    }

    private static (nint, string?) Load(string? envOverride, IReadOnlyList<string> candidates)
    {
        var tried = new List<string>();
        var overridePath = envOverride is null ? null : Environment.GetEnvironmentVariable(envOverride);
        var all = string.IsNullOrEmpty(overridePath) ? candidates : [overridePath, .. candidates];
        foreach (var c in all)
        {
            if (NativeLibrary.TryLoad(c, out var h)) return (h, null);
            tried.Add(c);
        }
        return (0, $"none of {string.Join(", ", tried)} could be loaded");
    }

    /// <summary>The address of <paramref name="symbol"/>, or a GibbsException naming it.</summary>
    public static nint Export(nint handle, string library, string symbol) =>
        NativeLibrary.TryGetExport(handle, symbol, out var p) ? p
            : throw new GibbsException($"{library} has no symbol '{symbol}': the library is too old or not {library}");
}
