// Size classes of the caching allocator: at least 256 floats (1 KiB), then four classes per power of two
// (2ᵏ, 1.25·2ᵏ, 1.5·2ᵏ, 1.75·2ᵏ), so a cached block is never more than 25% larger than what was asked and
// a training step that asks for the same shapes every time finds its blocks again.
namespace Gibbs.Cuda.Memory;

internal static class SizeClass
{
    public const long Minimum = 256;

    /// <summary>The capacity (floats) of the class that holds <paramref name="length"/> floats.</summary>
    public static long Of(long length)
    {
        if (length <= Minimum) return Minimum;
        int k = 63 - (int)long.LeadingZeroCount(length - 1);   // 2ᵏ < length ≤ 2ᵏ⁺¹
        long quarter = 1L << (k - 2);                     // classes 2ᵏ + q·2ᵏ⁻², q = 1 … 4
        long over = length - (1L << k);
        return (1L << k) + (over + quarter - 1) / quarter * quarter;
    }
}
