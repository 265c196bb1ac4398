// The one DllImport resolver of the Gibbs assembly (the runtime allows one per assembly): optional
// native libraries (OpenBLAS now; libcuda, libnvrtc, libcublas later) are registered by import name
// with candidate paths and an optional environment override, loaded once, cached, and reported with
// a reason when absent. Not a loader of required libraries: a missing one is a reason, never a crash.
using System.Reflection;
using System.Runtime.InteropServices;

namespace Gibbs.Backends;

/// <summary>
/// Run-time resolution of optional native libraries for every <c>[LibraryImport]</c> in the Gibbs assembly.
/// A type that imports from a library calls <see cref="Register(string, string[])"/> in its static constructor, which the
/// runtime runs before the type's first P/Invoke; calls should be guarded by <see cref="TryLoad"/>.
/// </summary>
public static class NativeLibraries
{
    private sealed record Entry(string[] Candidates, string? EnvironmentVariable);

    private static readonly object Gate = new();
    private static readonly Dictionary<string, Entry> Registered = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, (nint Handle, string Reason)> Loaded = new(StringComparer.Ordinal);

    static NativeLibraries() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);

    /// <summary>
    /// Registers the files tried, in order, when <paramref name="importName"/> (the name in
    /// <c>[LibraryImport]</c>) is first needed. Registering again replaces the list unless it was loaded.
    /// </summary>
    public static void Register(string importName, params string[] candidatePaths) =>
        Add(importName, null, candidatePaths);

    /// <summary>
    /// As <see cref="Register(string, string[])"/>, with an environment variable (e.g. GIBBS_OPENBLAS)
    /// whose value, when set, is a path tried before the candidates.
    /// </summary>
    public static void RegisterWithOverride(string importName, string environmentVariable, params string[] candidatePaths) =>
        Add(importName, environmentVariable, candidatePaths);

    private static void Add(string importName, string? env, string[] candidates)
    {
        ArgumentException.ThrowIfNullOrEmpty(importName);
        lock (Gate)
        {
            if (!Loaded.ContainsKey(importName)) Registered[importName] = new Entry([.. candidates], env);
        }
    }

    /// <summary>
    /// Loads <paramref name="importName"/> (first call) or returns the cached result. False with a
    /// one-line <paramref name="reason"/> (the paths tried) when no candidate loads; reason is "" on success.
    /// </summary>
    public static bool TryLoad(string importName, out nint handle, out string reason)
    {
        lock (Gate)
        {
            if (!Loaded.TryGetValue(importName, out var r))
            {
                r = Registered.TryGetValue(importName, out var e) ? Load(e)
                    : (0, $"no candidate paths are registered for native library '{importName}'");
                Loaded[importName] = r;
            }
            (handle, reason) = r;
            return handle != 0;
        }
    }

    /// <summary>True when the loaded library exports every one of <paramref name="symbols"/>; else the first missing one.</summary>
    public static bool HasExports(nint handle, out string missing, params string[] symbols)
    {
        foreach (var s in symbols)
            if (!NativeLibrary.TryGetExport(handle, s, out _)) { missing = s; return false; }
        missing = "";
        return true;
    }

    private static (nint, string) Load(Entry e)
    {
        var overridePath = e.EnvironmentVariable is null ? null : Environment.GetEnvironmentVariable(e.EnvironmentVariable);
        string[] all = string.IsNullOrWhiteSpace(overridePath) ? e.Candidates : [overridePath.Trim(), .. e.Candidates];
        foreach (var path in all)
            if (NativeLibrary.TryLoad(path, out var h)) return (h, "");
        var env = e.EnvironmentVariable is null ? "" : $" (set {e.EnvironmentVariable} to its path)";
        return (0, $"none of {string.Join(", ", all)} could be loaded{env}");
    }

    // Registered names resolve to the cached handle; 0 lets the runtime's default probing fail as usual.
    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        bool known;
        lock (Gate) known = Registered.ContainsKey(libraryName);
        return known && TryLoad(libraryName, out var h, out _) ? h : 0;
    }
}
