// Philox-4x32-10 counter-based generator (Salmon et al., SC'11). Skeleton: the real generator lands
// with the engine issue.
using Gibbs.Backends;

namespace Gibbs.Rng;

public static class Philox
{
    /// <summary>
    /// Fills dst[j] with element (firstIndex + j) of the stream (seed, counter) for the given distribution.
    /// Element i depends only on (seed, counter, i). A stream of n elements uses counters counter … counter + ⌈n/4⌉ − 1.
    /// </summary>
    public static void Fill(RandomKind kind, ulong seed, ulong counter, long firstIndex, Span<float> dst, float a, float b) =>
        throw new NotImplementedException("Philox lands with the engine issue");
}
