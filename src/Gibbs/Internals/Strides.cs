// Stride arithmetic shared by broadcasting and strided copies: contiguous strides, and collapsing
// adjacent dimensions that are jointly contiguous so loops run over as few, long axes as possible.
// The span forms allocate nothing (callers stackalloc), which keeps small ops allocation-free.
namespace Gibbs.Internals;

internal static class Strides
{
    /// <summary>Largest rank the stack-allocated paths handle (more is an error long before it matters).</summary>
    public const int MaxRank = 16;

    public static int[] Contiguous(ReadOnlySpan<int> shape)
    {
        var s = new int[shape.Length];
        Contiguous(shape, s);
        return s;
    }

    public static void Contiguous(ReadOnlySpan<int> shape, Span<int> strides)
    {
        int acc = 1;
        for (int d = shape.Length - 1; d >= 0; d--) { strides[d] = acc; acc *= shape[d]; }
    }

    /// <summary>
    /// Drops size-1 dimensions and merges neighbours d, d+1 when both operands have stride[d] == stride[d+1]·shape[d+1]
    /// (a contiguous output merges anywhere). Writes the collapsed shape and strides; returns the collapsed rank (≥ 1).
    /// </summary>
    public static int Collapse(ReadOnlySpan<int> shape, ReadOnlySpan<int> sx, ReadOnlySpan<int> sy,
                               Span<int> outShape, Span<int> outSx, Span<int> outSy)
    {
        int r = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            if (r > 0 && outSx[r - 1] == sx[d] * shape[d] && outSy[r - 1] == sy[d] * shape[d])
            {
                outShape[r - 1] *= shape[d];
                outSx[r - 1] = sx[d];
                outSy[r - 1] = sy[d];
                continue;
            }
            outShape[r] = shape[d];
            outSx[r] = sx[d];
            outSy[r] = sy[d];
            r++;
        }
        if (r == 0) { outShape[0] = 1; outSx[0] = 0; outSy[0] = 0; r = 1; }
        return r;
    }

    /// <summary>Offset of outer index <paramref name="o"/> (over all but the last collapsed dim) for one operand.</summary>
    public static long OuterOffset(long o, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        long off = 0;
        for (int d = shape.Length - 2; d >= 0; d--)
        {
            long i = o % shape[d];
            o /= shape[d];
            off += i * strides[d];
        }
        return off;
    }
}
