// libcublas, located at run time: GIBBS_CUBLAS (a path) first, then the sonames of CUDA 13, 12 and 11 on the
// loader's path and under CUDA_PATH / /usr/local/cuda. The assembly's one DllImport resolver maps the import
// name "cublas" to whichever loaded; a missing library is a reason string, never a crash.
using System.Reflection;
using System.Runtime.InteropServices;

namespace Gibbs.Cuda.Blas;

internal static class CublasLibrary
{
    public const string ImportName = "cublas";

    private static readonly object Gate = new();
    private static (nint Handle, string Reason)? _loaded;

    static CublasLibrary() => NativeLibrary.SetDllImportResolver(typeof(CublasLibrary).Assembly, Resolve);

    /// <summary>The candidate files, in the order tried.</summary>
    public static IReadOnlyList<string> Candidates()
    {
        var list = new List<string>();
        if (Environment.GetEnvironmentVariable("GIBBS_CUBLAS") is { Length: > 0 } p) list.Add(p);
        string[] names = OperatingSystem.IsWindows() ? ["cublas64_13.dll", "cublas64_12.dll", "cublas64_11.dll"] : ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"];
        list.AddRange(names);
        foreach (var root in new[] { Environment.GetEnvironmentVariable("CUDA_PATH"), "/usr/local/cuda" })
            if (!string.IsNullOrEmpty(root))
                foreach (var n in names) list.Add(Path.Combine(root, OperatingSystem.IsWindows() ? "bin" : "lib64", n));
        return list;
    }

    /// <summary>Loads libcublas once; false with the files tried when none loads.</summary>
    public static bool TryLoad(out string reason)
    {
        lock (Gate)
        {
            if (_loaded is null)
            {
                var tried = Candidates();
                nint h = 0;
                foreach (var c in tried)
                    if (NativeLibrary.TryLoad(c, out h)) break;
                _loaded = h != 0 ? (h, "") : (0, $"libcublas not found (tried {string.Join(", ", tried.Take(4))}; set GIBBS_CUBLAS to its path)");
            }
            reason = _loaded.Value.Reason;
            return _loaded.Value.Handle != 0;
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == ImportName && TryLoad(out _) ? _loaded!.Value.Handle : 0;
}
