// Generator: owns one Philox stream (a key and a counter position). Tensor draws reserve ⌈n/4⌉ blocks;
// host draws (shuffles, indices) use blocks too, so the whole sequence of a run follows from the seed.
namespace Gibbs.Rng;

public sealed class Generator
{
    private ulong _buffer0, _buffer1;
    private int _buffered;

    /// <summary>A stream keyed by <paramref name="seed"/>, positioned at counter 0.</summary>
    public Generator(ulong seed) => Seed = seed;

    /// <summary>The 64-bit Philox key of this stream.</summary>
    public ulong Seed { get; private set; }

    /// <summary>The next unused block (4 × 32 bits).</summary>
    public ulong Counter { get; private set; }

    /// <summary>Reserves the blocks for <paramref name="n"/> elements; returns the first block's counter.</summary>
    public ulong Reserve(long n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        _buffered = 0;
        var c = Counter;
        Counter += (ulong)((n + 3) / 4);
        return c;
    }

    /// <summary>(key, counter) for checkpoints; setting it resumes the exact stream.</summary>
    public (ulong Seed, ulong Counter) State
    {
        get => (Seed, Counter);
        set { (Seed, Counter) = value; _buffered = 0; }
    }

    /// <summary>An independent stream whose key is derived from this key and <paramref name="stream"/> (this stream does not advance).</summary>
    public Generator Fork(ulong stream)
    {
        var (a, b, _, _) = Philox.Block((uint)stream, (uint)(stream >> 32), 0x464F524B /* "FORK" */, 0, (uint)Seed, (uint)(Seed >> 32));
        return new Generator(((ulong)b << 32) | a);
    }

    public ulong NextUInt64()
    {
        if (_buffered == 0)
        {
            var (x0, x1, x2, x3) = Philox.Block(Seed, Counter++);
            _buffer0 = ((ulong)x1 << 32) | x0;
            _buffer1 = ((ulong)x3 << 32) | x2;
            _buffered = 2;
            return _buffer0;
        }
        _buffered = 0;
        return _buffer1;
    }

    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, max) without modulo bias (Lemire's method).</summary>
    public int NextInt(int max)
    {
        if (max <= 0) throw new ArgumentOutOfRangeException(nameof(max), "max must be positive");
        uint range = (uint)max;
        ulong m = (ulong)NextUInt32() * range;
        uint low = (uint)m;
        if (low < range)
        {
            uint threshold = (0u - range) % range;
            while (low < threshold)
            {
                m = (ulong)NextUInt32() * range;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>A uniformly random permutation of 0 … n−1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
