// Chooses the CPU GEMM at run time: OpenBLAS when libopenblas.so.0 loads, else the managed kernel.
// GIBBS_GEMM=openblas|managed|scalar|reference forces one (tests and benchmarks use it).
// Not a registry of every BLAS: MKL, BLIS and CUDA would be further cases of Create.
namespace Gibbs.Backends.Cpu.Gemm;

/// <summary>Run-time choice of the CPU <see cref="IGemm"/> (Math.NET's TryUseNative pattern).</summary>
public static class GemmProvider
{
    private static IGemm? _current;
    private static readonly Lazy<(OpenBlasGemm? Gemm, string Reason)> OpenBlas = new(() =>
    {
        var g = OpenBlasGemm.TryCreate(out var reason);
        g?.SetThreads(Engine.Threads);
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

    /// <summary>Creates a provider by name ("openblas", "managed", "scalar", "reference"); null or empty picks the best available.</summary>
    public static IGemm Create(string? name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "auto" => (IGemm?)OpenBlas.Value.Gemm ?? new ManagedGemm(),
        "openblas" => OpenBlas.Value.Gemm ?? throw new GibbsException(OpenBlasUnavailableReason + " (GIBBS_GEMM=openblas forces it)"),
        "managed" => new ManagedGemm(),
        "scalar" => new ManagedGemm(vectorized: false),
        "reference" => new ReferenceGemm(),
        _ => throw new GibbsException($"unknown GEMM provider '{name}' (GIBBS_GEMM): use openblas, managed, scalar or reference"),
    };

    /// <summary>
    /// Sets OpenBLAS's thread count (when it is loaded; it is also set on load). <see cref="Engine.Threads"/>
    /// calls this — set that instead. The managed kernel reads Engine.Threads itself.
    /// </summary>
    public static void SetThreads(int threads)
    {
        if (threads < 1) throw new GibbsException($"GEMM threads must be at least 1 (got {threads}).");
        if (OpenBlas.IsValueCreated) OpenBlas.Value.Gemm?.SetThreads(threads);
    }

    /// <summary>One line for `gibbs info`: provider, version/config, threads, and why OpenBLAS is absent.</summary>
    public static string Describe()
    {
        var g = Current;
        string text = g is OpenBlasGemm ob ? $"{ob.Name}, {ob.Threads} threads ({ob.Config})" : $"{g.Name}, {Engine.Threads} threads";
        if (g is not OpenBlasGemm && !OpenBlasAvailable) text += $"; {OpenBlasUnavailableReason}";
        return text;
    }
}
