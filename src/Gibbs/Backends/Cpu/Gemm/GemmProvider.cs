// Chooses the CPU GEMM at run time: OpenBLAS when libopenblas.so.0 loads, else the managed kernel.
// GIBBS_GEMM=openblas|managed|reference forces one (tests and benchmarks use it).
// (Skeleton: the real OpenBLAS and managed providers land with the engine issue.)
namespace Gibbs.Backends.Cpu.Gemm;

public static class GemmProvider
{
    private static IGemm? _current;

    /// <summary>The provider in use.</summary>
    public static IGemm Current
    {
        get => _current ??= Create(Environment.GetEnvironmentVariable("GIBBS_GEMM"));
        set => _current = value;
    }

    /// <summary>Creates a provider by name ("openblas", "managed", "reference"); null or empty picks the best available.</summary>
    public static IGemm Create(string? name) => new ReferenceGemm();

    /// <summary>Called when <see cref="Engine.Threads"/> changes.</summary>
    internal static void SetThreads(int threads) { }
}
