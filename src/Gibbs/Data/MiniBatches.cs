// Shuffled mini-batches: a fresh permutation of the rows for every epoch from a Generator (so a seed
// fixes the order), cut into batches of row indices; the last partial batch is kept or dropped.
using Gibbs.Rng;

namespace Gibbs.Data;

public static class MiniBatches
{
    /// <summary>The batches of one epoch as row-index arrays (shuffled when <paramref name="gen"/> is given, else in order).</summary>
    public static IEnumerable<int[]> Epoch(int rows, int batchSize, Generator? gen, bool dropLast = false)
    {
        if (batchSize < 1) throw new GibbsException($"batch size must be at least 1, got {batchSize}");
        var order = gen is null ? Enumerable.Range(0, rows).ToArray() : gen.Permutation(rows);
        for (int start = 0; start < rows; start += batchSize)
        {
            int count = Math.Min(batchSize, rows - start);
            if (count < batchSize && dropLast) yield break;
            yield return order.AsSpan(start, count).ToArray();
        }
    }

    /// <summary>The rows of one batch of <paramref name="data"/> as a [batch × features] tensor.</summary>
    public static Tensor Gather(Dataset data, int[] batch, Backends.Device? device = null)
    {
        var x = new float[batch.Length * data.Features];
        data.GatherRows(batch, x);
        return Tensor.FromArray(x, [batch.Length, data.Features], device);
    }
}
