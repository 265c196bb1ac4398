// CPU elementwise unary ops. Vectorised through TensorPrimitives; numerically stable forms for
// softplus (max(x,0) + log1p(e^{-|x|})) and log-sigmoid (min(x,0) − log1p(e^{-|x|})).
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gibbs.Internals;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Gibbs.Backends.Cpu;

public sealed unsafe partial class CpuBackend
{
    public void Unary(UnaryOp op, Storage x, Storage y, int n, float a = 0, float b = 0)
    {
        float* px = P(x), py = P(y);
        MidKernel?.Invoke();
        if (n <= Par.ElementChunk) UnaryChunk(op, new ReadOnlySpan<float>(px, n), new Span<float>(py, n), a, b);
        else UnaryMany(op, px, py, n, a, b);
        GC.KeepAlive(x); GC.KeepAlive(y);
    }

    // Kept apart so the closure is only allocated for jobs larger than one chunk.
    private static void UnaryMany(UnaryOp op, float* px, float* py, int n, float a, float b) =>
        Par.ForElements(n, (s, e) => UnaryChunk(op, new ReadOnlySpan<float>(px + s, e - s), new Span<float>(py + s, e - s), a, b));

    private static void UnaryChunk(UnaryOp op, ReadOnlySpan<float> x, Span<float> y, float a, float b)
    {
        switch (op)
        {
            case UnaryOp.Copy: x.CopyTo(y); break;
            case UnaryOp.Neg: TP.Negate(x, y); break;
            case UnaryOp.Exp: FastMath.Exp(x, y); break;
            case UnaryOp.Log: TP.Log(x, y); break;
            case UnaryOp.Log1p: Log1p(x, y); break;
            case UnaryOp.Sqrt: TP.Sqrt(x, y); break;
            case UnaryOp.Abs: TP.Abs(x, y); break;
            case UnaryOp.Square: TP.Multiply(x, x, y); break;
            case UnaryOp.Reciprocal: TP.Reciprocal(x, y); break;
            case UnaryOp.Tanh: TP.Tanh(x, y); break;
            case UnaryOp.Sigmoid: FastMath.Sigmoid(x, y); break;
            case UnaryOp.Relu: TP.Max(x, 0f, y); break;
            case UnaryOp.Pow: TP.Pow(x, a, y); break;
            case UnaryOp.Clamp: TP.Max(x, a, y); TP.Min(y, b, y); break;
            case UnaryOp.Affine: TP.Multiply(x, a, y); TP.Add(y, b, y); break;
            case UnaryOp.Softplus:
            case UnaryOp.LogSigmoid:
                SoftplusLike(op == UnaryOp.Softplus, x, y);
                break;
            case UnaryOp.Sign:
                for (int i = 0; i < x.Length; i++) { float v = x[i]; y[i] = v > 0 ? 1f : v < 0 ? -1f : v; }
                break;
            case UnaryOp.Step:
                for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? 1f : 0f;
                break;
            case UnaryOp.Floor: TP.Floor(x, y); break;
            case UnaryOp.NonFinite:
                for (int i = 0; i < x.Length; i++) y[i] = float.IsFinite(x[i]) ? 0f : 1f;
                break;
            default: throw new NotSupportedException(op.ToString());
        }
    }

    // log1p(t) accurate for tiny t (TensorPrimitives.LogP1 computes log(1 + t) and loses it):
    // Kahan's trick log1p(t) = log(u)·t/(u − 1) with u = 1 + t, and t itself when u rounds to 1.
    private static void Log1p(ReadOnlySpan<float> t, Span<float> y)
    {
        var rented = ArrayPool<float>.Shared.Rent(t.Length);
        var u = rented.AsSpan(0, t.Length);
        TP.Add(t, 1f, u);
        var lu = y;
        if (Unsafe.AreSame(ref MemoryMarshal.GetReference(t), ref MemoryMarshal.GetReference(y)))
        {
            // In place: y aliases t, so keep log(u) in the second half of a fresh buffer.
            var rented2 = ArrayPool<float>.Shared.Rent(t.Length);
            lu = rented2.AsSpan(0, t.Length);
            TP.Log(u, lu);
            Combine(t, u, lu, y);
            ArrayPool<float>.Shared.Return(rented2);
        }
        else
        {
            TP.Log(u, lu);
            Combine(t, u, lu, y);
        }
        ArrayPool<float>.Shared.Return(rented);

        static void Combine(ReadOnlySpan<float> t, ReadOnlySpan<float> u, ReadOnlySpan<float> lu, Span<float> y)
        {
            for (int i = 0; i < t.Length; i++)
            {
                float d = u[i] - 1f;
                y[i] = d == 0f ? t[i] : (float.IsInfinity(u[i]) ? lu[i] : lu[i] * (t[i] / d));
            }
        }
    }

    // softplus(x) = max(x,0) + log1p(exp(-|x|));  logsigmoid(x) = min(x,0) - log1p(exp(-|x|)).
    private static void SoftplusLike(bool softplus, ReadOnlySpan<float> x, Span<float> y)
    {
        var rented = ArrayPool<float>.Shared.Rent(x.Length);
        var t = rented.AsSpan(0, x.Length);
        TP.Abs(x, t);
        TP.Negate(t, t);
        FastMath.Exp(t, t);
        Log1p(t, t);
        if (softplus) { TP.Max(x, 0f, y); TP.Add(y, t, y); }
        else { TP.Min(x, 0f, y); TP.Subtract(y, t, y); }
        ArrayPool<float>.Shared.Return(rented);
    }
}
