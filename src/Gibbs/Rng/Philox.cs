// Philox-4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11),
// the counter-based generator behind every random tensor: element i of a stream depends only on
// (seed, counter, i), so any chunking, thread count or device (the CUDA kernel does the same integer
// arithmetic) gives the same numbers.
//
// Stream mapping (replicate exactly on other backends):
//   key   = (lo32(seed), hi32(seed));   block b = counter + ⌊i/4⌋;   ctr = (lo32(b), hi32(b), 0, 0)
//   x     = Philox4x32_10(ctr, key)[i mod 4]                         (uint32)
//   Uniform(a, b):  u = (x >> 8)·2⁻²⁴ ∈ [0, 1);  a + (b − a)·u      (float arithmetic)
//   Normal(μ, σ):   lanes (0,1) and (2,3) of a block form Box–Muller pairs p = (i mod 4)/2:
//                   u₁ = ((x_{2p} >> 8) + 1)·2⁻²⁴ ∈ (0, 1],  u₂ = (x_{2p+1} >> 8)·2⁻²⁴,
//                   r = √(−2 ln u₁), θ = 2π u₂;  z = r cos θ (even i) or r sin θ (odd i);  fma(σ, z, μ)
//   Laplace(μ, s):  u = ((x >> 8) + ½)·2⁻²⁴ − ½ ∈ (−½, ½);  z = −sign(u)·ln(1 − 2|u|);  fma(s, z, μ)
//   ln, cos, sin are PhiloxMath's float32 definitions (IEEE ops and explicit FMAs only), not the C library's,
//   so a GPU computes the same bits.
using System.Runtime.CompilerServices;
using Gibbs.Backends;

namespace Gibbs.Rng;

public static partial class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    private const float Inv24 = 1f / (1 << 24);

    /// <summary>The Philox-4x32-10 bijection of a 128-bit counter under a 64-bit key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint, uint, uint, uint) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int r = 0; r < 10; r++)
        {
            if (r > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0, hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>The four 32-bit outputs of block <paramref name="block"/> of stream <paramref name="seed"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint, uint, uint, uint) Block(ulong seed, ulong block) =>
        Block((uint)block, (uint)(block >> 32), 0, 0, (uint)seed, (uint)(seed >> 32));

    /// <summary>
    /// Fills dst[j] with element (firstIndex + j) of the stream (seed, counter) for the given distribution
    /// (see the file header for the exact mapping). A stream of n elements uses counters counter … counter + ⌈n/4⌉ − 1.
    /// </summary>
    public static void Fill(RandomKind kind, ulong seed, ulong counter, long firstIndex, Span<float> dst, float a, float b)
    {
        if (kind == RandomKind.Uniform)
        {
            FillUniform(seed, counter, firstIndex, dst, a, b);
            return;
        }
        long i = firstIndex, end = firstIndex + dst.Length;
        int j = 0;
        while (i < end)
        {
            ulong block = counter + (ulong)(i >> 2);
            var (x0, x1, x2, x3) = Block(seed, block);
            for (int lane = (int)(i & 3); lane < 4 && i < end; lane++, i++, j++)
            {
                dst[j] = kind switch
                {
                    RandomKind.Uniform => a + (b - a) * ((Lane(x0, x1, x2, x3, lane) >> 8) * Inv24),
                    RandomKind.Normal => MathF.FusedMultiplyAdd(b, lane < 2 ? PhiloxMath.Normal(x0, x1, lane == 1) : PhiloxMath.Normal(x2, x3, lane == 3), a),
                    RandomKind.Laplace => MathF.FusedMultiplyAdd(b, PhiloxMath.Laplace(Lane(x0, x1, x2, x3, lane)), a),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind)),
                };
            }
        }
    }

    // The hot path (Bernoulli sampling, dropout): whole blocks written without per-element dispatch.
    private static void FillUniform(ulong seed, ulong counter, long firstIndex, Span<float> dst, float a, float b)
    {
        int j = 0;
        long i = firstIndex;
        while (j < dst.Length && (i & 3) != 0)
        {
            var (x0, x1, x2, x3) = Block(seed, counter + (ulong)(i >> 2));
            dst[j++] = a + (b - a) * ((Lane(x0, x1, x2, x3, (int)(i & 3)) >> 8) * Inv24);
            i++;
        }
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            unsafe
            {
                fixed (float* p = dst)
                    for (; j + 32 <= dst.Length; j += 32, i += 32)
                        Uniform8Blocks(seed, counter + (ulong)(i >> 2), p + j, a, b);
            }
        }
        for (; j + 4 <= dst.Length; j += 4, i += 4)
        {
            ulong blk = counter + (ulong)(i >> 2);
            var (x0, x1, x2, x3) = Block((uint)blk, (uint)(blk >> 32), 0, 0, k0, k1);
            dst[j] = a + (b - a) * ((x0 >> 8) * Inv24);
            dst[j + 1] = a + (b - a) * ((x1 >> 8) * Inv24);
            dst[j + 2] = a + (b - a) * ((x2 >> 8) * Inv24);
            dst[j + 3] = a + (b - a) * ((x3 >> 8) * Inv24);
        }
        if (j < dst.Length)
        {
            var (x0, x1, x2, x3) = Block(seed, counter + (ulong)(i >> 2));
            for (int lane = 0; j < dst.Length; lane++, j++) dst[j] = a + (b - a) * ((Lane(x0, x1, x2, x3, lane) >> 8) * Inv24);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Lane(uint x0, uint x1, uint x2, uint x3, int lane) => lane switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
}
