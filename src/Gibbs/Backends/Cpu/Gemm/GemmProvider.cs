// Chooses the CPU GEMM at run time: OpenBLAS when libopenblas.so.0 loads, else the managed kernel.
// GIBBS_GEMM=openblas|managed|avx512|avx2|scalar|reference forces one (tests and benchmarks use it).
// OpenBLAS runs single-threaded inside FixedPartitionGemm, because OpenBLAS's own threading gives
// different bits with 1 and 2 threads; "openblas-threaded" (benchmarks only) is OpenBLAS as it ships.
namespace Gibbs.Backends.Cpu.Gemm;

/// <summary>Run-time choice of the CPU <see cref="IGemm"/> (Math.NET's TryUseNative pattern).</summary>
public static class GemmProvider
{
    private static IGemm? _current;
    private static readonly Lazy<(OpenBlasGemm? Gemm, string Reason)> OpenBlas = new(() =>
    {
        var g = OpenBlasGemm.TryCreate(out var reason);
        g?.SetThreads(1); // Gibbs parallelises around it (FixedPartitionGemm) so results do not depend on the thread count
        return (g, reason);
    });

    /// <summary>The provider in use: GIBBS_GEMM when set, else OpenBLAS when it loads, else <see cref="ManagedGemm"/>.</summary>
    public static IGemm Current
    {
        get => _current ??= Create(Environment.GetEnvironmentVariable("GIBBS_GEMM"));
        set => _current = value;
    }

    /// <summary>True when libopenblas loaded and exports what Gibbs calls.</summary>
    public static bool OpenBlasAvailable => OpenBlas.Value.Gemm is not null;

    /// <summary>Why OpenBLAS is not used (null when it is available).</summary>
    public static string? OpenBlasUnavailableReason => OpenBlasAvailable ? null
        : $"OpenBLAS unavailable ({OpenBlas.Value.Reason}); install it with `apt-get install -y libopenblas0-pthread`";

    /// <summary>
    /// Creates a provider by name: "openblas" (single-threaded OpenBLAS in a fixed partition: bit-identical
    /// for any thread count), "openblas-threaded" (OpenBLAS's own threading, <see cref="Engine.Threads"/>
    /// threads; NOT bit-identical across thread counts; for benchmarks), "managed" (best kernel for this CPU), "avx512", "avx2", "scalar", "reference";
    /// null or empty picks the best available.
    /// </summary>
    public static IGemm Create(string? name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "auto" => OpenBlas.Value.Gemm is { } o ? new FixedPartitionGemm(o) : new ManagedGemm(),
        "openblas" => new FixedPartitionGemm(RequireOpenBlas()),
        "openblas-threaded" => new ThreadedOpenBlas(RequireOpenBlas()),
        "managed" => new ManagedGemm(),
        "scalar" => new ManagedGemm(GemmIsa.Scalar),
        "avx2" => new ManagedGemm(GemmIsa.Avx2),
        "avx512" => new ManagedGemm(GemmIsa.Avx512),
        "reference" => new ReferenceGemm(),
        _ => throw new GibbsException($"unknown GEMM provider '{name}' (GIBBS_GEMM): use openblas, managed, avx512, avx2, scalar or reference"),
    };

    /// <summary>The raw OpenBLAS provider (its thread count is whatever was last set), or a GibbsException saying how to install it.</summary>
    public static OpenBlasGemm RequireOpenBlas() =>
        OpenBlas.Value.Gemm ?? throw new GibbsException(OpenBlasUnavailableReason + " (GIBBS_GEMM=openblas forces it)");

    /// <summary>
    /// Called by <see cref="Engine.Threads"/>'s setter (set that instead). OpenBLAS stays single-threaded
    /// (FixedPartitionGemm's blocks and the managed kernel follow Engine.Threads themselves).
    /// </summary>
    public static void SetThreads(int threads)
    {
        if (threads < 1) throw new GibbsException($"GEMM threads must be at least 1 (got {threads}).");
    }

    /// <summary>One line for `gibbs info`: provider, OpenBLAS version/config, threads, and why OpenBLAS is absent.</summary>
    public static string Describe()
    {
        var g = Current;
        var inner = g is FixedPartitionGemm f ? f.Inner : g;
        string text = inner is OpenBlasGemm ob
            ? $"{ob.Name} ({ob.Config}); single-threaded calls in a fixed partition over {Engine.Threads} threads"
            : $"{g.Name}, {Engine.Threads} threads";
        if (inner is not OpenBlasGemm && !OpenBlasAvailable) text += $"; {OpenBlasUnavailableReason}";
        return text;
    }

    // OpenBLAS with its own threads set to Engine.Threads for each call (benchmarks; not deterministic across counts).
    private sealed unsafe class ThreadedOpenBlas(OpenBlasGemm inner) : IGemm
    {
        public string Name => inner.Name + " (own threading)";

        public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
                          float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        {
            inner.SetThreads(Engine.Threads);
            try { inner.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); }
            finally { inner.SetThreads(1); }
        }
    }
}
