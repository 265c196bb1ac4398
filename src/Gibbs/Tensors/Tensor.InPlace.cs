// In-place updates for optimisers and accumulators. They record no tape and require equal shapes
// (or a scalar operand); use them only on leaves or inside NoGrad.
using Gibbs.Backends;
using Gibbs.Internals;

namespace Gibbs;

public sealed partial class Tensor
{
    private void CheckInPlace(Tensor other, string op)
    {
        if (other.Length != 1 && !other.Shape.SequenceEqual(Shape))
            Throw.Shape($"{op}: shape {Format(other.Shape)} does not match {Format(_shape)}");
        if (other.Device != Device) Throw.Device($"{op}: tensors are on {Device} and {other.Device}");
    }

    private void BinaryInPlace(BinaryOp op, Tensor other)
    {
        if (other.Length != 1 && !other.Shape.SequenceEqual(Shape) || other.Device != Device) CheckInPlace(other, op.ToString());
        Span<int> s = stackalloc int[Rank], os = stackalloc int[Rank];
        Strides.Contiguous(_shape, s);
        if (other.Length != 1) s.CopyTo(os);
        else os.Clear();
        Backend.Binary(op, Storage, s, other.Storage, os, Storage, _shape);
    }

    /// <summary>this += alpha · other.</summary>
    public Tensor AddInPlace(Tensor other, float alpha = 1f)
    {
        if (alpha == 1f || other.Length == 1) { BinaryInPlace(BinaryOp.Add, alpha == 1f ? other : other * alpha); return this; }
        CheckInPlace(other, "AddInPlace");
        Backend.Axpy(alpha, other.Storage, Storage, Length);
        return this;
    }

    /// <summary>this ⊙= other.</summary>
    public Tensor MulInPlace(Tensor other) { BinaryInPlace(BinaryOp.Mul, other); return this; }

    /// <summary>this ⊘= other.</summary>
    public Tensor DivInPlace(Tensor other) { BinaryInPlace(BinaryOp.Div, other); return this; }

    /// <summary>this ← a · this + b.</summary>
    public Tensor AffineInPlace(float a, float b = 0f)
    {
        Backend.Unary(UnaryOp.Affine, Storage, Storage, Length, a, b);
        return this;
    }

    /// <summary>this ← op(this).</summary>
    public Tensor ApplyInPlace(UnaryOp op, float a = 0f, float b = 0f)
    {
        Backend.Unary(op, Storage, Storage, Length, a, b);
        return this;
    }

    /// <summary>Copies values from <paramref name="src"/> (same shape) into this tensor.</summary>
    public Tensor CopyFrom(Tensor src)
    {
        CheckInPlace(src, "CopyFrom");
        if (src.Length == 1 && Length != 1) Backend.Fill(Storage, 0, Length, src.Item());
        else Backend.Unary(UnaryOp.Copy, src.Storage, Storage, Length);
        return this;
    }

    /// <summary>Copies host values into this tensor.</summary>
    public Tensor CopyFrom(ReadOnlySpan<float> src)
    {
        if (src.Length != Length) Throw.Shape($"CopyFrom: {src.Length} values for a tensor of {Length}");
        Backend.CopyFromHost(src, Storage, 0);
        return this;
    }

    public Tensor FillInPlace(float value)
    {
        Backend.Fill(Storage, 0, Length, value);
        return this;
    }
}
