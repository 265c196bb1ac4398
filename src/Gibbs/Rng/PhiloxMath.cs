// The float32 arithmetic that turns Philox words into normal and Laplace draws, defined so any backend can
// reproduce it bit for bit: only IEEE single-precision +, −, ×, ÷, √ and fused multiply-adds (written out
// explicitly: no step is left for a compiler to contract), integer bit operations, and no library log/sin/cos.
// log is Cephes' logf (range reduction on the exponent bits, degree-8 polynomial); sin/cos of 2πu use the exact
// quadrant reduction 4u = k + f, |f| ≤ ½, and Cephes' sinf/cosf polynomials on [−π/4, π/4]. Accuracy against
// double: ≤ 2 ulp for log, ≤ 2 ulp for sin/cos (tested in PhiloxTests).
using System.Runtime.CompilerServices;

namespace Gibbs.Rng;

public static class PhiloxMath
{
    private const float SqrtHalf = 0.707106781186547524f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f, HalfPi = 1.57079632679489662f;
    private const float Inv24 = 1f / (1 << 24);

    /// <summary>Natural logarithm of a positive normal float (Cephes logf). Inputs here are in (0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float x)
    {
        int bits = BitConverter.SingleToInt32Bits(x);
        int e = ((bits >> 23) & 0xFF) - 126;
        float m = BitConverter.Int32BitsToSingle((bits & 0x007FFFFF) | 0x3F000000); // mantissa in [0.5, 1)
        if (m < SqrtHalf) { e -= 1; m = m + m - 1f; }
        else m -= 1f;
        float z = m * m;
        float p = 7.0376836292e-2f;
        p = MathF.FusedMultiplyAdd(p, m, -1.1514610310e-1f);
        p = MathF.FusedMultiplyAdd(p, m, 1.1676998740e-1f);
        p = MathF.FusedMultiplyAdd(p, m, -1.2420140846e-1f);
        p = MathF.FusedMultiplyAdd(p, m, 1.4249322787e-1f);
        p = MathF.FusedMultiplyAdd(p, m, -1.6668057665e-1f);
        p = MathF.FusedMultiplyAdd(p, m, 2.0000714765e-1f);
        p = MathF.FusedMultiplyAdd(p, m, -2.4999993993e-1f);
        p = MathF.FusedMultiplyAdd(p, m, 3.3333331174e-1f);
        float y = p * m * z;
        float fe = e;
        y = MathF.FusedMultiplyAdd(fe, Ln2Lo, y);
        y = MathF.FusedMultiplyAdd(-0.5f, z, y);
        float r = m + y;
        return MathF.FusedMultiplyAdd(fe, Ln2Hi, r);
    }

    /// <summary>(cos 2πu, sin 2πu) for u = k·2⁻²⁴ ∈ [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Cos, float Sin) CosSinTwoPi(float u)
    {
        float t = 4f * u;                     // exact
        float k = MathF.Floor(t + 0.5f);      // nearest quadrant, 0 … 4 (t + ½ is exact: t has ≤ 24 bits below 4)
        float f = t - k;                      // exact, in [−½, ½]
        float r = f * HalfPi;                 // [−π/4, π/4]
        float r2 = r * r;
        float s = -1.9515295891e-4f;
        s = MathF.FusedMultiplyAdd(s, r2, 8.3321608736e-3f);
        s = MathF.FusedMultiplyAdd(s, r2, -1.6666654611e-1f);
        float sin = MathF.FusedMultiplyAdd(s * r2, r, r);
        float c = 2.443315711809948e-5f;
        c = MathF.FusedMultiplyAdd(c, r2, -1.388731625493765e-3f);
        c = MathF.FusedMultiplyAdd(c, r2, 4.166664568298827e-2f);
        float cos = MathF.FusedMultiplyAdd(c * r2, r2, MathF.FusedMultiplyAdd(-0.5f, r2, 1f));
        return ((int)k & 3) switch
        {
            0 => (cos, sin),
            1 => (-sin, cos),
            2 => (-cos, -sin),
            _ => (sin, -cos),
        };
    }

    /// <summary>Standard normal from one Box–Muller pair: lane 0 → r·cos θ, lane 1 → r·sin θ, r = √(−2 ln u₁), θ = 2πu₂.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Normal(uint wordA, uint wordB, bool sin)
    {
        float u1 = ((wordA >> 8) + 1) * Inv24;  // (0, 1], exact
        float u2 = (wordB >> 8) * Inv24;        // [0, 1), exact
        float r = MathF.Sqrt(-2f * Log(u1));
        var (c, s) = CosSinTwoPi(u2);
        return r * (sin ? s : c);
    }

    /// <summary>Standard Laplace (scale 1) from one word: u = (m + ½)·2⁻²⁴ − ½ ∈ (−½, ½), z = −sign(u)·ln(1 − 2|u|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Laplace(uint word)
    {
        // 1 − 2|u| = N·2⁻²⁴ with the integer N = 2²⁴ − |2m + 1 − 2²⁴| ∈ [1, 2²⁴ − 1]: exact.
        int twoM1 = (int)(word >> 8) * 2 + 1 - (1 << 24);
        int n = (1 << 24) - Math.Abs(twoM1);
        float l = Log(n * Inv24);
        return twoM1 > 0 ? -l : l;
    }
}
