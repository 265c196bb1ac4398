// Index ops with gradients, on the backend's index primitives: IndexSelect (rows by index along a dimension;
// its adjoint IndexAdd), TakeAlong (one element per position along a dimension, e.g. each row's label; its
// adjoint a scatter-add) and the index check every caller runs before a launch (kernels never throw).
// Indices are integers stored as floats (exact up to 2²⁴).
using Gibbs.Backends;
using Gibbs.Internals;

namespace Gibbs;

public sealed partial class Tensor
{
    /// <summary>[outer, n, inner] sizes around dimension d.</summary>
    private (int Outer, int N, int Inner) Around(int d)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= _shape[i];
        for (int i = d + 1; i < Rank; i++) inner *= _shape[i];
        return (outer, _shape[d], inner);
    }

    /// <summary>
    /// Throws a one-line error unless every element of <paramref name="indices"/> is an integer in [0, <paramref name="bound"/>).
    /// One reduction and one value read back, on any device.
    /// </summary>
    public static void CheckIndices(Tensor indices, int bound, string what)
    {
        using var scope = TensorScope.Begin();
        using var _ = NoGrad();
        var bad = indices.Lt(0f) + indices.Ge(bound) + indices.Ne(indices.UnaryRaw(UnaryOp.Floor));
        if (indices.Length == 0 || bad.MaxValue() == 0f) return;
        var values = indices.ToArray();
        int at = Array.FindIndex(values, v => !(v >= 0 && v < bound && v == MathF.Floor(v)));
        Throw.Argument($"{what}: element {at} is {values[at]}, but indices must be whole numbers in [0, {bound})");
    }

    /// <summary>
    /// y = x.IndexSelect(d, idx): the slices x[…, idx[j], …] along dimension <paramref name="dim"/>, stacked in order
    /// (shape of x with dimension d replaced by idx.Length). Indices may repeat. Gradient: a scatter-add back (IndexAdd).
    /// </summary>
    public Tensor IndexSelect(int dim, Tensor indices)
    {
        int d = NormalizeDim(dim);
        if (indices.Rank != 1) Throw.Shape($"IndexSelect needs rank-1 indices, got {Format(indices.Shape)}");
        SameDevice(this, indices, "IndexSelect");
        var (outer, n, inner) = Around(d);
        CheckIndices(indices, n, "IndexSelect");
        var shape = (int[])_shape.Clone();
        shape[d] = indices.Length;
        var y = Empty(Backend, shape);
        if (y.Length > 0) Backend.IndexSelect(Storage, outer, n, inner, indices.Storage, indices.Length, y.Storage);
        return Record(y, "index_select", [this], g => [ZerosLike(this).IndexAddRaw(d, indices, g, checkedIndices: true)]);
    }

    /// <summary>
    /// x + (source scattered into dimension <paramref name="dim"/> at rows idx): result[…, idx[j], …] += source[…, j, …]
    /// (repeated indices accumulate). source has x's shape with dimension d replaced by idx.Length. Differentiable in both.
    /// </summary>
    public Tensor IndexAdd(int dim, Tensor indices, Tensor source)
    {
        int d = NormalizeDim(dim);
        if (indices.Rank != 1) Throw.Shape($"IndexAdd needs rank-1 indices, got {Format(indices.Shape)}");
        var expect = (int[])_shape.Clone();
        expect[d] = indices.Length;
        if (!source.Shape.SequenceEqual(expect)) Throw.Shape($"IndexAdd: source is {Format(source.Shape)}, expected {Format(expect)}");
        SameDevice(this, source, "IndexAdd");
        SameDevice(this, indices, "IndexAdd");
        CheckIndices(indices, _shape[d], "IndexAdd");
        var y = Clone().IndexAddRaw(d, indices, source, checkedIndices: true);
        return Record(y, "index_add", [this, source], g => [g, source.NeedsGrad ? g.IndexSelect(d, indices) : null]);
    }

    // this[…, idx[j], …] += source[…, j, …] in place (this is a fresh tensor of ours); recorded when source is on the tape.
    private Tensor IndexAddRaw(int d, Tensor indices, Tensor source, bool checkedIndices)
    {
        if (!checkedIndices) CheckIndices(indices, _shape[d], "IndexAdd");
        var (outer, n, inner) = Around(d);
        if (source.Length > 0) Backend.IndexAdd(source.Storage, outer, indices.Length, inner, indices.Storage, Storage, n);
        return Record(this, "index_add_into", [source], g => [g.IndexSelect(d, indices)]);
    }

    /// <summary>
    /// One element per position along <paramref name="dim"/>: y[…] = x[…, index[…], …], where index has x's shape without
    /// dimension d (numpy's take_along_axis with the axis squeezed; torch.gather). Gradient: scatter-add into that position.
    /// </summary>
    public Tensor TakeAlong(int dim, Tensor index)
    {
        int d = NormalizeDim(dim);
        int[] outShape = [.. _shape[..d], .. _shape[(d + 1)..]];
        if (!index.Shape.SequenceEqual(outShape)) Throw.Shape($"TakeAlong({dim}) on {Format(Shape)} needs an index of shape {Format(outShape)}, got {Format(index.Shape)}");
        SameDevice(this, index, "TakeAlong");
        var (outer, n, inner) = Around(d);
        CheckIndices(index, n, "TakeAlong");
        var y = Empty(Backend, outShape);
        if (y.Length > 0) Backend.Gather(Storage, outer, n, inner, index.Storage, y.Storage);
        return Record(y, "take_along", [this], g => [g.PutAlong(_shape, d, index)]);
    }

    // Zeros of `full` with g added at the positions index picks along d (the adjoint of TakeAlong); recorded.
    private Tensor PutAlong(int[] full, int d, Tensor index)
    {
        var y = Zeros(full, Device);
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= full[i];
        for (int i = d + 1; i < full.Length; i++) inner *= full[i];
        if (Length > 0) Backend.ScatterAdd(Storage, outer, full[d], inner, index.Storage, y.Storage);
        return Record(y, "put_along", [this], g => [g.TakeAlong(d, index)]);
    }
}
