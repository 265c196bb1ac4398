// Reductions over the middle axis of a contiguous [outer, n, inner] view, deterministic (fixed order, no atomics)
// and with sums in double like the CPU backend. Long rows (inner = 1): one group per row, threads striding the row,
// then GroupReduce's warp shuffles. Columns (inner > 1, or short rows): one thread per output walking its n
// elements in order, which reads consecutive i together (coalesced). Sums with few outputs and long reductions
// (a loss's mean, a bias gradient over a large batch) are split in two passes so the whole GPU works: partial sums
// over fixed chunks (RowPartials, ColumnPartials; double), then FinishSums adds each output's chunks in order. The
// chunks are fixed sizes, not derived from the device, so the result is the same on every GPU.
using Gibbs.Backends;
using ILGPU;

namespace Gibbs.Cuda.Kernels;

internal static class ReduceKernels
{
    /// <summary>y[row] = reduce_j x[row, j] for row &lt; outer (inner = 1), one group per row.</summary>
    [DeviceKernel]
    public static void Rows(ArrayView<float> x, ArrayView<float> y, int outer, int n, int op)
    {
        int tid = Group.IdxX, dim = Group.DimX, groups = Grid.DimX;
        for (int row = Grid.IdxX; row < outer; row += groups)
        {
            int b = row * n;
            if (op == (int)ReduceOp.Sum)
            {
                double acc = 0;
                for (int j = tid; j < n; j += dim) acc += x[b + j];
                acc = GroupReduce.Sum(acc);
                if (tid == 0) y[row] = (float)acc;
            }
            else if (op == (int)ReduceOp.ArgMax)
            {
                float best = 0f;
                int at = -1;
                for (int j = tid; j < n; j += dim)
                {
                    float v = x[b + j];
                    if (GroupReduce.Beats(v, j, best, at)) { best = v; at = j; }
                }
                at = GroupReduce.ArgMax(best, at);
                if (tid == 0) y[row] = at;
            }
            else
            {
                bool min = op == (int)ReduceOp.Min;
                float m = x[b];
                for (int j = tid; j < n; j += dim) m = min ? Fp.Min(m, x[b + j]) : Fp.Max(m, x[b + j]);
                m = GroupReduce.MaxOrMin(m, min);
                if (op == (int)ReduceOp.LogSumExp && !Fp.NonFinite(m))
                {
                    double acc = 0;
                    for (int j = tid; j < n; j += dim) acc += DeviceMath.Exp(x[b + j] - m);
                    acc = GroupReduce.Sum(acc);
                    m += LogOfDouble(acc);
                }
                if (tid == 0) y[row] = m;
            }
        }
    }

    /// <summary>y[o, i] = reduce_j x[o, j, i], one thread per output element, j in order.</summary>
    [DeviceKernel]
    public static void Columns(ArrayView<float> x, ArrayView<float> y, int outer, int n, int inner, int op)
    {
        int stride = Grid.DimX * Group.DimX, total = outer * inner;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int o = e / inner, i = e - o * inner;
            long b = (long)o * n * inner + i;
            if (op == (int)ReduceOp.Sum)
            {
                double acc = 0;
                for (int j = 0; j < n; j++) acc += x[b + (long)j * inner];
                y[e] = (float)acc;
            }
            else if (op == (int)ReduceOp.ArgMax)
            {
                float best = x[b];
                int at = 0;
                for (int j = 1; j < n; j++)
                {
                    float v = x[b + (long)j * inner];
                    if (GroupReduce.Beats(v, j, best, at)) { best = v; at = j; }
                }
                y[e] = at;
            }
            else
            {
                bool min = op == (int)ReduceOp.Min;
                float m = x[b];
                for (int j = 1; j < n; j++) m = min ? Fp.Min(m, x[b + (long)j * inner]) : Fp.Max(m, x[b + (long)j * inner]);
                if (op == (int)ReduceOp.LogSumExp && !Fp.NonFinite(m))
                {
                    double acc = 0;
                    for (int j = 0; j < n; j++) acc += DeviceMath.Exp(x[b + (long)j * inner] - m);
                    m += LogOfDouble(acc);
                }
                y[e] = m;
            }
        }
    }

    /// <summary>partial[row·parts + p] = Σ x[row, j] over chunk p of each row (inner = 1), one group per (row, chunk).</summary>
    [DeviceKernel]
    public static void RowPartials(ArrayView<float> x, ArrayView<double> partial, int outer, int n, int chunk, int parts)
    {
        int tid = Group.IdxX, dim = Group.DimX, groups = Grid.DimX, total = outer * parts;
        for (int g = Grid.IdxX; g < total; g += groups)
        {
            int row = g / parts, part = g - row * parts;
            long b = (long)row * n;
            int lo = part * chunk, hi = Math.Min(n, lo + chunk);
            double acc = 0;
            for (int j = lo + tid; j < hi; j += dim) acc += x[b + j];
            acc = GroupReduce.Sum(acc);
            if (tid == 0) partial[g] = acc;
        }
    }

    /// <summary>partial[(o·parts + p)·inner + i] = Σ x[o, j, i] over rows j of chunk p, in order; one thread per (o, p, i).</summary>
    [DeviceKernel]
    public static void ColumnPartials(ArrayView<float> x, ArrayView<double> partial, int outer, int n, int inner, int chunk, int parts)
    {
        int stride = Grid.DimX * Group.DimX, perOuter = parts * inner, total = outer * perOuter;
        for (int e = Grid.GlobalIndex.X; e < total; e += stride)
        {
            int o = e / perOuter, r = e - o * perOuter, p = r / inner, i = r - p * inner;
            int lo = p * chunk, hi = Math.Min(n, lo + chunk);
            long b = (long)o * n * inner + i;
            double acc = 0;
            for (int j = lo; j < hi; j++) acc += x[b + (long)j * inner];
            partial[e] = acc;
        }
    }

    /// <summary>y[o, i] = Σ_p partial[(o·parts + p)·inner + i], chunks in order; one thread per output.</summary>
    [DeviceKernel]
    public static void FinishSums(ArrayView<double> partial, ArrayView<float> y, int outputs, int parts, int inner)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int e = Grid.GlobalIndex.X; e < outputs; e += stride)
        {
            int o = e / inner, i = e - o * inner;
            long b = (long)o * parts * inner + i;
            double acc = 0;
            for (int p = 0; p < parts; p++) acc += partial[b + (long)p * inner];
            y[e] = (float)acc;
        }
    }

    /// <summary>ln s for a double s ≥ 1: float log of the rounded value plus the first-order correction (s − f)/f.</summary>
    private static float LogOfDouble(double s)
    {
        float f = (float)s;
        return (float)(DeviceMath.Log(f) + (s - f) / f);
    }
}
