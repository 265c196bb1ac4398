// Random fills and fused Bernoulli sampling on the device: the Philox-4x32-10 streams of src/Gibbs/Rng/Philox.cs,
// bit for bit (RandomKernels, PhiloxDevice), one thread per block of four elements.
using Gibbs.Backends;

namespace Gibbs.Cuda;

public sealed partial class IlgpuBackend
{
    public void Random(RandomKind kind, ulong seed, ulong counter, Storage y, int n, float a, float b)
    {
        if (n <= 0) return;
        lock (_gate)
        {
            Enter();
            _k.Random(_stream, Config((n + 3L) / 4), View(y), n, (int)kind, seed, counter, a, b);
        }
    }

    public void SampleBernoulli(Storage p, ulong seed, ulong counter, Storage y, int n)
    {
        if (n <= 0) return;
        lock (_gate)
        {
            Enter();
            _k.Bernoulli(_stream, Config((n + 3L) / 4), View(p), View(y), n, seed, counter);
        }
    }
}
