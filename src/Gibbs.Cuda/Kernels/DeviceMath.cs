// float32 transcendental functions for kernels, written with IEEE ops and explicit FMAs only. ILGPU's own
// mappings are approximate on a GPU (exp → ex2.approx of x·log₂e, log → lg2.approx, tanh → (e²ˣ−1)/(e²ˣ+1), which
// loses everything near 0 and is NaN beyond 44) and exact libm calls on its CPU accelerator, so a test on the CPU
// accelerator would not test what the GPU runs. These run the same code on both. exp is Cephes' expf (the CPU
// backend's FastMath.Exp, scalar); log is Cephes' logf (Gibbs.Rng.PhiloxMath.Log, extended to the whole line);
// tanh is Cephes' tanhf. Accuracy ≈ 1–2 ulp, far inside the gradient checks' 1e-4.
using System.Runtime.CompilerServices;

namespace Gibbs.Cuda.Kernels;

internal static class DeviceMath
{
    private const float Log2E = 1.44269504088896341f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float MaxX = 88.7228391f, MinX = -103.972076f, SqrtHalf = 0.707106781186547524f;

    /// <summary>eˣ (Cephes expf), ±∞ and NaN handled, gradual underflow to 0 below ≈ −103.97.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        if (float.IsNaN(x)) return x;
        if (x > MaxX) return float.PositiveInfinity;
        if (x < MinX) return 0f;
        float n = RoundEven(x * Log2E);
        float r = Fp.Fma(-n, Ln2Hi, x);
        r = Fp.Fma(-n, Ln2Lo, r);
        float p = 1.9875691500e-4f;
        p = Fp.Fma(p, r, 1.3981999507e-3f);
        p = Fp.Fma(p, r, 8.3334519073e-3f);
        p = Fp.Fma(p, r, 4.1665795894e-2f);
        p = Fp.Fma(p, r, 1.6666665459e-1f);
        p = Fp.Fma(p, r, 5.0000001201e-1f);
        p = Fp.Fma(p, r * r, r) + 1f;
        // 2ⁿ in two factors so n = 128 (x just below ln FLT_MAX) and subnormal results both stay exact.
        int k = (int)n, k1 = k >> 1, k2 = k - k1;
        return p * Fp.FromBits((k1 + 127) << 23) * Fp.FromBits((k2 + 127) << 23);
    }

    /// <summary>Round half to even for |v| &lt; 2²² (1.5·2²³ pushes the fraction out of the mantissa).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float RoundEven(float v) => Fp.Add(Fp.Add(v, 12582912f), -12582912f);

    /// <summary>ln x (Cephes logf): NaN below 0, −∞ at 0, +∞ at +∞; subnormals scaled first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float x)
    {
        if (!(x > 0f)) return x == 0f ? float.NegativeInfinity : float.NaN;
        if (x == float.PositiveInfinity) return x;
        // Subnormals are scaled by 2²⁴ first; normal inputs take the RNG's bit-exact logf (PhiloxDevice.Log).
        if (Fp.Bits(x) < 0x00800000) return Fp.Fma(-24f, 0.693147180559945f, PhiloxDevice.Log(x * 16777216f));
        return PhiloxDevice.Log(x);
    }

    /// <summary>ln(1 + t), accurate for tiny t (Kahan: log(u)·t/(u − 1) with u = 1 + t), as the CPU backend.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log1p(float t)
    {
        float u = 1f + t, d = u - 1f;
        if (d == 0f) return t;
        float lu = Log(u);
        return u == float.PositiveInfinity ? lu : lu * (t / d);
    }

    /// <summary>tanh x (Cephes tanhf): odd polynomial below 0.625, 1 − 2/(e²ˣ + 1) above, ±1 beyond 44.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        float z = MathF.Abs(x);
        if (z > 44f) return x > 0 ? 1f : -1f;
        if (z >= 0.625f)
        {
            float r = 1f - 2f / (Exp(z + z) + 1f);
            return x < 0 ? -r : r;
        }
        if (x == 0f) return x;
        float s = x * x;
        float p = -5.70498872745e-3f;
        p = Fp.Fma(p, s, 2.06390887954e-2f);
        p = Fp.Fma(p, s, -5.37397155531e-2f);
        p = Fp.Fma(p, s, 1.33314422036e-1f);
        p = Fp.Fma(p, s, -3.33332819422e-1f);
        return Fp.Fma(p * s, x, x);
    }

    /// <summary>σ(x) = 1/(1 + e^{−x}); exactly 0 and 1 in saturation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + Exp(-x));

    /// <summary>log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x) => Fp.Max(x, 0f) + Log1p(Exp(-MathF.Abs(x)));

    /// <summary>log σ(x) = min(x, 0) − log1p(e^{−|x|}).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LogSigmoid(float x) => Fp.Min(x, 0f) - Log1p(Exp(-MathF.Abs(x)));

    /// <summary>
    /// xʸ with MathF.Pow's special cases; small integer exponents by repeated squaring (exact where the product is),
    /// others as e^{y·ln|x|} with the sign of an odd integer power of a negative base.
    /// </summary>
    public static float Pow(float x, float y)
    {
        if (y == 0f || x == 1f) return 1f;
        if (float.IsNaN(x) || float.IsNaN(y)) return float.NaN;
        bool integral = Fp.Floor(y) == y, odd = integral && MathF.Abs(y) < 16777216f && (((int)y) & 1) != 0;
        if (integral && MathF.Abs(y) <= 64f)
        {
            int k = (int)MathF.Abs(y);
            float b = x, r = 1f;
            while (k > 0)
            {
                if ((k & 1) != 0) r *= b;
                b *= b;
                k >>= 1;
            }
            return y < 0 ? 1f / r : r;
        }
        if (x < 0f && !integral) return float.NaN;
        float a = MathF.Abs(x);
        if (a == 0f) return y > 0 ? (odd ? x : 0f) : (odd ? 1f / x : float.PositiveInfinity);
        float v = a == float.PositiveInfinity ? (y > 0 ? float.PositiveInfinity : 0f) : Exp(y * Log(a));
        return x < 0f && odd ? -v : v;
    }
}
