// Philox-4x32-10 on eight counters at once with AVX2: the 32×32→64-bit products come from vpmuludq on
// the even and (shifted) odd lanes, recombined with vpblendd. Bit-identical to the scalar Block();
// used for the uniform fills behind Bernoulli sampling and dropout.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gibbs.Rng;

public static partial class Philox
{
    /// <summary>Writes 32 uniforms a + (b−a)·u for blocks firstBlock … firstBlock+7 (block-major, 4 lanes each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Uniform8Blocks(ulong seed, ulong firstBlock, float* dst, float a, float b)
    {
        var lane = Vector256.Create(0UL, 1, 2, 3);
        var blkLo = Vector256.Create(firstBlock) + lane;
        var blkHi = Vector256.Create(firstBlock + 4) + lane;
        // c0 = lo32(block), c1 = hi32(block) for the 8 blocks, packed as 8 × uint.
        var c0 = Pack(blkLo, blkHi, high: false);
        var c1 = Pack(blkLo, blkHi, high: true);
        var c2 = Vector256<uint>.Zero;
        var c3 = Vector256<uint>.Zero;
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        var m0 = Vector256.Create(M0);
        var m1 = Vector256.Create(M1);
        for (int r = 0; r < 10; r++)
        {
            if (r > 0) { k0 += W0; k1 += W1; }
            var (hi0, lo0) = MulHiLo(c0, m0);
            var (hi1, lo1) = MulHiLo(c2, m1);
            var n0 = hi1 ^ c1 ^ Vector256.Create(k0);
            var n2 = hi0 ^ c3 ^ Vector256.Create(k1);
            c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        }
        var scale = Vector256.Create((b - a) * Inv24);
        var offset = Vector256.Create(a);
        var f0 = Vector256.ConvertToSingle((c0 >> 8).AsInt32()) * scale + offset;
        var f1 = Vector256.ConvertToSingle((c1 >> 8).AsInt32()) * scale + offset;
        var f2 = Vector256.ConvertToSingle((c2 >> 8).AsInt32()) * scale + offset;
        var f3 = Vector256.ConvertToSingle((c3 >> 8).AsInt32()) * scale + offset;
        for (int j = 0; j < 8; j++)
        {
            dst[4 * j] = f0.GetElement(j);
            dst[4 * j + 1] = f1.GetElement(j);
            dst[4 * j + 2] = f2.GetElement(j);
            dst[4 * j + 3] = f3.GetElement(j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Pack(Vector256<ulong> lo4, Vector256<ulong> hi4, bool high)
    {
        // Take the low (or high) 32 bits of each of the 8 ulongs, in order.
        var a = high ? Avx2.ShiftRightLogical(lo4, 32) : lo4;
        var b = high ? Avx2.ShiftRightLogical(hi4, 32) : hi4;
        var idx = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var pa = Avx2.PermuteVar8x32(a.AsUInt32(), idx.AsUInt32()); // [a0 a1 a2 a3 | junk]
        var pb = Avx2.PermuteVar8x32(b.AsUInt32(), idx.AsUInt32());
        return Avx2.Permute2x128(pa, pb, 0x20);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<uint> Hi, Vector256<uint> Lo) MulHiLo(Vector256<uint> x, Vector256<uint> m)
    {
        var even = Avx2.Multiply(x, m).AsUInt32();                                             // [lo0 hi0 lo2 hi2 …]
        var odd = Avx2.Multiply(Avx2.ShiftRightLogical(x.AsUInt64(), 32).AsUInt32(), m).AsUInt32(); // [lo1 hi1 lo3 hi3 …]
        var lo = Avx2.Blend(even, Avx2.ShiftLeftLogical(odd.AsUInt64(), 32).AsUInt32(), 0b10101010);
        var hi = Avx2.Blend(Avx2.ShiftRightLogical(even.AsUInt64(), 32).AsUInt32(), odd, 0b10101010);
        return (hi, lo);
    }
}
