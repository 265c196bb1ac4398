// OpenBLAS SGEMM through function pointers resolved at run time from libopenblas.so.0 (Debian package
// libopenblas0-pthread), so Gibbs builds and runs without it. Row-major CBLAS interface.
using System.Runtime.InteropServices;

namespace Gibbs.Backends.Cpu.Gemm;

public sealed unsafe class OpenBlasGemm : IGemm
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;
    private static readonly string[] Candidates =
    [
        "libopenblas.so.0", "libopenblas.so",
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
    ];

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setThreads;
    private readonly delegate* unmanaged<nint> _config;

    private OpenBlasGemm(nint lib)
    {
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibraries.Export(lib, "OpenBLAS", "cblas_sgemm");
        _setThreads = (delegate* unmanaged<int, void>)NativeLibraries.Export(lib, "OpenBLAS", "openblas_set_num_threads");
        _config = (delegate* unmanaged<nint>)NativeLibraries.Export(lib, "OpenBLAS", "openblas_get_config");
        Config = Marshal.PtrToStringAnsi(_config())?.Trim() ?? "OpenBLAS";
    }

    /// <summary>OpenBLAS's own description (version, kernel, threading).</summary>
    public string Config { get; }

    public string Name => $"OpenBLAS ({Config})";

    /// <summary>Loads OpenBLAS (GIBBS_OPENBLAS may name the file), or returns null and the reason.</summary>
    public static OpenBlasGemm? TryCreate(out string? reason)
    {
        if (!NativeLibraries.TryLoad("openblas", "GIBBS_OPENBLAS", Candidates, out var h, out reason)) return null;
        try { return new OpenBlasGemm(h); }
        catch (GibbsException e) { reason = e.Message; return null; }
    }

    public void SetThreads(int threads) => _setThreads(threads);

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
                      float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= 0 || n <= 0) return;
        _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
