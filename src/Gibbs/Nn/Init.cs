// Weight initialisers. Georgiev (000_c7b547386cdeff84.txt App. A): a P×N Gaussian matrix divided by
// √P + √N, the order of magnitude of its largest singular value. Glorot & Bengio (2010).
using Gibbs.Rng;

namespace Gibbs.Nn;

public enum InitKind
{
    /// <summary>U(±√(6/(fan_in+fan_out))).</summary>
    GlorotUniform,
    /// <summary>N(0, 2/(fan_in+fan_out)).</summary>
    GlorotNormal,
    /// <summary>N(0,1)/(√P + √N) for a P×N matrix (seed 000, App. A).</summary>
    Georgiev,
}

public static class Init
{
    /// <summary>A [fanIn × fanOut] weight matrix drawn by <paramref name="kind"/>.</summary>
    public static Tensor Weight(int fanIn, int fanOut, InitKind kind, Generator gen, Backends.Device? device = null) => kind switch
    {
        InitKind.GlorotUniform => Tensor.Rand([fanIn, fanOut], gen, -MathF.Sqrt(6f / (fanIn + fanOut)), MathF.Sqrt(6f / (fanIn + fanOut)), device),
        InitKind.GlorotNormal => Tensor.Randn([fanIn, fanOut], gen, 0f, MathF.Sqrt(2f / (fanIn + fanOut)), device),
        InitKind.Georgiev => Tensor.Randn([fanIn, fanOut], gen, 0f, 1f / (MathF.Sqrt(fanIn) + MathF.Sqrt(fanOut)), device),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
