// Philox-4x32-10 and the float32 draws built on it, for kernels: the same integer arithmetic as Gibbs.Rng.Philox
// and the same float operations, in the same order, as Gibbs.Rng.PhiloxMath, so element i of stream
// (seed, counter) has the same bits on every backend. What keeps the bits on a GPU: integer ops are exact;
// every FMA of PhiloxMath is an explicit fma.rn.f32 (Fp.Fma); the one product that feeds an add in a
// way that rounding could change, (b − a)·u in Uniform, is mul.rn.f32 (Fp.Mul) so ptxas cannot contract it;
// the other products are exact (powers of two, 24-bit integers times 2⁻²⁴) or feed only multiplies; √ is
// sqrt.rn.f32 and ⌊·⌋ is done on integers. PhiloxStreamTests and the contract test check the bits.
using System.Runtime.CompilerServices;

namespace Gibbs.Cuda.Kernels;

internal static class PhiloxDevice
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    private const float Inv24 = 1f / (1 << 24), SqrtHalf = 0.707106781186547524f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float HalfPi = 1.57079632679489662f;

    /// <summary>The four words of block <paramref name="block"/> under key <paramref name="seed"/> (Philox.Block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block(ulong seed, ulong block, out uint x0, out uint x1, out uint x2, out uint x3)
    {
        uint c0 = (uint)block, c1 = (uint)(block >> 32), c2 = 0, c3 = 0, k0 = (uint)seed, k1 = (uint)(seed >> 32);
        for (int r = 0; r < 10; r++)
        {
            if (r > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0, hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }
        x0 = c0; x1 = c1; x2 = c2; x3 = c3;
    }

    /// <summary>a + (b − a)·u with u = (x &gt;&gt; 8)·2⁻²⁴ ∈ [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Uniform(uint x, float a, float b) => Fp.Add(a, Fp.Mul(b - a, (x >> 8) * Inv24));

    /// <summary>u = (x &gt;&gt; 8)·2⁻²⁴ ∈ [0, 1), exact (the Bernoulli comparison).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Unit(uint x) => (x >> 8) * Inv24;

    /// <summary>PhiloxMath.Log: Cephes logf for the normal inputs in (0, 1] these draws produce.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float x)
    {
        int bits = Fp.Bits(x);
        int e = ((bits >> 23) & 0xFF) - 126;
        float m = Fp.FromBits((bits & 0x007FFFFF) | 0x3F000000);
        if (m < SqrtHalf) { e -= 1; m = Fp.Add(m, m) - 1f; }
        else m -= 1f;
        float z = Fp.Mul(m, m);
        float p = 7.0376836292e-2f;
        p = Fp.Fma(p, m, -1.1514610310e-1f);
        p = Fp.Fma(p, m, 1.1676998740e-1f);
        p = Fp.Fma(p, m, -1.2420140846e-1f);
        p = Fp.Fma(p, m, 1.4249322787e-1f);
        p = Fp.Fma(p, m, -1.6668057665e-1f);
        p = Fp.Fma(p, m, 2.0000714765e-1f);
        p = Fp.Fma(p, m, -2.4999993993e-1f);
        p = Fp.Fma(p, m, 3.3333331174e-1f);
        float y = Fp.Mul(Fp.Mul(p, m), z);
        float fe = e;
        y = Fp.Fma(fe, Ln2Lo, y);
        y = Fp.Fma(-0.5f, z, y);
        float r = Fp.Add(m, y);
        return Fp.Fma(fe, Ln2Hi, r);
    }

    /// <summary>PhiloxMath.CosSinTwoPi for u = k·2⁻²⁴: exact quadrant reduction, Cephes polynomials on [−π/4, π/4].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CosSinTwoPi(float u, out float cos, out float sin)
    {
        float t = Fp.Mul(4f, u);
        float k = Fp.Floor(Fp.Add(t, 0.5f));
        float f = t - k;
        float r = Fp.Mul(f, HalfPi);
        float r2 = Fp.Mul(r, r);
        float s = -1.9515295891e-4f;
        s = Fp.Fma(s, r2, 8.3321608736e-3f);
        s = Fp.Fma(s, r2, -1.6666654611e-1f);
        float sn = Fp.Fma(Fp.Mul(s, r2), r, r);
        float c = 2.443315711809948e-5f;
        c = Fp.Fma(c, r2, -1.388731625493765e-3f);
        c = Fp.Fma(c, r2, 4.166664568298827e-2f);
        float cs = Fp.Fma(Fp.Mul(c, r2), r2, Fp.Fma(-0.5f, r2, 1f));
        switch ((int)k & 3)
        {
            case 0: cos = cs; sin = sn; break;
            case 1: cos = -sn; sin = cs; break;
            case 2: cos = -cs; sin = -sn; break;
            default: cos = sn; sin = -cs; break;
        }
    }

    /// <summary>PhiloxMath.Normal: r·cos θ (lane 0) or r·sin θ (lane 1) of one Box–Muller pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Normal(uint wordA, uint wordB, bool sin)
    {
        float u1 = ((wordA >> 8) + 1) * Inv24;
        float u2 = (wordB >> 8) * Inv24;
        float r = MathF.Sqrt(Fp.Mul(-2f, Log(u1)));
        CosSinTwoPi(u2, out float c, out float s);
        return Fp.Mul(r, sin ? s : c);
    }

    /// <summary>PhiloxMath.Laplace: −sign(u)·ln(1 − 2|u|) with 1 − 2|u| an exact multiple of 2⁻²⁴.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Laplace(uint word)
    {
        int twoM1 = (int)(word >> 8) * 2 + 1 - (1 << 24);
        int n = (1 << 24) - (twoM1 < 0 ? -twoM1 : twoM1);
        float l = Log(n * Inv24);
        return twoM1 > 0 ? -l : l;
    }
}
