// Shape ops: reshape (a view), expand, permute/transpose, slice, concat — all but reshape are the
// backend's one StridedCopy primitive.
using Gibbs.Internals;

namespace Gibbs;

public sealed partial class Tensor
{
    /// <summary>A view with a new shape (one dimension may be −1). Shares storage.</summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        var s = shape.ToArray();
        int infer = -1, known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) Throw.Shape($"reshape {Format(shape)}: only one dimension may be -1");
                infer = i;
            }
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Length % known != 0) Throw.Shape($"cannot reshape {Format(_shape)} to {Format(shape)}");
            s[infer] = Length / known;
        }
        if (ShapeLength(s) != Length) Throw.Shape($"cannot reshape {Format(_shape)} ({Length} elements) to {Format(s)}");
        Storage.AddRef();
        var y = new Tensor(Storage, s);
        return Taping(this) ? Record(y, "reshape", [this], static (g, _, x) => [g.Reshape(x[0]._shape)]) : y;
    }

    /// <summary>Flattens all but the first dimension: [N, …] → [N, rest].</summary>
    public Tensor Flatten() => Rank == 2 ? this : Reshape(Rank == 0 ? 1 : _shape[0], -1);

    /// <summary>Inserts a size-1 dimension at <paramref name="dim"/>.</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = dim < 0 ? dim + Rank + 1 : dim;
        if ((uint)d > (uint)Rank) Throw.Shape($"unsqueeze dimension {dim} out of range for rank {Rank}");
        return Reshape([.. _shape[..d], 1, .. _shape[d..]]);
    }

    /// <summary>Broadcasts to <paramref name="shape"/> (materialised); gradient sums back.</summary>
    public Tensor Expand(ReadOnlySpan<int> shape)
    {
        var target = shape.ToArray();
        if (_shape.AsSpan().SequenceEqual(target)) return this;
        var bs = BroadcastShape(_shape, target);
        if (!bs.AsSpan().SequenceEqual(target)) Throw.Shape($"cannot expand {Format(_shape)} to {Format(target)}");
        var y = Empty(Backend, target);
        Backend.StridedCopy(Storage, 0, BroadcastStrides(_shape, target), y.Storage, 0, Strides.Contiguous(target), target);
        return Record(y, "expand", [this], g => [SumTo(g, _shape)]);
    }

    /// <summary>Reorders dimensions: result dimension i is input dimension perm[i].</summary>
    public Tensor Permute(params int[] perm)
    {
        if (perm.Length != Rank || perm.Distinct().Count() != Rank || perm.Any(p => p < 0 || p >= Rank))
            Throw.Shape($"permute {Format(perm)} is not a permutation of {Rank} dimensions");
        var own = Strides.Contiguous(_shape);
        var shape = new int[Rank];
        var strides = new int[Rank];
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++) { shape[i] = _shape[perm[i]]; strides[i] = own[perm[i]]; inverse[perm[i]] = i; }
        var y = Empty(Backend, shape);
        Backend.StridedCopy(Storage, 0, strides, y.Storage, 0, Strides.Contiguous(shape), shape);
        return Record(y, "permute", [this], g => [g.Permute(inverse)]);
    }

    /// <summary>Swaps two dimensions (default: the last two).</summary>
    public Tensor Transpose(int dim0 = -2, int dim1 = -1)
    {
        var perm = Enumerable.Range(0, Rank).ToArray();
        int a = NormalizeDim(dim0), b = NormalizeDim(dim1);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>The transpose of a matrix.</summary>
    public Tensor T => Transpose();

    /// <summary>Elements [start, start+length) along <paramref name="dim"/>.</summary>
    public Tensor Slice(int dim, int start, int length)
    {
        int d = NormalizeDim(dim);
        if (start < 0 || length < 0 || start + length > _shape[d])
            Throw.Shape($"slice [{start}, {start + length}) out of range for dimension {dim} of size {_shape[d]}");
        var shape = (int[])_shape.Clone();
        shape[d] = length;
        var own = Strides.Contiguous(_shape);
        var y = Empty(Backend, shape);
        Backend.StridedCopy(Storage, start * own[d], own, y.Storage, 0, Strides.Contiguous(shape), shape);
        return Record(y, "slice", [this], g => [g.PadSlice(_shape, d, start)]);
    }

    /// <summary>The adjoint of Slice: zeros of <paramref name="full"/> with this tensor written at [start, start+len) along d.</summary>
    private Tensor PadSlice(int[] full, int d, int start)
    {
        var own = Strides.Contiguous(full);
        var y = Zeros(full, Device);
        Backend.StridedCopy(Storage, 0, Strides.Contiguous(_shape), y.Storage, start * own[d], own, _shape);
        return Record(y, "pad_slice", [this], g => [g.Slice(d, start, _shape[d])]);
    }

    /// <summary>Joins tensors along <paramref name="dim"/>; the other dimensions must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) Throw.Argument("concat of no tensors");
        var first = tensors[0];
        int d = first.NormalizeDim(dim);
        var shape = (int[])first._shape.Clone();
        shape[d] = 0;
        foreach (var t in tensors)
        {
            SameDevice(first, t, "concat");
            if (t.Rank != first.Rank) Throw.Shape($"concat: ranks differ ({Format(first.Shape)} vs {Format(t.Shape)})");
            for (int i = 0; i < t.Rank; i++)
                if (i != d && t._shape[i] != first._shape[i]) Throw.Shape($"concat along {dim}: shapes {Format(first.Shape)} and {Format(t.Shape)} differ in dimension {i}");
            shape[d] += t._shape[d];
        }
        var y = Empty(first.Backend, shape);
        var ys = Strides.Contiguous(shape);
        int offset = 0;
        var starts = new int[tensors.Count];
        for (int k = 0; k < tensors.Count; k++)
        {
            var t = tensors[k];
            starts[k] = offset;
            first.Backend.StridedCopy(t.Storage, 0, Strides.Contiguous(t._shape), y.Storage, offset * ys[d], ys, t._shape);
            offset += t._shape[d];
        }
        var inputs = tensors.ToArray();
        return Record(y, "concat", inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            for (int k = 0; k < inputs.Length; k++)
                if (inputs[k].NeedsGrad) grads[k] = g.Slice(d, starts[k], inputs[k]._shape[d]);
            return grads;
        });
    }
}
