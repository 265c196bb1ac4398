// Chooses the CPU GEMM at run time: OpenBLAS when libopenblas.so.0 loads, else the managed kernel.
// GIBBS_GEMM=openblas|managed|scalar|reference forces one (tests and benchmarks use it).
namespace Gibbs.Backends.Cpu.Gemm;

public static class GemmProvider
{
    private static IGemm? _current;
    private static readonly Lazy<(OpenBlasGemm? Gemm, string? Reason)> OpenBlas = new(() =>
    {
        var g = OpenBlasGemm.TryCreate(out var reason);
        g?.SetThreads(1); // Gibbs parallelises around it (FixedPartitionGemm) so results do not depend on the thread count
        return (g, reason);
    });

    /// <summary>The provider in use.</summary>
    public static IGemm Current
    {
        get => _current ??= Create(Environment.GetEnvironmentVariable("GIBBS_GEMM"));
        set => _current = value;
    }

    public static bool OpenBlasAvailable => OpenBlas.Value.Gemm is not null;

    /// <summary>Why OpenBLAS is not used (null when it is available).</summary>
    public static string? OpenBlasUnavailableReason => OpenBlas.Value.Reason is null ? null
        : $"OpenBLAS not found ({OpenBlas.Value.Reason}); install it with `apt-get install -y libopenblas0-pthread`";

    /// <summary>Creates a provider by name ("openblas", "managed", "scalar", "reference"); null or empty picks the best available.</summary>
    public static IGemm Create(string? name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "auto" => OpenBlas.Value.Gemm is { } o ? new FixedPartitionGemm(o) : new ManagedGemm(),
        "openblas" => OpenBlas.Value.Gemm is { } ob ? new FixedPartitionGemm(ob) : throw new GibbsException(OpenBlasUnavailableReason + " (GIBBS_GEMM=openblas forces it)"),
        "managed" => new ManagedGemm(),
        "scalar" => new ManagedGemm(vectorized: false),
        "reference" => new ReferenceGemm(),
        _ => throw new GibbsException($"unknown GEMM provider '{name}' (GIBBS_GEMM): use openblas, managed, scalar or reference"),
    };

    /// <summary>Called when <see cref="Engine.Threads"/> changes.</summary>
    internal static void SetThreads(int threads)
    {
        // OpenBLAS stays single-threaded; FixedPartitionGemm's blocks follow Engine.Threads.
    }
}
