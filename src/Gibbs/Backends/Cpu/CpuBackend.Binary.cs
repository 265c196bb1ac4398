// CPU broadcasting binary ops and the strided copy. Shapes are collapsed first (on the stack: no
// allocation per op); the innermost axis runs vectorised when each operand is contiguous (stride 1) or
// constant (stride 0) along it.
using System.Runtime.Intrinsics;
using Gibbs.Internals;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Gibbs.Backends.Cpu;

public sealed unsafe partial class CpuBackend
{
    public void Binary(BinaryOp op, Storage x, ReadOnlySpan<int> xStrides, Storage y, ReadOnlySpan<int> yStrides, Storage z, ReadOnlySpan<int> shape)
    {
        Span<int> sh = stackalloc int[Math.Max(1, shape.Length)], sx = stackalloc int[sh.Length], sy = stackalloc int[sh.Length];
        int r = Strides.Collapse(shape, xStrides, yStrides, sh, sx, sy);
        float* px = P(x), py = P(y), pz = P(z);
        int inner = sh[r - 1], ix = sx[r - 1], iy = sy[r - 1];
        if (r == 1)
        {
            if (inner <= Par.ElementChunk) BinaryInner(op, px, ix, py, iy, pz, inner);
            else BinaryFlat(op, px, ix, py, iy, pz, inner);
        }
        else
        {
            long outer = 1;
            for (int d = 0; d < r - 1; d++) outer *= sh[d];
            if (outer * inner < Par.MinParallelWork)
                for (long o = 0; o < outer; o++)
                    BinaryInner(op, px + Strides.OuterOffset(o, sh[..r], sx[..r]), ix, py + Strides.OuterOffset(o, sh[..r], sy[..r]), iy, pz + o * inner, inner);
            else BinaryRows(op, px, py, pz, (int)outer, sh[..r].ToArray(), sx[..r].ToArray(), sy[..r].ToArray());
        }
        GC.KeepAlive(x); GC.KeepAlive(y); GC.KeepAlive(z);
    }

    private static void BinaryFlat(BinaryOp op, float* px, int ix, float* py, int iy, float* pz, int n) =>
        Par.ForElements(n, (s, e) => BinaryInner(op, px + (long)s * ix, ix, py + (long)s * iy, iy, pz + s, e - s));

    private static void BinaryRows(BinaryOp op, float* px, float* py, float* pz, int outer, int[] sh, int[] sx, int[] sy)
    {
        int inner = sh[^1], ix = sx[^1], iy = sy[^1];
        Par.Rows(outer, inner, (s, e) =>
        {
            for (long o = s; o < e; o++)
                BinaryInner(op, px + Strides.OuterOffset(o, sh, sx), ix, py + Strides.OuterOffset(o, sh, sy), iy, pz + o * inner, inner);
        });
    }

    internal static float Apply(BinaryOp op, float a, float b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Max => MathF.Max(a, b),
        BinaryOp.Min => MathF.Min(a, b),
        BinaryOp.Pow => MathF.Pow(a, b),
        BinaryOp.Greater => a > b ? 1f : 0f,
        BinaryOp.GreaterEqual => a >= b ? 1f : 0f,
        BinaryOp.Less => a < b ? 1f : 0f,
        BinaryOp.LessEqual => a <= b ? 1f : 0f,
        BinaryOp.Equal => a == b ? 1f : 0f,
        BinaryOp.NotEqual => a != b ? 1f : 0f,
        _ => throw new NotSupportedException(op.ToString()),
    };

