// Index and batched-product cases for the gradient checker: IndexSelect / IndexAdd along several dimensions
// (with repeated indices), TakeAlong, broadcasting batched MatMul and GroupedMatMul.
using static Gibbs.Diagnostics.Reference;

namespace Gibbs.Diagnostics;

public static partial class OpCatalog
{
    private static void AddIndexOps(List<OpCase> c)
    {
        int[] s3 = [3, 4, 2];
        // Labels-domain inputs in [0, 3) used as indices into a dimension of size 3 or 4 (repeats happen).
        c.Add(new("index_select_dim0", [s3, [5]], [InputDomain.Any, InputDomain.Labels], x => x[0].IndexSelect(0, x[1]),
            x => SelectAlong(x[0], s3, 0, x[1]), Classes: 3));
        c.Add(new("index_select_dim1", [s3, [5]], [InputDomain.Any, InputDomain.Labels], x => x[0].IndexSelect(1, x[1]),
            x => SelectAlong(x[0], s3, 1, x[1]), Classes: 3));
        c.Add(new("index_add_dim1", [s3, [3, 5, 2], [5]], [InputDomain.Any, InputDomain.Any, InputDomain.Labels],
            x => x[0].IndexAdd(1, x[2], x[1]), x => AddAlong(x[0], s3, 1, x[2], x[1]), Classes: 3));
        c.Add(new("take_along_dim1", [s3, [3, 2]], [InputDomain.Any, InputDomain.Labels], x => x[0].TakeAlong(1, x[1]),
            x => Enumerable.Range(0, 6).Select(i => x[0][(i / 2 * 4 + (int)x[1][i]) * 2 + i % 2]).ToArray(), Classes: 3));

        int[] a = [2, 3, 4], b = [2, 4, 5], a2 = [3, 4], bBig = [2, 2, 4, 5], aBig = [1, 3, 4];
        c.Add(new("matmul_batched", [a, b], [InputDomain.Any, InputDomain.Any], x => Tensor.MatMul(x[0], x[1]),
            x => BatchedMatMul(x[0], a, x[1], b, [2])));
        c.Add(new("matmul_broadcast_left", [a2, b], [InputDomain.Any, InputDomain.Any], x => Tensor.MatMul(x[0], x[1]),
            x => BatchedMatMul(x[0], [1, 3, 4], x[1], b, [2])));
        c.Add(new("matmul_broadcast_both", [[2, 1, 3, 4], [1, 3, 4, 5]], [InputDomain.Any, InputDomain.Any], x => Tensor.MatMul(x[0], x[1]),
            x => BatchedMatMul(x[0], [2, 1, 3, 4], x[1], [1, 3, 4, 5], [2, 3])));
        c.Add(new("matmul_broadcast_rank4", [aBig, bBig], [InputDomain.Any, InputDomain.Any], x => Tensor.MatMul(x[0], x[1]),
            x => BatchedMatMul(x[0], [1, 1, 3, 4], x[1], bBig, [2, 2])));
        int[] sizes = [2, 0, 3];
        c.Add(new("grouped_matmul", [[5, 3], [3, 3, 2]], [InputDomain.Any, InputDomain.Any], x => Tensor.GroupedMatMul(x[0], x[1], sizes),
            x => Enumerable.Range(0, 10).Select(i =>
            {
                int row = i / 2, col = i % 2, g = row < 2 ? 0 : 2;
                return Enumerable.Range(0, 3).Sum(k => x[0][row * 3 + k] * x[1][(g * 3 + k) * 2 + col]);
            }).ToArray()));
    }

    // y[o, j, i] = x[o, idx[j], i] around `axis`.
    private static double[] SelectAlong(double[] x, int[] s, int axis, double[] idx)
    {
        int outer = s[..axis].Aggregate(1, (p, d) => p * d), n = s[axis], inner = s[(axis + 1)..].Aggregate(1, (p, d) => p * d);
        var y = new double[outer * idx.Length * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < idx.Length; j++)
                for (int i = 0; i < inner; i++)
                    y[(o * idx.Length + j) * inner + i] = x[(o * n + (int)idx[j]) * inner + i];
        return y;
    }

    private static double[] AddAlong(double[] x, int[] s, int axis, double[] idx, double[] src)
    {
        int outer = s[..axis].Aggregate(1, (p, d) => p * d), n = s[axis], inner = s[(axis + 1)..].Aggregate(1, (p, d) => p * d);
        var y = (double[])x.Clone();
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < idx.Length; j++)
                for (int i = 0; i < inner; i++)
                    y[(o * n + (int)idx[j]) * inner + i] += src[(o * idx.Length + j) * inner + i];
        return y;
    }

    // Broadcast batched product of a [batchA…, m, k] and b [batchB…, k, n] (both given with the full batch rank).
    private static double[] BatchedMatMul(double[] a, int[] sa, double[] b, int[] sb, int[] batch)
    {
        int r = batch.Length, m = sa[r], k = sa[r + 1], n = sb[r + 1];
        int total = batch.Aggregate(1, (p, d) => p * d);
        var y = new double[total * m * n];
        for (int t = 0; t < total; t++)
        {
            var idx = Unravel(t, batch);
            int ia = 0, ib = 0;
            for (int d = 0; d < r; d++) { ia = ia * sa[d] + (sa[d] == 1 ? 0 : idx[d]); ib = ib * sb[d] + (sb[d] == 1 ? 0 : idx[d]); }
            var prod = MatMul(a[(ia * m * k)..((ia + 1) * m * k)], [m, k], b[(ib * k * n)..((ib + 1) * k * n)], [k, n], false, false);
            Array.Copy(prod, 0, y, t * m * n, m * n);
        }
        return y;
    }
}
