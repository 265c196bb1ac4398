// The per-element definitions of UnaryOp and BinaryOp, shared by every kernel that applies one. Semantics
// follow the CPU backend (src/Gibbs/Backends/Cpu/CpuBackend.Unary.cs, .Binary.cs): NaN propagates through
// max/min/clamp/relu, sign keeps ±0 and NaN, comparisons give 1 or 0.
using System.Runtime.CompilerServices;
using Gibbs.Backends;

namespace Gibbs.Cuda.Kernels;

internal static class ElementwiseOps
{
    public static float Unary(UnaryOp op, float v, float a, float b)
    {
        switch (op)
        {
            case UnaryOp.Copy: return v;
            case UnaryOp.Neg: return -v;
            case UnaryOp.Exp: return DeviceMath.Exp(v);
            case UnaryOp.Log: return DeviceMath.Log(v);
            case UnaryOp.Log1p: return DeviceMath.Log1p(v);
            case UnaryOp.Sqrt: return MathF.Sqrt(v);
            case UnaryOp.Abs: return MathF.Abs(v);
            case UnaryOp.Sign: return v > 0 ? 1f : v < 0 ? -1f : v;
            case UnaryOp.Square: return v * v;
            case UnaryOp.Reciprocal: return 1f / v;
            case UnaryOp.Tanh: return DeviceMath.Tanh(v);
            case UnaryOp.Sigmoid: return DeviceMath.Sigmoid(v);
            case UnaryOp.Relu: return Fp.Max(v, 0f);
            case UnaryOp.Softplus: return DeviceMath.Softplus(v);
            case UnaryOp.LogSigmoid: return DeviceMath.LogSigmoid(v);
            case UnaryOp.Pow: return DeviceMath.Pow(v, a);
            case UnaryOp.Clamp: return Fp.Min(Fp.Max(v, a), b);
            case UnaryOp.Affine: return v * a + b;
            case UnaryOp.Step: return v > 0 ? 1f : 0f;
            case UnaryOp.NonFinite: return Fp.NonFinite(v) ? 1f : 0f;
            case UnaryOp.Floor: return Fp.Floor(v);
            default: return float.NaN;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Binary(BinaryOp op, float a, float b)
    {
        switch (op)
        {
            case BinaryOp.Add: return a + b;
            case BinaryOp.Sub: return a - b;
            case BinaryOp.Mul: return a * b;
            case BinaryOp.Div: return a / b;
            case BinaryOp.Max: return Fp.Max(a, b);
            case BinaryOp.Min: return Fp.Min(a, b);
            case BinaryOp.Pow: return DeviceMath.Pow(a, b);
            case BinaryOp.Greater: return a > b ? 1f : 0f;
            case BinaryOp.GreaterEqual: return a >= b ? 1f : 0f;
            case BinaryOp.Less: return a < b ? 1f : 0f;
            case BinaryOp.LessEqual: return a <= b ? 1f : 0f;
            case BinaryOp.Equal: return a == b ? 1f : 0f;
            case BinaryOp.NotEqual: return a != b ? 1f : 0f;
            default: return float.NaN;
        }
    }
}
