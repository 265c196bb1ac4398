// CPU index primitives over a contiguous [outer, n, inner] view: IndexSelect / IndexAdd (the same rows for
// every outer slice — per-class heads, grouping a batch by class) and Gather / ScatterAdd (one index per
// position — the logit of each row's label, the arg-max in a max's backward). Indices are floats holding
// integers, validated by the caller; an out-of-range index reads as 0 and writes nowhere (kernels never throw).
// Accumulation order is fixed (ascending j), so results do not depend on the thread count.
using Gibbs.Internals;

namespace Gibbs.Backends.Cpu;

public sealed unsafe partial class CpuBackend
{
    public void IndexSelect(Storage x, int outer, int n, int inner, Storage idx, int k, Storage y)
    {
        float* px = P(x), pi = P(idx), py = P(y);
        long rows = (long)outer * k;
        if (Par.IsSmall(rows * inner)) SelectRows(px, n, inner, pi, k, py, 0, (int)rows);
        else Par.Rows((int)rows, inner, (s, e) => SelectRows(px, n, inner, pi, k, py, s, e));
        GC.KeepAlive(x); GC.KeepAlive(idx); GC.KeepAlive(y);
    }

    // Output rows [s, e) of the [outer·k, inner] result.
    private static void SelectRows(float* x, int n, int inner, float* idx, int k, float* y, int s, int e)
    {
        for (int r = s; r < e; r++)
        {
            int o = r / k, j = r - o * k;
            int src = (int)idx[j];
            var dst = new Span<float>(y + (long)r * inner, inner);
            if ((uint)src < (uint)n) new ReadOnlySpan<float>(x + ((long)o * n + src) * inner, inner).CopyTo(dst);
            else dst.Clear();
        }
    }

    public void IndexAdd(Storage src, int outer, int k, int inner, Storage idx, Storage y, int n)
    {
        float* ps = P(src), pi = P(idx), py = P(y);
        // Parallel over (outer slice, column block): every output element is summed by one task in ascending j.
        const int Cols = 256;
        int blocks = (inner + Cols - 1) / Cols;
        int units = outer * blocks;
        if (Par.IsSmall((long)outer * k * inner)) AddBlocks(ps, k, inner, pi, py, n, blocks, Cols, 0, units);
        else Par.For(units, 1, (s, e) => AddBlocks(ps, k, inner, pi, py, n, blocks, Cols, s, e));
        GC.KeepAlive(src); GC.KeepAlive(idx); GC.KeepAlive(y);
    }

    private static void AddBlocks(float* src, int k, int inner, float* idx, float* y, int n, int blocks, int cols, int s, int e)
    {
        for (int u = s; u < e; u++)
        {
            int o = u / blocks, c0 = (u - o * blocks) * cols, len = Math.Min(cols, inner - c0);
            for (int j = 0; j < k; j++)
            {
                int dst = (int)idx[j];
                if ((uint)dst >= (uint)n) continue;
                var d = new Span<float>(y + ((long)o * n + dst) * inner + c0, len);
                System.Numerics.Tensors.TensorPrimitives.Add(d, new ReadOnlySpan<float>(src + ((long)o * k + j) * inner + c0, len), d);
            }
        }
    }

    public void Gather(Storage x, int outer, int n, int inner, Storage idx, Storage y)
    {
        float* px = P(x), pi = P(idx), py = P(y);
        for (long o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                long at = o * inner + i;
                int j = (int)pi[at];
                py[at] = (uint)j < (uint)n ? px[(o * n + j) * inner + i] : 0f;
            }
        GC.KeepAlive(x); GC.KeepAlive(idx); GC.KeepAlive(y);
    }

    public void ScatterAdd(Storage src, int outer, int n, int inner, Storage idx, Storage y)
    {
        float* ps = P(src), pi = P(idx), py = P(y);
        for (long o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                long at = o * inner + i;
                int j = (int)pi[at];
                if ((uint)j < (uint)n) py[(o * n + j) * inner + i] += ps[at];
            }
        GC.KeepAlive(src); GC.KeepAlive(idx); GC.KeepAlive(y);
    }
}
