// Broadcasting binary ops (numpy rules) and their gradients. A gradient flowing to a broadcast
// operand is summed back to that operand's shape (SumTo).
using Gibbs.Backends;
using Gibbs.Internals;

namespace Gibbs;

public sealed partial class Tensor
{
    internal static int[] BroadcastShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int r = Math.Max(a.Length, b.Length);
        var s = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i < r - a.Length ? 1 : a[i - (r - a.Length)];
            int db = i < r - b.Length ? 1 : b[i - (r - b.Length)];
            if (da != db && da != 1 && db != 1)
                Throw.Shape($"shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i}: {da} vs {db})");
            s[i] = da == 1 ? db : da;
        }
        return s;
    }

    /// <summary>Strides of <paramref name="shape"/> viewed as <paramref name="target"/> (0 on broadcast dimensions).</summary>
    internal static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> target)
    {
        var s = new int[target.Length];
        BroadcastStrides(shape, target, s);
        return s;
    }

    internal static void SameDevice(Tensor a, Tensor b, string op)
    {
        if (a.Device != b.Device) Throw.Device($"{op}: operands are on different devices ({a.Device} and {b.Device}); move one with To()");
    }

    private static void SameDevice(Tensor a, Tensor b, BinaryOp op)
    {
        if (a.Device != b.Device) SameDevice(a, b, op.ToString());
    }

    /// <summary>z = op(a, b) with broadcasting, no tape. Equal shapes share the shape array and pass strides on the stack: no allocation but the result.</summary>
    internal static Tensor BinaryRaw(BinaryOp op, Tensor a, Tensor b)
    {
        SameDevice(a, b, op);
        var shape = a._shape.AsSpan().SequenceEqual(b._shape) ? a._shape : BroadcastShape(a._shape, b._shape);
        Span<int> sa = stackalloc int[shape.Length], sb = stackalloc int[shape.Length];
        BroadcastStrides(a._shape, shape, sa);
        BroadcastStrides(b._shape, shape, sb);
        var y = Empty(a.Backend, shape);
        a.Backend.Binary(op, a.Storage, sa, b.Storage, sb, y.Storage, shape);
        return y;
    }

    /// <summary>Strides of <paramref name="shape"/> viewed as <paramref name="target"/> into <paramref name="strides"/> (0 on broadcast dimensions).</summary>
    internal static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> target, Span<int> strides)
    {
        int off = target.Length - shape.Length, acc = 1;
        strides[..off].Clear();
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i + off] = shape[i] == 1 && target[i + off] != 1 ? 0 : acc;
            acc *= shape[i];
        }
    }

    /// <summary>
    /// Sums <paramref name="g"/> over the dimensions that were broadcast to reach its shape from <paramref name="shape"/>
    /// (recorded, so gradients of gradients flow: its own derivative is a broadcast back).
    /// </summary>
    internal static Tensor SumTo(Tensor g, ReadOnlySpan<int> shape)
    {
        if (g.Shape.SequenceEqual(shape)) return g;
        var y = SumToRaw(g, shape);
        return Record(y, "sum_to", [g], h => [h.Expand(g._shape)]);
    }

    private static Tensor SumToRaw(Tensor g, ReadOnlySpan<int> shape)
    {
        int r = g.Rank, off = r - shape.Length;
        var t = g;
        // Leading extra dimensions: collapse into one and sum it away.
        if (off > 0)
        {
            int lead = 1;
            for (int i = 0; i < off; i++) lead *= g._shape[i];
            t = ReduceRaw(ReduceOp.Sum, t, 1, lead, t.Length / Math.Max(lead, 1), g._shape[off..]);
        }
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] != 1 || t._shape[d] == 1) continue;
            var keep = (int[])t._shape.Clone();
            keep[d] = 1;
            t = t.ReduceAxisRaw(ReduceOp.Sum, d, keep);
        }
        if (t.Shape.SequenceEqual(shape)) return t;
        using var _ = NoGrad();
        return t.Reshape(shape);
    }

    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Add, a, b);
        return Taping(a, b) ? Record(y, "add", [a, b], static (g, _, x) => [x[0].NeedsGrad ? SumTo(g, x[0].Shape) : null, x[1].NeedsGrad ? SumTo(g, x[1].Shape) : null]) : y;
    }

    public static Tensor Sub(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Sub, a, b);
        return Taping(a, b) ? Record(y, "sub", [a, b], static (g, _, x) => [x[0].NeedsGrad ? SumTo(g, x[0].Shape) : null, x[1].NeedsGrad ? SumTo(-g, x[1].Shape) : null]) : y;
    }

    public static Tensor Mul(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Mul, a, b);
        return Taping(a, b) ? Record(y, "mul", [a, b], static (g, _, x) =>
            [x[0].NeedsGrad ? SumTo(g * x[1], x[0].Shape) : null, x[1].NeedsGrad ? SumTo(g * x[0], x[1].Shape) : null]) : y;
    }

    public static Tensor Div(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Div, a, b);
        return Taping(a, b) ? Record(y, "div", [a, b], static (g, y, x) =>
            [x[0].NeedsGrad ? SumTo(g / x[1], x[0].Shape) : null, x[1].NeedsGrad ? SumTo(-(g * y) / x[1], x[1].Shape) : null]) : y;
    }

    /// <summary>Elementwise maximum; the gradient goes to a where a ≥ b, else to b.</summary>
    public static Tensor Maximum(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Max, a, b);
        return Record(y, "maximum", [a, b], g =>
        {
            var mask = BinaryRaw(BinaryOp.GreaterEqual, a, b);
            return [a.NeedsGrad ? SumTo(g * mask, a.Shape) : null, b.NeedsGrad ? SumTo(g * (1f - mask), b.Shape) : null];
        });
    }

    /// <summary>Elementwise minimum; the gradient goes to a where a ≤ b, else to b.</summary>
    public static Tensor Minimum(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Min, a, b);
        return Record(y, "minimum", [a, b], g =>
        {
            var mask = BinaryRaw(BinaryOp.LessEqual, a, b);
            return [a.NeedsGrad ? SumTo(g * mask, a.Shape) : null, b.NeedsGrad ? SumTo(g * (1f - mask), b.Shape) : null];
        });
    }

    /// <summary>a^b elementwise (a &gt; 0 where b is not an integer).</summary>
    public static Tensor Pow(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryOp.Pow, a, b);
        return Record(y, "pow", [a, b], g =>
            [a.NeedsGrad ? SumTo(g * b * Pow(a, b - 1f), a.Shape) : null,
             b.NeedsGrad ? SumTo(g * y * a.Log(), b.Shape) : null]);
    }

    // Comparisons: 1 where true, 0 elsewhere; no gradient.
    public Tensor Gt(Tensor other) => BinaryRaw(BinaryOp.Greater, this, other);
    public Tensor Ge(Tensor other) => BinaryRaw(BinaryOp.GreaterEqual, this, other);
    public Tensor Lt(Tensor other) => BinaryRaw(BinaryOp.Less, this, other);
    public Tensor Le(Tensor other) => BinaryRaw(BinaryOp.LessEqual, this, other);
    public Tensor Eq(Tensor other) => BinaryRaw(BinaryOp.Equal, this, other);
    public Tensor Ne(Tensor other) => BinaryRaw(BinaryOp.NotEqual, this, other);
    public Tensor Gt(float v) => Compare(BinaryOp.Greater, v);
    public Tensor Ge(float v) => Compare(BinaryOp.GreaterEqual, v);
    public Tensor Lt(float v) => Compare(BinaryOp.Less, v);
    public Tensor Le(float v) => Compare(BinaryOp.LessEqual, v);
    public Tensor Eq(float v) => Compare(BinaryOp.Equal, v);

    private Tensor Compare(BinaryOp op, float v)
    {
        using var s = Full([], v, Device).Untrack();
        return BinaryRaw(op, this, s);
    }

    /// <summary>cond ≠ 0 ? a : b, broadcasting all three. Gradients flow to a and b through the mask.</summary>
    public static Tensor Where(Tensor cond, Tensor a, Tensor b)
    {
        SameDevice(cond, a, "where");
        SameDevice(a, b, "where");
        var shape = BroadcastShape(BroadcastShape(cond.Shape, a.Shape), b.Shape);
        using var c = BroadcastOwned(cond, shape);
        using var ea = BroadcastOwned(a, shape);
        using var eb = BroadcastOwned(b, shape);
        var y = Empty(a.Backend, shape);
        a.Backend.Where(c.Storage, ea.Storage, eb.Storage, y.Storage, y.Length);
        return Record(y, "where", [a, b], g =>
        {
            var mask = cond.Ne(0f);
            return [a.NeedsGrad ? SumTo(g * mask, a.Shape) : null, b.NeedsGrad ? SumTo(g * (1f - mask), b.Shape) : null];
        });
    }

    /// <summary>An untracked, tape-free tensor of <paramref name="shape"/> with t's values broadcast; the caller disposes it.</summary>
    private static Tensor BroadcastOwned(Tensor t, int[] shape)
    {
        using var _ = NoGrad();
        var view = t.Detach().Untrack();
        if (view.Shape.SequenceEqual(shape)) return view;
        var e = view.Expand(shape).Untrack();
        view.Dispose();
        return e;
    }

    private Tensor Ne(float v) => Compare(BinaryOp.NotEqual, v);

    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Sub(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Mul(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Div(a, b);
    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator +(Tensor a, float s) => a.Affine(1f, s);
    public static Tensor operator +(float s, Tensor a) => a.Affine(1f, s);
    public static Tensor operator -(Tensor a, float s) => a.Affine(1f, -s);
    public static Tensor operator -(float s, Tensor a) => a.Affine(-1f, s);
    public static Tensor operator *(Tensor a, float s) => a.Affine(s, 0f);
    public static Tensor operator *(float s, Tensor a) => a.Affine(s, 0f);
    public static Tensor operator /(Tensor a, float s) => a.Affine(1f / s, 0f);
    public static Tensor operator /(float s, Tensor a) => a.Reciprocal().Affine(s, 0f);
}
