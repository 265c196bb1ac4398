// A caching allocator for CPU buffers: freed blocks of ≥ 4 KiB are kept per exact length and reused,
// so a training loop that allocates the same shapes every step stops paying mmap/munmap (system time)
// for them. Bounded (GIBBS_CPU_POOL_MB, default 512 MiB); beyond that blocks are freed.
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Gibbs.Backends.Cpu;

internal static unsafe class CpuPool
{
    private const int MinPooled = 1024;
    private static readonly ConcurrentDictionary<int, ConcurrentStack<nint>> Free = new();
    private static readonly long MaxBytes = (long.TryParse(Environment.GetEnvironmentVariable("GIBBS_CPU_POOL_MB"), out var mb) && mb >= 0 ? mb : 512) << 20;
    private static long _pooledBytes;

    /// <summary>Bytes currently held for reuse.</summary>
    public static long PooledBytes => Interlocked.Read(ref _pooledBytes);

    public static float* Rent(int length)
    {
        if (length >= MinPooled && Free.TryGetValue(length, out var stack) && stack.TryPop(out var p))
        {
            Interlocked.Add(ref _pooledBytes, -(long)length * sizeof(float));
            return (float*)p;
        }
        return (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1) * sizeof(float), 64);
    }

    public static void Return(float* p, int length)
    {
        long bytes = (long)length * sizeof(float);
        if (length >= MinPooled && Interlocked.Add(ref _pooledBytes, bytes) <= MaxBytes)
        {
            Free.GetOrAdd(length, _ => new ConcurrentStack<nint>()).Push((nint)p);
            return;
        }
        if (length >= MinPooled) Interlocked.Add(ref _pooledBytes, -bytes);
        NativeMemory.AlignedFree(p);
    }

    /// <summary>Frees every pooled block.</summary>
    public static void Trim()
    {
        foreach (var stack in Free.Values)
            while (stack.TryPop(out var p))
            {
                NativeMemory.AlignedFree((void*)p);
            }
        Interlocked.Exchange(ref _pooledBytes, 0);
    }
}
