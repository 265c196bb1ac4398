// IEEE float32 operations whose rounding a GPU compiler may not change. ILGPU emits plain `mul.f32` / `add.f32`,
// which ptxas is free to contract into one FMA (one rounding instead of two), and it has no mapping for
// MathF.FusedMultiplyAdd (the call is left as an unresolved `.extern .func`). Where bits matter (the Philox
// streams are compared bit for bit with the host definition in Gibbs.Rng.PhiloxMath) kernels use these: on a CUDA
// accelerator they are inline PTX with explicit rounding (`fma.rn.f32`, `mul.rn.f32`, `add.rn.f32`, never
// contracted); elsewhere (ILGPU's CPU accelerator) the .NET operations, which the JIT never contracts. The FMA off
// the GPU is computed in double with round-to-odd (exactly fma's rounding): ILGPU compiles both branches of
// CudaAsm.IsSupported, and a MathF.FusedMultiplyAdd in the dead one would still reach the PTX as an unresolved call.
using System.Runtime.CompilerServices;
using ILGPU.Runtime.Cuda;

namespace Gibbs.Cuda.Kernels;

internal static class Fp
{
    /// <summary>a·b + c with one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Fma(float a, float b, float c)
    {
        if (CudaAsm.IsSupported)
        {
            CudaAsm.Emit("fma.rn.f32 %0, %1, %2, %3;", out float r, a, b, c);
            return r;
        }
        return SoftFma(a, b, c);
    }

    /// <summary>
    /// fma(a, b, c) correctly rounded, from double arithmetic: a·b is exact in double; the sum is rounded to odd
    /// (53 bits, last bit set when inexact, via TwoSum's error term), and a round-to-odd double rounds to the
    /// correctly rounded float (53 ≥ 24 + 2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SoftFma(float a, float b, float c)
    {
        double p = (double)a * b, s = p + c;
        double bb = s - p, err = (p - (s - bb)) + (c - bb);
        long bits = BitConverter.DoubleToInt64Bits(s);
        if (err != 0 && (bits & 1) == 0 && (bits & 0x7FF0000000000000) != 0x7FF0000000000000)
            s = BitConverter.Int64BitsToDouble(bits + ((err > 0) == (s > 0) ? 1 : -1));
        return (float)s;
    }

    /// <summary>a·b rounded to nearest, never fused with a following add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Mul(float a, float b)
    {
        if (CudaAsm.IsSupported)
        {
            CudaAsm.Emit("mul.rn.f32 %0, %1, %2;", out float r, a, b);
            return r;
        }
        return a * b;
    }

    /// <summary>a + b rounded to nearest, never fused with a preceding multiply.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b)
    {
        if (CudaAsm.IsSupported)
        {
            CudaAsm.Emit("add.rn.f32 %0, %1, %2;", out float r, a, b);
            return r;
        }
        return a + b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bits(float x) => BitConverter.SingleToInt32Bits(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FromBits(int bits) => BitConverter.Int32BitsToSingle(bits);

    /// <summary>True for NaN and ±∞ (exponent bits all ones).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NonFinite(float x) => (Bits(x) & 0x7F800000) == 0x7F800000;

    /// <summary>max with .NET's semantics (NaN propagates, +0 above −0); PTX max.f32 would return the non-NaN operand.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b)
    {
        if (float.IsNaN(a)) return a;
        if (float.IsNaN(b)) return b;
        if (a == b) return Bits(a) < 0 ? b : a;
        return a > b ? a : b;
    }

    /// <summary>min with .NET's semantics (NaN propagates, −0 below +0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float a, float b)
    {
        if (float.IsNaN(a)) return a;
        if (float.IsNaN(b)) return b;
        if (a == b) return Bits(a) < 0 ? a : b;
        return a < b ? a : b;
    }

    /// <summary>⌊x⌋ from integer conversion (exact for |x| &lt; 2²³; larger floats, ±∞ and NaN are already integral or NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Floor(float x)
    {
        if (!(MathF.Abs(x) < 8388608f) || x == 0f) return x;
        float t = (int)x;
        return t > x ? t - 1f : t;
    }
}
