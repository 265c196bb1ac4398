// Placeholder so the engine builds until the Rng helper's Generator lands (replaced on merge).
namespace Gibbs.Rng;

public sealed class Generator(ulong seed)
{
    public ulong Seed { get; } = seed;
    public ulong Counter { get; private set; }
    public int[] Permutation(int n) { var p = Enumerable.Range(0, n).ToArray(); for (int i = n - 1; i > 0; i--) { int j = NextInt(i + 1); (p[i], p[j]) = (p[j], p[i]); } return p; }
    public Generator Fork(ulong s) => new(Seed * 31 + s);
    public int NextInt(int max) => (int)(Reserve(4) % (ulong)max);
    public ulong Reserve(long n) { var c = Counter; Counter += (ulong)((n + 3) / 4); return c; }
}
