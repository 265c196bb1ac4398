// Elementwise unary ops, each with its local derivative beside it. Derivatives are written with recorded ops
// (not the raw primitives) wherever their own derivative is non-zero, so Autograd.Grad(createGraph: true) is exact.
using Gibbs.Backends;

namespace Gibbs;

public sealed partial class Tensor
{
    internal Tensor UnaryRaw(UnaryOp op, float a = 0f, float b = 0f)
    {
        var y = EmptyLike(this);
        Backend.Unary(op, Storage, y.Storage, Length, a, b);
        return y;
    }

    public Tensor Neg() => Record(UnaryRaw(UnaryOp.Neg), "neg", [this], g => [g.Neg()]);

    public Tensor Exp()
    {
        var y = UnaryRaw(UnaryOp.Exp);
        return Record(y, "exp", [this], g => [g * y]);
    }

    public Tensor Log() => Record(UnaryRaw(UnaryOp.Log), "log", [this], g => [g / this]);

    /// <summary>log(1 + x), accurate near 0.</summary>
    public Tensor Log1p() => Record(UnaryRaw(UnaryOp.Log1p), "log1p", [this], g => [g / (this + 1f)]);

    public Tensor Sqrt()
    {
        var y = UnaryRaw(UnaryOp.Sqrt);
        return Record(y, "sqrt", [this], g => [g * 0.5f / y]);
    }

    public Tensor Abs() => Record(UnaryRaw(UnaryOp.Abs), "abs", [this], g => [g * UnaryRaw(UnaryOp.Sign)]);

    /// <summary>−1, 0 or 1 (NaN stays NaN). Not differentiable: no gradient flows through it.</summary>
    public Tensor Sign() => UnaryRaw(UnaryOp.Sign);

    public Tensor Square() => Record(UnaryRaw(UnaryOp.Square), "square", [this], g => [g * this * 2f]);

    public Tensor Reciprocal()
    {
        var y = UnaryRaw(UnaryOp.Reciprocal);
        return Record(y, "reciprocal", [this], g => [-(g * y.Square())]);
    }

    public Tensor Tanh()
    {
        var y = UnaryRaw(UnaryOp.Tanh);
        return Record(y, "tanh", [this], g => [g * (1f - y.Square())]);
    }

    /// <summary>σ(x) = 1 / (1 + e^{−x}).</summary>
    public Tensor Sigmoid()
    {
        var y = UnaryRaw(UnaryOp.Sigmoid);
        return Record(y, "sigmoid", [this], g => [g * y * (1f - y)]);
    }

    public Tensor Relu() => Record(UnaryRaw(UnaryOp.Relu), "relu", [this], g => [g * UnaryRaw(UnaryOp.Step)]);

    /// <summary>log(1 + e^x), computed stably as max(x, 0) + log1p(e^{−|x|}).</summary>
    public Tensor Softplus() => Record(UnaryRaw(UnaryOp.Softplus), "softplus", [this], g => [g * Sigmoid()]);

    /// <summary>log σ(x) = −softplus(−x), computed stably.</summary>
    public Tensor LogSigmoid() =>
        Record(UnaryRaw(UnaryOp.LogSigmoid), "logsigmoid", [this], g => [g * (1f - Sigmoid())]);

    /// <summary>x^p for a constant exponent.</summary>
    public Tensor Pow(float p) =>
        Record(UnaryRaw(UnaryOp.Pow, p), "pow", [this], g => [g * Pow(p - 1f) * p]);

    /// <summary>min(max(x, lo), hi); the gradient passes where lo ≤ x ≤ hi.</summary>
    public Tensor Clamp(float lo, float hi)
    {
        if (lo > hi) throw new ArgumentException($"Clamp: lo ({lo}) > hi ({hi})");
        return Record(UnaryRaw(UnaryOp.Clamp, lo, hi), "clamp", [this], g => [g * (Ge(lo) * Le(hi))]);
    }

    /// <summary>a·x + b.</summary>
    public Tensor Affine(float a, float b) => Record(UnaryRaw(UnaryOp.Affine, a, b), "affine", [this], g => [g.Affine(a, 0f)]);

    /// <summary>1 where the element is NaN or ±∞.</summary>
    public Tensor IsNonFinite() => UnaryRaw(UnaryOp.NonFinite);

    /// <summary>True when every element is finite (one pass, one value read back).</summary>
    public bool AllFinite()
    {
        using var scope = TensorScope.Begin();
        using var _ = NoGrad();
        return UnaryRaw(UnaryOp.NonFinite).Sum().Item() == 0f;
    }
}
