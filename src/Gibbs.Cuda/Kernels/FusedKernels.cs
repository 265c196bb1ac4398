// Fused kernels (IFusedKernels): each is the chain of primitives it replaces, in the same float operations, so the
// results are the same bits with one launch and one pass over memory instead of two to four.
using Gibbs.Backends;
using ILGPU;

namespace Gibbs.Cuda.Kernels;

internal static class FusedKernels
{
    /// <summary>y[r, c] = act(x[r, c] + bias[c]).</summary>
    [DeviceKernel]
    public static void BiasActivation(ArrayView<float> x, ArrayView<float> bias, ArrayView<float> y, int rows, int cols, int act)
    {
        int stride = Grid.DimX * Group.DimX, total = rows * cols;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
            y[e] = ElementwiseOps.Unary((UnaryOp)act, x[e] + bias[e % cols], 0f, 0f);
    }

    /// <summary>loss = softplus(z) − t·z; grad = (σ(z) − t)·scale.</summary>
    [DeviceKernel]
    public static void SigmoidBce(ArrayView<float> z, ArrayView<float> t, ArrayView<float> loss, ArrayView<float> grad, int n, float scale)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            float zi = z[i], ti = t[i];
            loss[i] = DeviceMath.Softplus(zi) - Fp.Mul(ti, zi);   // Tensor.BinaryCrossEntropyWithLogits: softplus(z) − t·z
            grad[i] = Fp.Mul(DeviceMath.Sigmoid(zi) - ti, scale);
        }
    }

    /// <summary>y = μ + s·ε, ε the standard Normal or Laplace draw i of stream (seed, counter).</summary>
    [DeviceKernel]
    public static void Reparameterize(ArrayView<float> mu, ArrayView<float> s, ArrayView<float> y, int n, int kind, ulong seed, ulong counter)
    {
        int stride = Grid.DimX * Group.DimX, blocks = (n + 3) >> 2;
        for (int t = Grid.GlobalIndex.X; t < blocks; t += stride)
        {
            PhiloxDevice.Block(seed, counter + (ulong)t, out uint x0, out uint x1, out uint x2, out uint x3);
            bool normal = kind == (int)RandomKind.Normal;
            for (int lane = 0; lane < 4; lane++)
            {
                int i = (t << 2) + lane;
                if (i >= n) break;
                uint w = lane == 0 ? x0 : lane == 1 ? x1 : lane == 2 ? x2 : x3;
                float eps = normal
                    ? (lane < 2 ? PhiloxDevice.Normal(x0, x1, lane == 1) : PhiloxDevice.Normal(x2, x3, lane == 3))
                    : PhiloxDevice.Laplace(w);
                eps = Fp.Fma(1f, eps, 0f);   // Random(kind, …, a = 0, b = 1) writes fma(b, z, a)
                y[i] = Fp.Add(mu[i], Fp.Mul(s[i], eps));
            }
        }
    }

    /// <summary>p = σ(x + bias[c]); sample = u &lt; p, u the uniform draw of the same element.</summary>
    [DeviceKernel]
    public static void SampleSigmoidBernoulli(ArrayView<float> x, ArrayView<float> bias, int rows, int cols, ulong seed, ulong counter, ArrayView<float> p, ArrayView<float> sample)
    {
        int stride = Grid.DimX * Group.DimX, n = rows * cols, blocks = (n + 3) >> 2;
        for (int t = Grid.GlobalIndex.X; t < blocks; t += stride)
        {
            PhiloxDevice.Block(seed, counter + (ulong)t, out uint x0, out uint x1, out uint x2, out uint x3);
            for (int lane = 0; lane < 4; lane++)
            {
                int i = (t << 2) + lane;
                if (i >= n) break;
                uint w = lane == 0 ? x0 : lane == 1 ? x1 : lane == 2 ? x2 : x3;
                float pi = DeviceMath.Sigmoid(x[i] + bias[i % cols]);
                p[i] = pi;
                sample[i] = PhiloxDevice.Unit(w) < pi ? 1f : 0f;
            }
        }
    }
}
