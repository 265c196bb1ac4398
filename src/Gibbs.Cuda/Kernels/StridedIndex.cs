// Broadcast and strided addressing for kernels: an output index e is split into coordinates over at most
// MaxRank collapsed dimensions (innermost first) and turned into one offset per operand. Built on the host
// from shape and strides after dropping size-1 dimensions and merging neighbours that are jointly contiguous
// (the CPU backend's Strides.Collapse), so most broadcasts reach the kernel as rank 1 or 2.
using System.Runtime.CompilerServices;

namespace Gibbs.Cuda.Kernels;

/// <summary>Coordinates → offsets for two operands (x and y) over a collapsed shape. A kernel parameter: blittable, no arrays.</summary>
internal struct StridedIndex
{
    public const int MaxRank = 6;

    public int Rank;
    public int S0, S1, S2, S3, S4, S5;   // sizes, innermost first
    public int X0, X1, X2, X3, X4, X5;   // element strides of x
    public int Y0, Y1, Y2, Y3, Y4, Y5;   // element strides of y

    /// <summary>Offsets of output element <paramref name="e"/> in x and y. The outermost coordinate needs no modulo.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Offsets(int e, out int ox, out int oy)
    {
        if (Rank <= 1) { ox = e * X0; oy = e * Y0; return; }
        int c = e % S0, r = e / S0;
        ox = c * X0; oy = c * Y0;
        if (Rank == 2) { ox += r * X1; oy += r * Y1; return; }
        c = r % S1; r /= S1; ox += c * X1; oy += c * Y1;
        if (Rank == 3) { ox += r * X2; oy += r * Y2; return; }
        c = r % S2; r /= S2; ox += c * X2; oy += c * Y2;
        if (Rank == 4) { ox += r * X3; oy += r * Y3; return; }
        c = r % S3; r /= S3; ox += c * X3; oy += c * Y3;
        if (Rank == 5) { ox += r * X4; oy += r * Y4; return; }
        c = r % S4; r /= S4; ox += c * X4; oy += c * Y4;
        ox += r * X5; oy += r * Y5;
    }

    /// <summary>
    /// Collapses <paramref name="shape"/> (outermost first) with strides <paramref name="sx"/>, <paramref name="sy"/>: size-1
    /// dimensions dropped, neighbours merged when both operands are contiguous across them. Returns the collapsed
    /// rank r (≥ 1) with the result, outermost first, in the first r entries of the outputs.
    /// </summary>
    public static int Collapse(ReadOnlySpan<int> shape, ReadOnlySpan<int> sx, ReadOnlySpan<int> sy, Span<int> outShape, Span<int> outSx, Span<int> outSy)
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

    /// <summary>The index over the innermost ≤ MaxRank dimensions of a collapsed shape (outermost first).</summary>
    public static StridedIndex Inner(ReadOnlySpan<int> shape, ReadOnlySpan<int> sx, ReadOnlySpan<int> sy)
    {
        int r = Math.Min(shape.Length, MaxRank), top = shape.Length - 1;
        Span<int> s = stackalloc int[MaxRank], x = stackalloc int[MaxRank], y = stackalloc int[MaxRank];
        for (int k = 0; k < r; k++) { s[k] = shape[top - k]; x[k] = sx[top - k]; y[k] = sy[top - k]; }
        return new StridedIndex
        {
            Rank = r,
            S0 = s[0], S1 = s[1], S2 = s[2], S3 = s[3], S4 = s[4], S5 = s[5],
            X0 = x[0], X1 = x[1], X2 = x[2], X3 = x[3], X4 = x[4], X5 = x[5],
            Y0 = y[0], Y1 = y[1], Y2 = y[2], Y3 = y[3], Y4 = y[4], Y5 = y[5],
        };
    }
}
