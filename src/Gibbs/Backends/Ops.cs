// The primitive operations a backend implements. Everything else (autodiff rules, losses, layers,
// models) is composed from these, so a new backend only has to provide this list.
namespace Gibbs.Backends;

/// <summary>Elementwise y = f(x; a, b). Parameters a, b are used by Pow, Clamp, Affine.</summary>
public enum UnaryOp
{
    Copy, Neg, Exp, Log, Log1p, Sqrt, Abs, Sign, Square, Reciprocal,
    Tanh, Sigmoid, Relu, Softplus, LogSigmoid,
    /// <summary>x^a.</summary>
    Pow,
    /// <summary>min(max(x, a), b).</summary>
    Clamp,
    /// <summary>a·x + b.</summary>
    Affine,
    /// <summary>1 where x &gt; 0 else 0 (the ReLU derivative).</summary>
    Step,
    /// <summary>1 where x is NaN or ±∞, else 0.</summary>
    NonFinite,
    /// <summary>⌊x⌋ (largest integer ≤ x).</summary>
    Floor,
}

/// <summary>Elementwise z = f(x, y) with numpy broadcasting. Comparisons return 1 or 0.</summary>
public enum BinaryOp
{
    Add, Sub, Mul, Div, Max, Min, Pow,
    Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual,
}

/// <summary>Reduction over the middle axis of a [outer, n, inner] view.</summary>
public enum ReduceOp
{
    Sum, Max, Min,
    /// <summary>log Σ exp(x), computed as m + log Σ exp(x − m).</summary>
    LogSumExp,
    /// <summary>Index of the first maximum, as a float.</summary>
    ArgMax,
}

/// <summary>Distributions a backend can fill from the counter-based generator.</summary>
public enum RandomKind
{
    /// <summary>U[a, b).</summary>
    Uniform,
    /// <summary>N(a, b²).</summary>
    Normal,
    /// <summary>Laplace(location a, scale b).</summary>
    Laplace,
}
