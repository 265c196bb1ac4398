// CPU reductions over the middle axis of [outer, n, inner]. Sums accumulate in double on every path (float
// lanes widened as they are added: as fast as memory delivers them), so Sum(0) over 10⁶ rows of 0.1 is
// correct to the last float bit; long rows are cut into fixed 4,096-element blocks for the threads.
// Work is split on grids that depend only on the shape (row blocks, or 256-column blocks per outer slice),
// so results are bit-identical for any thread count.
using System.Runtime.Intrinsics;
using Gibbs.Internals;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Gibbs.Backends.Cpu;

public sealed unsafe partial class CpuBackend
{
    private const int SumBlock = 4096, ColBlock = 256;

    public void Reduce(ReduceOp op, Storage x, Storage y, int outer, int n, int inner)
    {
        float* px = P(x), py = P(y);
        if (n == 0) new Span<float>(py, outer * inner).Fill(Identity(op));
        else if (inner == 1)
        {
            if (outer == 1 && n >= 4 * SumBlock && op is ReduceOp.Sum or ReduceOp.Max or ReduceOp.Min && !Par.IsSmall(n)) *py = ReduceLongRow(op, px, n);
            else if (Par.IsSmall((long)outer * n)) ReduceRows(op, px, py, n, 0, outer);
            else Par.Rows(outer, n, (s, e) => ReduceRows(op, px, py, n, s, e));
        }
        else
        {
            int blocks = (inner + ColBlock - 1) / ColBlock, units = outer * blocks;
            if (Par.IsSmall((long)outer * n * inner)) ReduceColumns(op, px, py, n, inner, blocks, 0, units);
            else Par.For(units, 1, (s, e) => ReduceColumns(op, px, py, n, inner, blocks, s, e));
        }
        GC.KeepAlive(x); GC.KeepAlive(y);
    }

    private static float Identity(ReduceOp op) => op switch
    {
        ReduceOp.Sum => 0f,
        ReduceOp.Max or ReduceOp.LogSumExp => float.NegativeInfinity,
        ReduceOp.Min => float.PositiveInfinity,
        _ => -1f,
    };

    private static void ReduceRows(ReduceOp op, float* x, float* y, int n, int s, int e)
    {
        for (int o = s; o < e; o++) y[o] = ReduceRow(op, new ReadOnlySpan<float>(x + (long)o * n, n));
    }

    private static float ReduceRow(ReduceOp op, ReadOnlySpan<float> row)
    {
        switch (op)
        {
            case ReduceOp.Sum:
                double acc = 0;
                for (int i = 0; i < row.Length; i += SumBlock) acc += SumDouble(row.Slice(i, Math.Min(SumBlock, row.Length - i)));
                return (float)acc;
            case ReduceOp.Max: return TP.Max(row);
            case ReduceOp.Min: return TP.Min(row);
            case ReduceOp.ArgMax: return TP.IndexOfMax(row);
            case ReduceOp.LogSumExp:
            {
                float m = TP.Max(row);
                if (float.IsInfinity(m) || float.IsNaN(m)) return m;
                double s = 0;
                for (int i = 0; i < row.Length; i++) s += MathF.Exp(row[i] - m);
                return m + (float)Math.Log(s);
            }
            default: throw new NotSupportedException(op.ToString());
        }
    }

    // One long row on all threads: per-block partials in parallel, combined in block order (same numbers as ReduceRow).
    private static float ReduceLongRow(ReduceOp op, float* x, int n)
    {
        int blocks = (n + SumBlock - 1) / SumBlock;
        var partial = new double[blocks];
        Par.For(blocks, 4, (s, e) =>
        {
            for (int b = s; b < e; b++)
            {
                var block = new ReadOnlySpan<float>(x + (long)b * SumBlock, Math.Min(SumBlock, n - b * SumBlock));
                partial[b] = op == ReduceOp.Sum ? SumDouble(block) : op == ReduceOp.Max ? TP.Max(block) : TP.Min(block);
            }
        });
        if (op == ReduceOp.Sum)
        {
            double acc = 0;
            foreach (var p in partial) acc += p;
            return (float)acc;
        }
        var f = new float[blocks];
        for (int b = 0; b < blocks; b++) f[b] = (float)partial[b];
        return op == ReduceOp.Max ? TP.Max(f) : TP.Min(f);
    }

