// Placeholder so the engine builds until the Rng helper's Generator lands (replaced on merge).
namespace Gibbs.Rng;

public sealed class Generator(ulong seed)
{
    public ulong Seed { get; } = seed;
    public ulong Counter { get; private set; }
    public ulong Reserve(long n) { var c = Counter; Counter += (ulong)((n + 3) / 4); return c; }
}
