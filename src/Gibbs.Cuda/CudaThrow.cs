// Throw helpers of the CUDA backend (Sep's SepThrow pattern): [DoesNotReturn] + [StackTraceHidden] keep the
// hot paths small, and every message is one line that says what failed and what to do.
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Gibbs.Cuda;

internal static class CudaThrow
{
    [DoesNotReturn, StackTraceHidden]
    public static void Disposed(string what) =>
        throw new ObjectDisposedException(what, $"{what} was used after it was disposed (a TensorScope ended, or Dispose was called).");

    [DoesNotReturn, StackTraceHidden]
    public static void Argument(string message) => throw new ArgumentException(message);

    [DoesNotReturn, StackTraceHidden]
    public static void WrongBackend(string what) =>
        throw new GibbsException($"{what} belongs to another backend: move tensors to the same device before mixing them (tensor.To(device)).");

    [DoesNotReturn, StackTraceHidden]
    public static void OutOfMemory(string device, long askedBytes, long freeBytes, long totalBytes, long releasedBytes) =>
        throw new GibbsException($"{device} is out of memory: asked for {Bytes(askedBytes)}, {Bytes(freeBytes)} free of {Bytes(totalBytes)}" +
                                 $" (after releasing {Bytes(releasedBytes)} of cached blocks); use a smaller batch or model.");

    [DoesNotReturn, StackTraceHidden]
    public static void Cublas(string call, int status) =>
        throw new GibbsException($"cuBLAS call {call} failed with status {status} ({CublasStatusName(status)}).");

    [DoesNotReturn, StackTraceHidden]
    public static void RankTooLarge(int rank, int max) =>
        throw new GibbsException($"a strided operation of collapsed rank {rank} exceeds the CUDA backend's {max}; reshape to fewer dimensions.");

    /// <summary>1536 → "1.5 KiB".</summary>
    public static string Bytes(long b)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = b;
        int u = 0;
        while (Math.Abs(v) >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        return u == 0 ? $"{b} B" : $"{v:0.##} {units[u]}";
    }

    private static string CublasStatusName(int status) => status switch
    {
        1 => "NOT_INITIALIZED",
        3 => "ALLOC_FAILED",
        7 => "INVALID_VALUE",
        8 => "ARCH_MISMATCH",
        11 => "MAPPING_ERROR",
        13 => "EXECUTION_FAILED",
        14 => "INTERNAL_ERROR",
        15 => "NOT_SUPPORTED",
        _ => "unknown",
    };
}
