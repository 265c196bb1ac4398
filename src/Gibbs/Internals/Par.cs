// Deterministic data parallelism: work is cut into a fixed grid of chunks that does not depend on
// the thread count, so every element is computed by the same code path with 1 or N threads
// (bit-identical results). Threads only decide who runs which chunk. Callers run a job that fits one
// chunk directly (no delegate, no allocation) and hand larger ones to these helpers.
namespace Gibbs.Internals;

internal static class Par
{
    /// <summary>Default chunk for elementwise work: a multiple of every SIMD width.</summary>
    public const int ElementChunk = 1 << 14;

    /// <summary>Below about this many element-operations a job is not worth splitting across threads.</summary>
    public const long MinParallelWork = 1 << 17;

    /// <summary>
    /// Elementwise work over [0, n) on the fixed <see cref="ElementChunk"/> grid; jobs under <see cref="MinParallelWork"/>
    /// elements run on the calling thread (handing them to the pool costs more than it saves). Same chunks either way.
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
        if (chunks == 1 || threads == 1)
        {
            for (int c = 0; c < chunks; c++) body(c * chunk, (int)Math.Min(n, (long)(c + 1) * chunk));
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            c => body(c * chunk, (int)Math.Min(n, (long)(c + 1) * chunk)));
    }

    /// <summary>Runs body(start, end) over rows [0, n) whose own work is deterministic, ~32 k operations per chunk.</summary>
    public static void Rows(int n, long workPerRow, Action<int, int> body)
    {
        int rowsPerChunk = (int)Math.Clamp(32768 / Math.Max(1, workPerRow), 1, Math.Max(1, n));
        if ((long)n * workPerRow < MinParallelWork)
        {
            for (int s = 0; s < n; s += rowsPerChunk) body(s, Math.Min(n, s + rowsPerChunk));
            return;
        }
        For(n, rowsPerChunk, body);
    }

    /// <summary>True when a job of <paramref name="work"/> element-operations runs on the calling thread anyway.</summary>
    public static bool IsSmall(long work) => work < MinParallelWork || Engine.Threads == 1;
}
