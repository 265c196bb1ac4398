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

    public Tensor Neg() { var y = UnaryRaw(UnaryOp.Neg); return Taping(this) ? Record(y, "neg", [this], static (g, _, _) => [g.Neg()]) : y; }

    public Tensor Exp() { var y = UnaryRaw(UnaryOp.Exp); return Taping(this) ? Record(y, "exp", [this], static (g, y, _) => [g * y]) : y; }

    public Tensor Log() { var y = UnaryRaw(UnaryOp.Log); return Taping(this) ? Record(y, "log", [this], static (g, _, x) => [g / x[0]]) : y; }

    /// <summary>log(1 + x), accurate near 0.</summary>
    public Tensor Log1p() { var y = UnaryRaw(UnaryOp.Log1p); return Taping(this) ? Record(y, "log1p", [this], static (g, _, x) => [g / (x[0] + 1f)]) : y; }

    public Tensor Sqrt() { var y = UnaryRaw(UnaryOp.Sqrt); return Taping(this) ? Record(y, "sqrt", [this], static (g, y, _) => [g * 0.5f / y]) : y; }

    public Tensor Abs() { var y = UnaryRaw(UnaryOp.Abs); return Taping(this) ? Record(y, "abs", [this], static (g, _, x) => [g * x[0].UnaryRaw(UnaryOp.Sign)]) : y; }

    /// <summary>−1, 0 or 1 (NaN stays NaN). Not differentiable: no gradient flows through it.</summary>
    public Tensor Sign() => UnaryRaw(UnaryOp.Sign);

    public Tensor Square() { var y = UnaryRaw(UnaryOp.Square); return Taping(this) ? Record(y, "square", [this], static (g, _, x) => [g * x[0] * 2f]) : y; }

    public Tensor Reciprocal() { var y = UnaryRaw(UnaryOp.Reciprocal); return Taping(this) ? Record(y, "reciprocal", [this], static (g, y, _) => [-(g * y.Square())]) : y; }

    public Tensor Tanh() { var y = UnaryRaw(UnaryOp.Tanh); return Taping(this) ? Record(y, "tanh", [this], static (g, y, _) => [g * (1f - y.Square())]) : y; }

    /// <summary>σ(x) = 1 / (1 + e^{−x}).</summary>
    public Tensor Sigmoid() { var y = UnaryRaw(UnaryOp.Sigmoid); return Taping(this) ? Record(y, "sigmoid", [this], static (g, y, _) => [g * y * (1f - y)]) : y; }

    public Tensor Relu() { var y = UnaryRaw(UnaryOp.Relu); return Taping(this) ? Record(y, "relu", [this], static (g, _, x) => [g * x[0].UnaryRaw(UnaryOp.Step)]) : y; }

    /// <summary>log(1 + e^x), computed stably as max(x, 0) + log1p(e^{−|x|}).</summary>
    public Tensor Softplus() { var y = UnaryRaw(UnaryOp.Softplus); return Taping(this) ? Record(y, "softplus", [this], static (g, _, x) => [g * x[0].Sigmoid()]) : y; }

    /// <summary>log σ(x) = −softplus(−x), computed stably.</summary>
    public Tensor LogSigmoid() { var y = UnaryRaw(UnaryOp.LogSigmoid); return Taping(this) ? Record(y, "logsigmoid", [this], static (g, _, x) => [g * (1f - x[0].Sigmoid())]) : y; }

    /// <summary>x^p for a constant exponent.</summary>
    public Tensor Pow(float p)
    {
        var y = UnaryRaw(UnaryOp.Pow, p);
        return Taping(this) ? PowTape(y, p) : y;
    }

    private Tensor PowTape(Tensor y, float p) => Record(y, "pow", [this], g => [g * Pow(p - 1f) * p]);

    /// <summary>min(max(x, lo), hi); the gradient passes where lo ≤ x ≤ hi.</summary>
    public Tensor Clamp(float lo, float hi)
    {
        if (lo > hi) throw new ArgumentException($"Clamp: lo ({lo}) > hi ({hi})");
        var y = UnaryRaw(UnaryOp.Clamp, lo, hi);
        return Taping(this) ? ClampTape(y, lo, hi) : y;
    }

    private Tensor ClampTape(Tensor y, float lo, float hi) => Record(y, "clamp", [this], g => [g * (Ge(lo) * Le(hi))]);

    /// <summary>a·x + b.</summary>
    public Tensor Affine(float a, float b)
    {
        var y = UnaryRaw(UnaryOp.Affine, a, b);
        return Taping(this) ? AffineTape(y, a) : y;
    }

    private Tensor AffineTape(Tensor y, float a) => Record(y, "affine", [this], g => [g.Affine(a, 0f)]);

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
