// Shuffled mini-batches. Preferred form: Permutation(rows, seed, epoch) — a Fisher–Yates shuffle driven by
// splitmix64 stream `epoch` of `seed`, so epoch e of a run is reproducible on its own (resume at epoch e
// without replaying 0..e-1) — and Batches(...) cuts it into index ranges; GatherRows copies one batch
// into the caller's buffer (one copy into the tensor). The Generator overload of Epoch is kept for callers
// that already hold a Gibbs.Rng stream. Not here: binarisation (Binarize.cs), the rows (Dataset.cs).
using Gibbs.Rng;

namespace Gibbs.Data;

public static class MiniBatches
{
    /// <summary>The row order of epoch <paramref name="epoch"/>: a permutation of 0..rows-1, a pure function of (seed, epoch).</summary>
    public static int[] Permutation(int rows, ulong seed, int epoch)
    {
        if (rows < 0) throw new GibbsException($"row count must be non-negative, got {rows}");
        return SplitMix64.For(seed, (ulong)(uint)epoch).Permutation(rows);
    }

    /// <summary>The batches of a row order as (Start, Count) ranges into it; the last partial batch is kept unless <paramref name="dropLast"/>.</summary>
    public static IEnumerable<Range> Batches(int rows, int batchSize, bool dropLast = false)
    {
        if (batchSize < 1) throw new GibbsException($"batch size must be at least 1, got {batchSize}");
        for (int start = 0; start < rows; start += batchSize)
        {
            int count = Math.Min(batchSize, rows - start);
            if (count < batchSize && dropLast) yield break;
            yield return new Range(start, start + count);
        }
    }

    /// <summary>The batches of epoch <paramref name="epoch"/> as row-index arrays: Permutation(rows, seed, epoch) cut by Batches.</summary>
    public static IEnumerable<int[]> Epoch(int rows, int batchSize, ulong seed, int epoch, bool dropLast = false)
    {
        var order = Permutation(rows, seed, epoch);
        return Batches(rows, batchSize, dropLast).Select(r => order[r]);
    }

    /// <summary>The batches of one epoch as row-index arrays (shuffled when <paramref name="gen"/> is given, else in order).</summary>
    public static IEnumerable<int[]> Epoch(int rows, int batchSize, Generator? gen, bool dropLast = false)
    {
        var order = gen is null ? Enumerable.Range(0, rows).ToArray() : gen.Permutation(rows);
        return Batches(rows, batchSize, dropLast).Select(r => order[r]);
    }

    /// <summary>The rows of one batch of <paramref name="data"/> as a [batch × features] tensor.</summary>
    public static Tensor Gather(Dataset data, int[] batch, Backends.Device? device = null)
    {
        var x = new float[batch.Length * data.Features];
        data.GatherRows(batch, x);
        return Tensor.FromArray(x, [batch.Length, data.Features], device);
    }
}
