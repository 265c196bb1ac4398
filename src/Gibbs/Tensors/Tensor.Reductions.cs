// Reductions over one axis or over everything, softmax / log-softmax, and their gradients.
using Gibbs.Backends;

namespace Gibbs;

public sealed partial class Tensor
{
    internal static Tensor ReduceRaw(ReduceOp op, Tensor x, int outer, int n, int inner, int[] outShape)
    {
        var y = Empty(x.Backend, outShape);
        x.Backend.Reduce(op, x.Storage, y.Storage, outer, n, inner);
        return y;
    }

    internal Tensor ReduceAxisRaw(ReduceOp op, int axis, int[] outShape)
    {
        int d = NormalizeDim(axis);
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= _shape[i];
        for (int i = d + 1; i < Rank; i++) inner *= _shape[i];
        return ReduceRaw(op, this, outer, _shape[d], inner, outShape);
    }

    private int[] ReducedShape(int axis, bool keepDim)
    {
        int d = NormalizeDim(axis);
        if (keepDim)
        {
            var s = (int[])_shape.Clone();
            s[d] = 1;
            return s;
        }
        return [.. _shape[..d], .. _shape[(d + 1)..]];
    }

    private int[] KeepDimShape(int axis)
    {
        var s = (int[])_shape.Clone();
        s[NormalizeDim(axis)] = 1;
        return s;
    }

    /// <summary>Sum of all elements (rank-0 result).</summary>
    public Tensor Sum()
    {
        var y = ReduceRaw(ReduceOp.Sum, this, 1, Length, 1, []);
        return Taping(this) ? Record(y, "sum", [this], static (g, _, x) => [g.Expand(x[0]._shape)]) : y;
    }

    /// <summary>Sum over <paramref name="axis"/>.</summary>
    public Tensor Sum(int axis, bool keepDim = false)
    {
        var y = ReduceAxisRaw(ReduceOp.Sum, axis, ReducedShape(axis, keepDim));
        return Taping(this) ? SumAxisTape(y, axis) : y;
    }

    private Tensor SumAxisTape(Tensor y, int axis) => Record(y, "sum_axis", [this], g => [g.Reshape(KeepDimShape(axis)).Expand(_shape)]);


    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Sum() * (1f / Math.Max(1, Length));

    /// <summary>Mean over <paramref name="axis"/>.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => Sum(axis, keepDim) * (1f / Math.Max(1, Dim(axis)));

    /// <summary>Maximum over <paramref name="axis"/>; the gradient goes to the first maximal element (ties are not split).</summary>
    public Tensor Max(int axis, bool keepDim = false) => Extremum(ReduceOp.Max, axis, keepDim);

    /// <summary>Minimum over <paramref name="axis"/>; the gradient goes to the first minimal element.</summary>
    public Tensor Min(int axis, bool keepDim = false) => Extremum(ReduceOp.Min, axis, keepDim);

    private Tensor Extremum(ReduceOp op, int axis, bool keepDim)
    {
        int d = NormalizeDim(axis);
        var y = ReduceAxisRaw(op, d, ReducedShape(d, keepDim));
        return Record(y, op == ReduceOp.Max ? "max" : "min", [this], g =>
        {
            // Route g to one element per reduced position — the first extremum, the same on every backend — so tied
            // maxima (a maxout group of equal units) do not each receive the whole gradient.
            var index = op == ReduceOp.Max ? ReduceAxisRaw(ReduceOp.ArgMax, d, ReducedShape(d, false)) : (-this).ReduceAxisRaw(ReduceOp.ArgMax, d, ReducedShape(d, false));
            return [g.Reshape(ReducedShape(d, false)).PutAlong(_shape, d, index)];
        });
    }

    /// <summary>Maximum of all elements (no gradient).</summary>
    public float MaxValue() { using var m = ReduceRaw(ReduceOp.Max, this, 1, Length, 1, []).Untrack(); return m.Item(); }

    /// <summary>Minimum of all elements (no gradient).</summary>
    public float MinValue() { using var m = ReduceRaw(ReduceOp.Min, this, 1, Length, 1, []).Untrack(); return m.Item(); }

    /// <summary>Index of the maximum over <paramref name="axis"/> (as floats; not differentiable).</summary>
    public Tensor ArgMax(int axis, bool keepDim = false) => ReduceAxisRaw(ReduceOp.ArgMax, axis, ReducedShape(axis, keepDim));

    /// <summary>log Σ exp(x) over <paramref name="axis"/>, computed stably; gradient softmax(x)·g.</summary>
    public Tensor LogSumExp(int axis, bool keepDim = false)
    {
        var y = ReduceAxisRaw(ReduceOp.LogSumExp, axis, ReducedShape(axis, keepDim));
        return Record(y, "logsumexp", [this], g =>
        {
            var keep = KeepDimShape(axis);
            return [g.Reshape(keep) * (this - y.Reshape(keep)).Exp()];
        });
    }

    /// <summary>
    /// log softmax over <paramref name="axis"/>: s − logsumexp(s) with s = x − max(x) (max held constant), so both
    /// terms are O(log n) and the result keeps float32 accuracy even for logits near 10³.
    /// </summary>
    public Tensor LogSoftmax(int axis = -1)
    {
        Tensor shifted;
        using (NoGrad())
        {
            var m = ReduceAxisRaw(ReduceOp.Max, axis, KeepDimShape(axis));
            shifted = this - m;
        }
        if (_requiresGrad && GradMode.IsEnabled)
            shifted = Record(shifted, "shift", [this], g => [g]);
        return shifted - shifted.LogSumExp(axis, keepDim: true);
    }

    /// <summary>softmax over <paramref name="axis"/>.</summary>
    public Tensor Softmax(int axis = -1) => LogSoftmax(axis).Exp();
}
