// LAPACK's dgesdd (thin SVD by divide and conquer, float64) from OpenBLAS's libopenblas.so.0. Debian's
// libopenblas0-pthread exports reference LAPACK built against OpenBLAS's BLAS. It is built NO_LAPACKE, so these are the
// Fortran symbols: every argument by pointer, gfortran's hidden CHARACTER length last. OpenBlasGemm and
// NativeLibraries load the library: one resolver, one GIBBS_OPENBLAS override. Not a general LAPACK wrapper: only what
// RidgeSvd needs. The managed fallback (Math.NET) is RidgeSvd's.
// Determinism: OpenBLAS's threaded BLAS inside LAPACK gives different bits with 1 and 2 threads (docs/benchmarks.md,
// "Determinism"). GemmProvider keeps OpenBLAS at one thread, and every call here re-pins it to one first. So a
// decomposition is bit-identical for any Engine.Threads and any OPENBLAS_NUM_THREADS.
using System.Runtime.InteropServices;
using Gibbs.Backends.Cpu.Gemm;

namespace Gibbs.Backends.Cpu.Lapack;

/// <summary>
/// Run-time access to OpenBLAS's LAPACK (<c>dgesdd_</c>) for the float64 thin SVD of <see cref="Models.Ridge.RidgeSvd"/>.
/// GIBBS_LAPACK=openblas|managed forces a path (tests and benchmarks); unset or "auto" uses OpenBLAS when it loads.
/// </summary>
public static unsafe partial class OpenBlasLapack
{
    private const string Lib = "libopenblas.so.0";

    // The reason OpenBLAS's LAPACK is absent, or null when it can be called.
    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!GemmProvider.OpenBlasAvailable) return GemmProvider.OpenBlasUnavailableReason;   // loads and registers it, one thread
        if (!NativeLibraries.TryLoad(Lib, out var h, out var reason)) return reason;
        return NativeLibraries.HasExports(h, out var missing, "dgesdd_") ? null
            : $"the loaded {Lib} has no LAPACK symbol '{missing}' (an OpenBLAS built without LAPACK)";
    });

    /// <summary>True when libopenblas loaded and exports dgesdd_.</summary>
    public static bool Available => Missing.Value is null;

    /// <summary>Why OpenBLAS's LAPACK is not used (null when it is available).</summary>
    public static string? UnavailableReason => Missing.Value;

    /// <summary>
    /// Whether RidgeSvd decomposes with OpenBLAS: GIBBS_LAPACK=managed → false, openblas → true (a GibbsException
    /// saying how to install it when absent), unset or auto → <see cref="Available"/>. Read once per process.
    /// </summary>
    public static bool Preferred => Choice.Value;

    private static readonly Lazy<bool> Choice = new(() => Choose(Environment.GetEnvironmentVariable("GIBBS_LAPACK")));

    /// <summary>The choice for a GIBBS_LAPACK value (null or "auto": <see cref="Available"/>).</summary>
    internal static bool Choose(string? setting) => (setting ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "auto" => Available,
        "managed" => false,
        "openblas" => Available ? true
            : throw new GibbsException($"OpenBLAS's LAPACK is unavailable ({UnavailableReason}); install it with `apt-get install -y libopenblas0-pthread` (GIBBS_LAPACK=openblas forces it)"),
        var other => throw new GibbsException($"unknown LAPACK provider '{other}' (GIBBS_LAPACK): use openblas, managed or auto"),
    };

    /// <summary>One line for reports, "LAPACK dgesdd (OpenBLAS 0.3.21, 1 thread)"; only when <see cref="Available"/>.</summary>
    public static string Name => $"LAPACK dgesdd ({GemmProvider.RequireOpenBlas().Name}, 1 thread)";

    /// <summary>
    /// The thin SVD A = U diag(s) Vᵀ of A [rows × cols], column-major with leading dimension rows, which is destroyed;
    /// k = min(rows, cols). Writes s [k] (descending, ≥ 0), U [rows × k] column-major (ld rows) and Vᵀ [k × cols]
    /// column-major (ld k). Returns LAPACK's info: 0 on success, &gt; 0 when the bidiagonal divide and conquer did not
    /// converge (the caller falls back). Singular vectors have LAPACK's signs, which differ from Math.NET's.
    /// <paramref name="pinOneThread"/> false leaves OpenBLAS's thread count as it is (only the test that measures why
    /// the pin is needed).
    /// </summary>
    internal static int Dgesdd(int rows, int cols, double[] a, double[] s, double[] u, double[] vt, bool pinOneThread = true)
    {
        int k = Math.Min(rows, cols);
        if (a.Length < (long)rows * cols || s.Length < k || u.Length < (long)rows * k || vt.Length < (long)k * cols)
            throw new ArgumentException($"dgesdd: buffers too small for {rows} × {cols}");
        if (!Available) throw new GibbsException(UnavailableReason + " (OpenBlasLapack.Dgesdd)");
        var blas = GemmProvider.RequireOpenBlas();
        if (pinOneThread && blas.Threads != 1) blas.SetThreads(1);   // see the header: one thread, whatever was set since
        byte jobz = (byte)'S';
        int lda = Math.Max(1, rows), ldu = Math.Max(1, rows), ldvt = Math.Max(1, k), info = 0, lwork = -1;
        var iwork = new int[8 * Math.Max(1, k)];
        double query = 0;
        fixed (double* pa = a, ps = s, pu = u, pvt = vt)
        fixed (int* piw = iwork)
        {
            Native.dgesdd_(&jobz, &rows, &cols, pa, &lda, ps, pu, &ldu, pvt, &ldvt, &query, &lwork, piw, &info, 1);
            if (info != 0) throw new InvalidOperationException($"dgesdd workspace query: info = {info}");
            lwork = (int)Math.Min(int.MaxValue, Math.Ceiling(query));
            var work = new double[Math.Max(1, lwork)];
            fixed (double* pw = work)
                Native.dgesdd_(&jobz, &rows, &cols, pa, &lda, ps, pu, &ldu, pvt, &ldvt, pw, &lwork, piw, &info, 1);
        }
        if (info < 0) throw new InvalidOperationException($"dgesdd: argument {-info} is invalid");
        return info;
    }

    private static partial class Native
    {
        // SUBROUTINE DGESDD(JOBZ, M, N, A, LDA, S, U, LDU, VT, LDVT, WORK, LWORK, IWORK, INFO), gfortran ABI.
        [LibraryImport(Lib)]
        public static partial void dgesdd_(byte* jobz, int* m, int* n, double* a, int* lda, double* s, double* u, int* ldu,
                                           double* vt, int* ldvt, double* work, int* lwork, int* iwork, int* info, nuint jobzLength);
    }
}
