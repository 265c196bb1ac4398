// Elementwise kernels: fill, unary, broadcast binary, where, axpy, strided copy and one-hot. Each is a grid-stride
// loop (any grid size covers any n; the CPU accelerator runs one group, a GPU a few per SM) with Grid and Group
// indices read once: on ILGPU's CPU accelerator each read is a thread-static lookup.
using Gibbs.Backends;
using ILGPU;

namespace Gibbs.Cuda.Kernels;

internal static class ElementwiseKernels
{
    /// <summary>y[offset + i] = value for i &lt; n.</summary>
    [DeviceKernel]
    public static void Fill(ArrayView<float> y, int offset, int n, float value)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride) y[offset + i] = value;
    }

    /// <summary>y[i] = op(x[i]; a, b) for i &lt; n (y may be x).</summary>
    [DeviceKernel]
    public static void Unary(ArrayView<float> x, ArrayView<float> y, int n, int op, float a, float b)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride) y[i] = ElementwiseOps.Unary((UnaryOp)op, x[i], a, b);
    }

    /// <summary>z[zOff + e] = op(x[xOff + ox(e)], y[yOff + oy(e)]) for e &lt; n, offsets from the broadcast index.</summary>
    [DeviceKernel]
    public static void Binary(ArrayView<float> x, int xOff, ArrayView<float> y, int yOff, ArrayView<float> z, int zOff, int n, int op, StridedIndex ix)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < n; e += stride)
        {
            ix.Offsets(e, out int ox, out int oy);
            z[zOff + e] = ElementwiseOps.Binary((BinaryOp)op, x[xOff + ox], y[yOff + oy]);
        }
    }

    /// <summary>y = cond != 0 ? a : b.</summary>
    [DeviceKernel]
    public static void Where(ArrayView<float> cond, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, int n)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride) y[i] = cond[i] != 0f ? a[i] : b[i];
    }

    /// <summary>y += alpha·x.</summary>
    [DeviceKernel]
    public static void Axpy(float alpha, ArrayView<float> x, ArrayView<float> y, int n)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride) y[i] += alpha * x[i];
    }

    /// <summary>y[yOff + oy(e)] = x[xOff + ox(e)] for e &lt; n (permute, expand, slice, and their adjoints' copies).</summary>
    [DeviceKernel]
    public static void StridedCopy(ArrayView<float> x, int xOff, ArrayView<float> y, int yOff, int n, StridedIndex ix)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < n; e += stride)
        {
            ix.Offsets(e, out int ox, out int oy);
            y[yOff + oy] = x[xOff + ox];
        }
    }

    /// <summary>y[i, c] = (labels[i] == c) over n rows of <paramref name="classes"/>; a non-integral or out-of-range label gives a zero row.</summary>
    [DeviceKernel]
    public static void OneHot(ArrayView<float> labels, ArrayView<float> y, int n, int classes)
    {
        int stride = Grid.DimX * Group.DimX, total = n * classes;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int i = e / classes, c = e - i * classes;
            float v = labels[i];
            y[e] = v == c ? 1f : 0f;
        }
    }
}
