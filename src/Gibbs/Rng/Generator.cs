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

    /// <summary>(key, counter) of the stream; setting it positions the stream at a block boundary.</summary>
    public (ulong Seed, ulong Counter) State
    {
        get => (Seed, Counter);
        set { (Seed, Counter) = value; _buffered = 0; }
    }

    /// <summary>
    /// Everything the next draw depends on — key, counter, and the unused half of the last 64-bit pair drawn by
    /// <see cref="NextUInt64"/> — as one string "key:counter[:buffered]" for checkpoints; <see cref="Restore"/> reads it back.
    /// </summary>
    public string Snapshot() => _buffered == 1
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Seed}:{Counter}:{_buffer1}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Seed}:{Counter}");

    /// <summary>Resumes the exact stream saved by <see cref="Snapshot"/>.</summary>
    public void Restore(string snapshot)
    {
        var parts = snapshot.Split(':');
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (parts.Length is < 2 or > 3
            || !ulong.TryParse(parts[0], System.Globalization.NumberStyles.None, inv, out var seed)
            || !ulong.TryParse(parts[1], System.Globalization.NumberStyles.None, inv, out var counter)
            || (parts.Length == 3 && !ulong.TryParse(parts[2], System.Globalization.NumberStyles.None, inv, out _)))
            throw new GibbsFormatException($"random-generator state '{snapshot}' is not of the form key:counter[:buffered]");
        (Seed, Counter) = (seed, counter);
        _buffered = 0;
        if (parts.Length == 3) { _buffer1 = ulong.Parse(parts[2], inv); _buffered = 1; }
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
