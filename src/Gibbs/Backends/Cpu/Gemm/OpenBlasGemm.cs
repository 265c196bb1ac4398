// OpenBLAS SGEMM through source-generated [LibraryImport]s of libopenblas.so.0 (Debian package
// libopenblas0-pthread), resolved at run time by NativeLibraries, so Gibbs builds and runs without it.
// Row-major CBLAS interface. Not bit-identical across thread counts in general: see docs/benchmarks.md.
using System.Runtime.InteropServices;

namespace Gibbs.Backends.Cpu.Gemm;

/// <summary>Single-precision GEMM by OpenBLAS's <c>cblas_sgemm</c>.</summary>
public sealed unsafe partial class OpenBlasGemm : IGemm
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private OpenBlasGemm() => Config = Native.Config();

    /// <summary>OpenBLAS's own description, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH … Cooperlake MAX_THREADS=64".</summary>
    public string Config { get; }

    /// <summary>The version number from <see cref="Config"/> ("0.3.21"), or "?".</summary>
    public string Version => Config.Split(' ') is [_, var v, ..] ? v : "?";

    public string Name => $"OpenBLAS {Version}";

    /// <summary>OpenBLAS's worker thread count (openblas_get_num_threads).</summary>
    public int Threads => Native.openblas_get_num_threads();

    /// <summary>Loads OpenBLAS (GIBBS_OPENBLAS may name the file), or returns null and a one-line reason.</summary>
    public static OpenBlasGemm? TryCreate(out string reason)
    {
        if (!Native.TryLoad(out reason)) return null;
        return new OpenBlasGemm();
    }

    /// <summary>Sets OpenBLAS's worker threads (openblas_set_num_threads); process-wide.</summary>
    public void SetThreads(int threads) => Native.openblas_set_num_threads(threads);

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
                      float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= 0 || n <= 0) return;
        Native.cblas_sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k,
                           alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static partial class Native
    {
        private const string Lib = "libopenblas.so.0";

        // Runs before the first P/Invoke below (explicit static constructor: precise initialisation).
        static Native() => NativeLibraries.RegisterWithOverride(Lib, "GIBBS_OPENBLAS",
            "libopenblas.so.0", "libopenblas.so",
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
            "/usr/lib64/libopenblas.so.0", "/usr/local/lib/libopenblas.so.0", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib");

        public static bool TryLoad(out string reason)
        {
            if (!NativeLibraries.TryLoad(Lib, out var h, out reason)) return false;
            if (NativeLibraries.HasExports(h, out var missing,
                    "cblas_sgemm", "openblas_set_num_threads", "openblas_get_num_threads", "openblas_get_config")) return true;
            reason = $"the loaded {Lib} has no symbol '{missing}' (not OpenBLAS, or too old)";
            return false;
        }

        public static string Config() => Marshal.PtrToStringUTF8((nint)openblas_get_config())?.Trim() ?? "OpenBLAS";

        [LibraryImport(Lib)]
        public static partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
                                               float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

        [LibraryImport(Lib)]
        public static partial void openblas_set_num_threads(int threads);

        [LibraryImport(Lib)]
        public static partial int openblas_get_num_threads();

        [LibraryImport(Lib)]
        public static partial byte* openblas_get_config();
    }
}