    // Units u = (outer slice o, column block c): y[o, c·256 … +len) reduced over the n rows, in row order.
    private static void ReduceColumns(ReduceOp op, float* x, float* y, int n, int inner, int blocks, int s, int e)
    {
        Span<double> acc = stackalloc double[ColBlock];
        Span<float> tmp = stackalloc float[ColBlock];
        for (int u = s; u < e; u++)
        {
            int o = u / blocks, c0 = (u - o * blocks) * ColBlock, len = Math.Min(ColBlock, inner - c0);
            float* xs = x + (long)o * n * inner + c0;
            var dst = new Span<float>(y + (long)o * inner + c0, len);
            switch (op)
            {
                case ReduceOp.Sum: SumColumns(xs, n, inner, dst, acc[..len], tmp[..len]); break;
                case ReduceOp.Max or ReduceOp.Min:
                    new ReadOnlySpan<float>(xs, len).CopyTo(dst);
                    for (int j = 1; j < n; j++)
                    {
                        var r = new ReadOnlySpan<float>(xs + (long)j * inner, len);
                        if (op == ReduceOp.Max) TP.Max(dst, r, dst); else TP.Min(dst, r, dst);
                    }
                    break;
                case ReduceOp.ArgMax: ArgMaxColumns(xs, n, inner, dst, tmp[..len]); break;
                case ReduceOp.LogSumExp: LogSumExpColumns(xs, n, inner, dst, acc[..len], tmp[..len]); break;
                default: throw new NotSupportedException(op.ToString());
            }
        }
    }

    private static void SumColumns(float* x, int n, int inner, Span<float> dst, Span<double> acc, Span<float> unused)
    {
        acc.Clear();
        for (int j = 0; j < n; j++) AddWidened(acc, new ReadOnlySpan<float>(x + (long)j * inner, acc.Length));
        for (int i = 0; i < dst.Length; i++) dst[i] = (float)acc[i];
    }

    /// <summary>Σ v in double, 16 lanes in flight (fixed order: the same bits whoever calls it).</summary>
    private static double SumDouble(ReadOnlySpan<float> v)
    {
        int i = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated && v.Length >= 16)
        {
            var a0 = Vector256<double>.Zero;
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            fixed (float* p = v)
                for (; i + 16 <= v.Length; i += 16)
                {
                    var (l0, h0) = Vector256.Widen(Vector256.Load(p + i));
                    var (l1, h1) = Vector256.Widen(Vector256.Load(p + i + 8));
                    a0 += l0; a1 += h0; a2 += l1; a3 += h1;
                }
            total = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < v.Length; i++) total += v[i];
        return total;
    }

    private static void AddWidened(Span<double> acc, ReadOnlySpan<float> v)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            fixed (double* a = acc)
            fixed (float* p = v)
                for (; i + 8 <= v.Length; i += 8)
                {
                    var (lo, hi) = Vector256.Widen(Vector256.Load(p + i));
                    (Vector256.Load(a + i) + lo).Store(a + i);
                    (Vector256.Load(a + i + 4) + hi).Store(a + i + 4);
                }
        for (; i < v.Length; i++) acc[i] += v[i];
    }

    // First maximum per column; a NaN counts as the maximum (the first NaN wins), like IndexOfMax on a row.
    private static void ArgMaxColumns(float* x, int n, int inner, Span<float> dst, Span<float> best)
    {
        new ReadOnlySpan<float>(x, best.Length).CopyTo(best);
        dst.Clear();
        for (int j = 1; j < n; j++)
        {
            float* r = x + (long)j * inner;
            for (int i = 0; i < best.Length; i++)
            {
                float v = r[i], bv = best[i];
                if (v > bv || (float.IsNaN(v) && !float.IsNaN(bv))) { best[i] = v; dst[i] = j; }
            }
        }
    }

    private static void LogSumExpColumns(float* x, int n, int inner, Span<float> dst, Span<double> acc, Span<float> max)
    {
        new ReadOnlySpan<float>(x, max.Length).CopyTo(max);
        for (int j = 1; j < n; j++) TP.Max(max, new ReadOnlySpan<float>(x + (long)j * inner, max.Length), max);
        acc.Clear();
        for (int j = 0; j < n; j++)
        {
            float* r = x + (long)j * inner;
            for (int i = 0; i < max.Length; i++) acc[i] += MathF.Exp(r[i] - max[i]);
        }
        for (int i = 0; i < dst.Length; i++)
        {
            float m = max[i];
            dst[i] = float.IsInfinity(m) || float.IsNaN(m) ? m : m + (float)Math.Log(acc[i]);
        }
    }
}
