// Deterministic data parallelism: work is cut into a fixed grid of chunks that does not depend on
// the thread count, so every element is computed by the same code path with 1 or N threads
// (bit-identical results). Threads only decide who runs which chunk.
namespace Gibbs.Internals;

internal static class Par
{
    /// <summary>Default chunk for elementwise work: a multiple of every SIMD width.</summary>
    public const int ElementChunk = 1 << 14;

    /// <summary>Below about this many element-operations a job is not worth splitting across threads.</summary>
    private const long MinParallelWork = 1 << 16;

    /// <summary>
    /// Elementwise work over [0, n) on the fixed <see cref="ElementChunk"/> grid; jobs under ~128 k elements run on the
    /// calling thread (handing them to the pool costs more than it saves). Same chunks either way, so same results.
    /// </summary>
    public static void ForElements(int n, Action<int, int> body)
    {
        if (n < MinParallelWork)
        {
            for (int s = 0; s < n; s += ElementChunk) body(s, Math.Min(n, s + ElementChunk));
            return;
        }
        For(n, ElementChunk, body);
    }

    /// <summary>Runs body(start, end) over [0, n) in chunks of <paramref name="chunk"/>.</summary>
    public static void For(int n, int chunk, Action<int, int> body)
    {
        if (n <= 0) return;
        int chunks = (int)(((long)n + chunk - 1) / chunk);
        int threads = Engine.Threads;
        // Handing work to the thread pool costs tens of microseconds: small jobs run inline (same chunks,
        // same results — only who runs them changes).
        if (chunks == 1 || threads == 1)
        {
            for (int c = 0; c < chunks; c++) body(c * chunk, (int)Math.Min(n, (long)(c + 1) * chunk));
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            c => body(c * chunk, (int)Math.Min(n, (long)(c + 1) * chunk)));
    }

    /// <summary>Runs body(i) for i in [0, n): for independent rows whose own work is deterministic.</summary>
    public static void Rows(int n, long workPerRow, Action<int, int> body)
    {
        // Aim for chunks of >= 32k flops so tiny problems stay on one thread.
        int rowsPerChunk = (int)Math.Clamp(32768 / Math.Max(1, workPerRow), 1, Math.Max(1, n));
        if ((long)n * workPerRow < MinParallelWork)
        {
            for (int s = 0; s < n; s += rowsPerChunk) body(s, Math.Min(n, s + rowsPerChunk));
            return;
        }
        For(n, rowsPerChunk, body);
    }
}
