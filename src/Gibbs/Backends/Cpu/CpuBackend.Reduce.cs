// CPU reductions over the middle axis of [outer, n, inner]. Long contiguous rows are summed in
// fixed blocks whose partial sums are accumulated in double (accurate and thread-count independent).
using Gibbs.Internals;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Gibbs.Backends.Cpu;

public sealed unsafe partial class CpuBackend
{
    private const int SumBlock = 4096;

    public void Reduce(ReduceOp op, Storage x, Storage y, int outer, int n, int inner)
    {
        float* px = P(x), py = P(y);
        if (n == 0)
        {
            float v = op switch { ReduceOp.Sum => 0f, ReduceOp.Max or ReduceOp.LogSumExp => float.NegativeInfinity, ReduceOp.Min => float.PositiveInfinity, _ => -1f };
            new Span<float>(py, outer * inner).Fill(v);
            return;
        }
        if (inner == 1)
        {
            Par.Rows(outer, n, (s, e) =>
            {
                for (int o = s; o < e; o++) py[o] = ReduceRow(op, new ReadOnlySpan<float>(px + (long)o * n, n));
            });
            return;
        }
        Par.Rows(outer, (long)n * inner, (s, e) =>
        {
            for (int o = s; o < e; o++) ReduceStrided(op, px + (long)o * n * inner, py + (long)o * inner, n, inner);
        });
    }

    private static float ReduceRow(ReduceOp op, ReadOnlySpan<float> row)
    {
        switch (op)
        {
            case ReduceOp.Sum:
                if (row.Length <= SumBlock) return TP.Sum(row);
                double acc = 0;
                for (int i = 0; i < row.Length; i += SumBlock) acc += TP.Sum(row.Slice(i, Math.Min(SumBlock, row.Length - i)));
                return (float)acc;
            case ReduceOp.Max: return TP.Max(row);
            case ReduceOp.Min: return TP.Min(row);
            case ReduceOp.ArgMax:
                return TP.IndexOfMax(row);
            case ReduceOp.LogSumExp:
            {
                float m = TP.Max(row);
                if (float.IsNegativeInfinity(m) || float.IsNaN(m)) return m;
                if (float.IsPositiveInfinity(m)) return m;
                double s = 0;
                for (int i = 0; i < row.Length; i++) s += MathF.Exp(row[i] - m);
                return m + (float)Math.Log(s);
            }
            default: throw new NotSupportedException(op.ToString());
        }
    }

    private static void ReduceStrided(ReduceOp op, float* x, float* y, int n, int inner)
    {
        var ys = new Span<float>(y, inner);
        switch (op)
        {
            case ReduceOp.Sum:
            case ReduceOp.Max:
            case ReduceOp.Min:
                new ReadOnlySpan<float>(x, inner).CopyTo(ys);
                for (int j = 1; j < n; j++)
                {
                    var r = new ReadOnlySpan<float>(x + (long)j * inner, inner);
                    if (op == ReduceOp.Sum) TP.Add(ys, r, ys);
                    else if (op == ReduceOp.Max) TP.Max(ys, r, ys);
                    else TP.Min(ys, r, ys);
                }
                return;
            case ReduceOp.ArgMax:
                for (int i = 0; i < inner; i++)
                {
                    int best = 0;
                    float bv = x[i];
                    for (int j = 1; j < n; j++)
                    {
                        float v = x[(long)j * inner + i];
                        if (v > bv || (float.IsNaN(v) && !float.IsNaN(bv))) { bv = v; best = j; }
                    }
                    y[i] = best;
                }
                return;
            case ReduceOp.LogSumExp:
                for (int i = 0; i < inner; i++)
                {
                    float m = float.NegativeInfinity;
                    for (int j = 0; j < n; j++) m = MathF.Max(m, x[(long)j * inner + i]);
                    if (float.IsInfinity(m) || float.IsNaN(m)) { y[i] = m; continue; }
                    double s = 0;
                    for (int j = 0; j < n; j++) s += MathF.Exp(x[(long)j * inner + i] - m);
                    y[i] = m + (float)Math.Log(s);
                }
                return;
            default: throw new NotSupportedException(op.ToString());
        }
    }
}
