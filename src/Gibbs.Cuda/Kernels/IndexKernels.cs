// Index kernels over a contiguous [outer, n, inner] view (src/Gibbs/Backends/Cpu/CpuBackend.Index.cs is the
// reference). Indices are floats holding integers, validated by the caller; an out-of-range index reads 0 and
// writes nowhere. The adds are deterministic without atomics: IndexAdd gives each output column to one thread,
// which adds in ascending j (the CPU's order, so the same bits); ScatterAdd's targets are distinct per thread.
using ILGPU;

namespace Gibbs.Cuda.Kernels;

internal static class IndexKernels
{
    /// <summary>y[o, j, i] = x[o, idx[j], i] for j &lt; k.</summary>
    [DeviceKernel]
    public static void IndexSelect(ArrayView<float> x, int outer, int n, int inner, ArrayView<float> idx, int k, ArrayView<float> y)
    {
        int stride = Grid.DimX * Group.DimX, total = outer * k * inner;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int r = e / inner, i = e - r * inner, o = r / k, j = r - o * k;
            int src = (int)idx[j];
            y[e] = (uint)src < (uint)n ? x[((long)o * n + src) * inner + i] : 0f;
        }
    }

    /// <summary>y[o, idx[j], i] += src[o, j, i] for j &lt; k in ascending j; one thread per (o, i).</summary>
    [DeviceKernel]
    public static void IndexAdd(ArrayView<float> src, int outer, int k, int inner, ArrayView<float> idx, ArrayView<float> y, int n)
    {
        int stride = Grid.DimX * Group.DimX, total = outer * inner;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int o = e / inner, i = e - o * inner;
            for (int j = 0; j < k; j++)
            {
                int dst = (int)idx[j];
                if ((uint)dst >= (uint)n) continue;
                y[((long)o * n + dst) * inner + i] += src[((long)o * k + j) * inner + i];
            }
        }
    }

    /// <summary>y[o, i] = x[o, idx[o, i], i].</summary>
    [DeviceKernel]
    public static void Gather(ArrayView<float> x, int outer, int n, int inner, ArrayView<float> idx, ArrayView<float> y)
    {
        int stride = Grid.DimX * Group.DimX, total = outer * inner;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int o = e / inner, i = e - o * inner, j = (int)idx[e];
            y[e] = (uint)j < (uint)n ? x[((long)o * n + j) * inner + i] : 0f;
        }
    }

    /// <summary>y[o, idx[o, i], i] += src[o, i].</summary>
    [DeviceKernel]
    public static void ScatterAdd(ArrayView<float> src, int outer, int n, int inner, ArrayView<float> idx, ArrayView<float> y)
    {
        int stride = Grid.DimX * Group.DimX, total = outer * inner;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int o = e / inner, i = e - o * inner, j = (int)idx[e];
            if ((uint)j < (uint)n) y[((long)o * n + j) * inner + i] += src[e];
        }
    }
}