    private static void BinaryInner(BinaryOp op, float* x, int xs, float* y, int ys, float* z, int n)
    {
        var zs = new Span<float>(z, n);
        if (xs == 1 && ys == 1)
        {
            var a = new ReadOnlySpan<float>(x, n);
            var b = new ReadOnlySpan<float>(y, n);
            switch (op)
            {
                case BinaryOp.Add: TP.Add(a, b, zs); return;
                case BinaryOp.Sub: TP.Subtract(a, b, zs); return;
                case BinaryOp.Mul: TP.Multiply(a, b, zs); return;
                case BinaryOp.Div: TP.Divide(a, b, zs); return;
                case BinaryOp.Max: TP.Max(a, b, zs); return;
                case BinaryOp.Min: TP.Min(a, b, zs); return;
            }
        }
        else if (xs == 1 && ys == 0)
        {
            var a = new ReadOnlySpan<float>(x, n);
            float b = *y;
            switch (op)
            {
                case BinaryOp.Add: TP.Add(a, b, zs); return;
                case BinaryOp.Sub: TP.Subtract(a, b, zs); return;
                case BinaryOp.Mul: TP.Multiply(a, b, zs); return;
                case BinaryOp.Div: TP.Divide(a, b, zs); return;
                case BinaryOp.Max: TP.Max(a, b, zs); return;
                case BinaryOp.Min: TP.Min(a, b, zs); return;
                case BinaryOp.Pow: TP.Pow(a, b, zs); return;
            }
        }
        else if (xs == 0 && ys == 1)
        {
            float a = *x;
            var b = new ReadOnlySpan<float>(y, n);
            switch (op)
            {
                case BinaryOp.Add: TP.Add(b, a, zs); return;
                case BinaryOp.Sub: TP.Subtract(a, b, zs); return;
                case BinaryOp.Mul: TP.Multiply(b, a, zs); return;
                case BinaryOp.Div: TP.Divide(a, b, zs); return;
                case BinaryOp.Max: TP.Max(b, a, zs); return;
                case BinaryOp.Min: TP.Min(b, a, zs); return;
            }
        }
        int done = 0;
        if (op >= BinaryOp.Greater && Vector256.IsHardwareAccelerated && xs <= 1 && ys <= 1)
            done = CompareVectorized(op, x, xs, y, ys, z, n);
        for (int i = done; i < n; i++) z[i] = Apply(op, x[(long)i * xs], y[(long)i * ys]);
    }

    // Comparisons 8 lanes at a time: a mask turned into 1.0 / 0.0. Returns how many elements were done.
    private static int CompareVectorized(BinaryOp op, float* x, int xs, float* y, int ys, float* z, int n)
    {
        var one = Vector256.Create(1f);
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var a = xs == 1 ? Vector256.Load(x + i) : Vector256.Create(*x);
            var b = ys == 1 ? Vector256.Load(y + i) : Vector256.Create(*y);
            var m = op switch
            {
                BinaryOp.Greater => Vector256.GreaterThan(a, b),
                BinaryOp.GreaterEqual => Vector256.GreaterThanOrEqual(a, b),
                BinaryOp.Less => Vector256.LessThan(a, b),
                BinaryOp.LessEqual => Vector256.LessThanOrEqual(a, b),
                BinaryOp.Equal => Vector256.Equals(a, b),
                _ => ~Vector256.Equals(a, b),
            };
            (m & one).Store(z + i);
        }
        return i;
    }

    public void StridedCopy(Storage x, int xOffset, ReadOnlySpan<int> xStrides, Storage y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape)
    {
        Span<int> sh = stackalloc int[Math.Max(1, shape.Length)], sx = stackalloc int[sh.Length], sy = stackalloc int[sh.Length];
        int r = Strides.Collapse(shape, xStrides, yStrides, sh, sx, sy);
        float* px = P(x) + xOffset, py = P(y) + yOffset;
        long outer = 1;
        for (int d = 0; d < r - 1; d++) outer *= sh[d];
        int inner = sh[r - 1];
        if (outer * inner < Par.MinParallelWork)
            for (long o = 0; o < outer; o++)
                CopyRow(px + Strides.OuterOffset(o, sh[..r], sx[..r]), sx[r - 1], py + Strides.OuterOffset(o, sh[..r], sy[..r]), sy[r - 1], inner);
        else CopyRows(px, py, (int)outer, sh[..r].ToArray(), sx[..r].ToArray(), sy[..r].ToArray());
        GC.KeepAlive(x); GC.KeepAlive(y);
    }

    private static void CopyRows(float* px, float* py, int outer, int[] sh, int[] sx, int[] sy)
    {
        int inner = sh[^1];
        Par.Rows(outer, inner, (s, e) =>
        {
            for (long o = s; o < e; o++)
                CopyRow(px + Strides.OuterOffset(o, sh, sx), sx[^1], py + Strides.OuterOffset(o, sh, sy), sy[^1], inner);
        });
    }

    private static void CopyRow(float* src, int ix, float* dst, int iy, int n)
    {
        if (ix == 1 && iy == 1) new ReadOnlySpan<float>(src, n).CopyTo(new Span<float>(dst, n));
        else if (ix == 0 && iy == 1) new Span<float>(dst, n).Fill(*src);
        else for (int i = 0; i < n; i++) dst[(long)i * iy] = src[(long)i * ix];
    }
}
