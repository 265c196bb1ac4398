// Elementwise primitives: unary, broadcast binary, where, axpy, strided copy and one-hot. Broadcast shapes are
// collapsed on the host (StridedIndex); a shape that still has more than StridedIndex.MaxRank dimensions runs as
// one launch per outer index (rare: adjacent contiguous dimensions always merge).
using Gibbs.Backends;
using Gibbs.Cuda.Kernels;

namespace Gibbs.Cuda;

public sealed partial class IlgpuBackend
{
    public void Unary(UnaryOp op, Storage x, Storage y, int n, float a = 0, float b = 0)
    {
        if (n <= 0) return;
        lock (_gate)
        {
            Enter();
            _k.Unary(_stream, Config(n), View(x), View(y), n, (int)op, a, b);
        }
    }

    public void Binary(BinaryOp op, Storage x, ReadOnlySpan<int> xStrides, Storage y, ReadOnlySpan<int> yStrides, Storage z, ReadOnlySpan<int> shape)
    {
        int n = Count(shape);
        if (n == 0) return;
        Span<int> sh = stackalloc int[Math.Max(1, shape.Length)], sx = stackalloc int[sh.Length], sy = stackalloc int[sh.Length];
        int r = StridedIndex.Collapse(shape, xStrides, yStrides, sh, sx, sy);
        lock (_gate)
        {
            Enter();
            var (vx, vy, vz) = (View(x), View(y), View(z));
            if (r <= StridedIndex.MaxRank)
            {
                _k.Binary(_stream, Config(n), vx, 0, vy, 0, vz, 0, n, (int)op, StridedIndex.Inner(sh[..r], sx[..r], sy[..r]));
                return;
            }
            int split = r - StridedIndex.MaxRank, inner = Count(sh[split..r]);
            var ix = StridedIndex.Inner(sh[split..r], sx[split..r], sy[split..r]);
            for (int o = 0, outer = Count(sh[..split]); o < outer; o++)
            {
                var (ox, oy) = OuterOffsets(o, sh[..split], sx[..split], sy[..split]);
                _k.Binary(_stream, Config(inner), vx, ox, vy, oy, vz, o * inner, inner, (int)op, ix);
            }
        }
    }

    public void Where(Storage cond, Storage a, Storage b, Storage y, int n)
    {
        if (n <= 0) return;
        lock (_gate)
        {
            Enter();
            _k.Where(_stream, Config(n), View(cond), View(a), View(b), View(y), n);
        }
    }

    public void Axpy(float alpha, Storage x, Storage y, int n)
    {
        if (n <= 0) return;
        lock (_gate)
        {
            Enter();
            _k.Axpy(_stream, Config(n), alpha, View(x), View(y), n);
        }
    }

    public void StridedCopy(Storage x, int xOffset, ReadOnlySpan<int> xStrides, Storage y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape)
    {
        int n = Count(shape);
        if (n == 0) return;
        Span<int> sh = stackalloc int[Math.Max(1, shape.Length)], sx = stackalloc int[sh.Length], sy = stackalloc int[sh.Length];
        int r = StridedIndex.Collapse(shape, xStrides, yStrides, sh, sx, sy);
        lock (_gate)
        {
            Enter();
            var (vx, vy) = (View(x), View(y));
            if (r <= StridedIndex.MaxRank)
            {
                _k.StridedCopy(_stream, Config(n), vx, xOffset, vy, yOffset, n, StridedIndex.Inner(sh[..r], sx[..r], sy[..r]));
                return;
            }
            int split = r - StridedIndex.MaxRank, inner = Count(sh[split..r]);
            var ix = StridedIndex.Inner(sh[split..r], sx[split..r], sy[split..r]);
            for (int o = 0, outer = Count(sh[..split]); o < outer; o++)
            {
                var (ox, oy) = OuterOffsets(o, sh[..split], sx[..split], sy[..split]);
                _k.StridedCopy(_stream, Config(inner), vx, xOffset + ox, vy, yOffset + oy, inner, ix);
            }
        }
    }

    public void OneHot(Storage labels, Storage y, int n, int classes)
    {
        if (n <= 0 || classes <= 0) return;
        lock (_gate)
        {
            Enter();
            _k.OneHot(_stream, Config((long)n * classes), View(labels), View(y), n, classes);
        }
    }

    private static int Count(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return (int)n;
    }

    // Offsets of outer index o (row-major over the given dimensions) for both operands.
    private static (int X, int Y) OuterOffsets(int o, ReadOnlySpan<int> shape, ReadOnlySpan<int> sx, ReadOnlySpan<int> sy)
    {
        int ox = 0, oy = 0;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            int c = o % shape[d];
            o /= shape[d];
            ox += c * sx[d];
            oy += c * sy[d];
        }
        return (ox, oy);
    }
}
