// The data layer's own tiny generator: splitmix64 (Steele, Lea & Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014; constants as in Vigna's splitmix64.c). It fixes dataset contents,
// splits and batch orders from a seed, independently of Gibbs.Rng, so a change to the model samplers
// never changes which digits are "test" or where the spiral points lie. Not for model sampling.
namespace Gibbs.Data;

internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The splitmix64 finaliser: a bijective 64-bit mix (also used to derive sub-seeds).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A generator for stream <paramref name="stream"/> of <paramref name="seed"/> (e.g. an epoch or a class).</summary>
    public static SplitMix64 For(ulong seed, ulong stream) => new(Mix(seed ^ Mix(stream + 0x9E3779B97F4A7C15UL)));

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), without modulo bias (rejection on the top of the 64-bit range).</summary>
    public int NextBelow(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        ulong limit = ulong.MaxValue - ulong.MaxValue % (ulong)n;
        ulong r;
        do r = Next(); while (r >= limit);
        return (int)(r % (ulong)n);
    }

    /// <summary>A standard normal draw (Box–Muller, cosine branch).</summary>
    public double Normal()
    {
        double u1 = 1 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A uniformly random permutation of 0..n-1 (Fisher–Yates, Durstenfeld's in-place form).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextBelow(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
