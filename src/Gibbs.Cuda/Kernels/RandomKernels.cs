// Counter-based random fills: thread t computes Philox block (counter + t) once and writes its four elements, so
// element i depends only on (seed, counter, i) — the stream mapping in src/Gibbs/Rng/Philox.cs. The Bernoulli
// kernel fuses the uniform draw with the comparison (no uniform buffer, one launch).
using Gibbs.Backends;
using ILGPU;

namespace Gibbs.Cuda.Kernels;

internal static class RandomKernels
{
    /// <summary>y[i] = draw i of stream (seed, counter) for i &lt; n: Uniform(a, b), Normal(a, b²) or Laplace(a, b).</summary>
    [DeviceKernel]
    public static void Random(ArrayView<float> y, int n, int kind, ulong seed, ulong counter, float a, float b)
    {
        int stride = Grid.DimX * Group.DimX, blocks = (n + 3) >> 2;
        for (int t = Grid.GlobalIndex.X; t < blocks; t += stride)
        {
            PhiloxDevice.Block(seed, counter + (ulong)t, out uint x0, out uint x1, out uint x2, out uint x3);
            int i = t << 2;
            float v0, v1, v2, v3;
            if (kind == (int)RandomKind.Uniform)
            {
                v0 = PhiloxDevice.Uniform(x0, a, b); v1 = PhiloxDevice.Uniform(x1, a, b);
                v2 = PhiloxDevice.Uniform(x2, a, b); v3 = PhiloxDevice.Uniform(x3, a, b);
            }
            else if (kind == (int)RandomKind.Normal)
            {
                v0 = Fp.Fma(b, PhiloxDevice.Normal(x0, x1, false), a); v1 = Fp.Fma(b, PhiloxDevice.Normal(x0, x1, true), a);
                v2 = Fp.Fma(b, PhiloxDevice.Normal(x2, x3, false), a); v3 = Fp.Fma(b, PhiloxDevice.Normal(x2, x3, true), a);
            }
            else
            {
                v0 = Fp.Fma(b, PhiloxDevice.Laplace(x0), a); v1 = Fp.Fma(b, PhiloxDevice.Laplace(x1), a);
                v2 = Fp.Fma(b, PhiloxDevice.Laplace(x2), a); v3 = Fp.Fma(b, PhiloxDevice.Laplace(x3), a);
            }
            y[i] = v0;
            if (i + 1 < n) y[i + 1] = v1;
            if (i + 2 < n) y[i + 2] = v2;
            if (i + 3 < n) y[i + 3] = v3;
        }
    }

    /// <summary>y[i] = 1 when uniform i of stream (seed, counter) is below p[i], else 0 (SampleBernoulli).</summary>
    [DeviceKernel]
    public static void Bernoulli(ArrayView<float> p, ArrayView<float> y, int n, ulong seed, ulong counter)
    {
        int stride = Grid.DimX * Group.DimX, blocks = (n + 3) >> 2;
        for (int t = Grid.GlobalIndex.X; t < blocks; t += stride)
        {
            PhiloxDevice.Block(seed, counter + (ulong)t, out uint x0, out uint x1, out uint x2, out uint x3);
            int i = t << 2;
            y[i] = PhiloxDevice.Unit(x0) < p[i] ? 1f : 0f;
            if (i + 1 < n) y[i + 1] = PhiloxDevice.Unit(x1) < p[i + 1] ? 1f : 0f;
            if (i + 2 < n) y[i + 2] = PhiloxDevice.Unit(x2) < p[i + 2] ? 1f : 0f;
            if (i + 3 < n) y[i + 3] = PhiloxDevice.Unit(x3) < p[i + 3] ? 1f : 0f;
        }
    }
}
