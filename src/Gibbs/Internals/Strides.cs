// Stride arithmetic shared by broadcasting and strided copies: contiguous strides, and collapsing
// adjacent dimensions that are jointly contiguous so loops run over as few, long axes as possible.
namespace Gibbs.Internals;

internal static class Strides
{
    public static int[] Contiguous(ReadOnlySpan<int> shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int d = shape.Length - 1; d >= 0; d--) { s[d] = acc; acc *= shape[d]; }
        return s;
    }

    /// <summary>
    /// Drops size-1 dimensions and merges neighbours d, d+1 when every operand has
    /// stride[d] == stride[d+1]·shape[d+1]. Returns the collapsed shape and one stride array per operand.
    /// </summary>
    public static (int[] Shape, int[][] Strides) Collapse(ReadOnlySpan<int> shape, params int[][] strides)
    {
        var sh = new List<int>(shape.Length);
        var st = new List<int>[strides.Length];
        for (int k = 0; k < strides.Length; k++) st[k] = new List<int>(shape.Length);
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            bool merge = sh.Count > 0;
            for (int k = 0; k < strides.Length && merge; k++)
                merge = st[k][^1] == strides[k][d] * shape[d];
            if (merge)
            {
                sh[^1] *= shape[d];
                for (int k = 0; k < strides.Length; k++) st[k][^1] = strides[k][d];
            }
            else
            {
                sh.Add(shape[d]);
                for (int k = 0; k < strides.Length; k++) st[k].Add(strides[k][d]);
            }
        }
        if (sh.Count == 0)
        {
            sh.Add(1);
            for (int k = 0; k < strides.Length; k++) st[k].Add(0);
        }
        var outStrides = new int[strides.Length][];
        for (int k = 0; k < strides.Length; k++) outStrides[k] = st[k].ToArray();
        return (sh.ToArray(), outStrides);
    }

    /// <summary>Offset of outer index <paramref name="o"/> (over all but the last collapsed dim) for one operand.</summary>
    public static long OuterOffset(long o, int[] shape, int[] strides)
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
