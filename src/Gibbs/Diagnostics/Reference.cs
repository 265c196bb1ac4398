// Float64 reference implementations of the engine's ops, written plainly (index loops), used only
// by the gradient checker. Independent of the engine's own code paths on purpose.
namespace Gibbs.Diagnostics;

internal static class Reference
{
    public static int Size(int[] s) => s.Aggregate(1, (p, d) => p * d);

    public static int[] Strides(int[] s)
    {
        var st = new int[s.Length];
        int acc = 1;
        for (int d = s.Length - 1; d >= 0; d--) { st[d] = acc; acc *= s[d]; }
        return st;
    }

    public static int[] Unravel(int flat, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { idx[d] = flat % shape[d]; flat /= shape[d]; }
        return idx;
    }

    public static int[] BroadcastShape(int[] a, int[] b)
    {
        int r = Math.Max(a.Length, b.Length);
        var s = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i < r - a.Length ? 1 : a[i - (r - a.Length)];
            int db = i < r - b.Length ? 1 : b[i - (r - b.Length)];
            s[i] = Math.Max(da, db);
        }
        return s;
    }

    /// <summary>Flat index into an operand of shape <paramref name="s"/> broadcast to an output index.</summary>
    public static int BroadcastIndex(int[] outIdx, int[] s)
    {
        int off = outIdx.Length - s.Length, flat = 0;
        for (int d = 0; d < s.Length; d++) flat = flat * s[d] + (s[d] == 1 ? 0 : outIdx[d + off]);
        return flat;
    }

    public static Func<double[][], double[]> Unary(Func<double, double> f) => x => x[0].Select(f).ToArray();

    public static Func<double[][], double[]> Binary(int[] sa, int[] sb, Func<double, double, double> f) => x =>
    {
        var so = BroadcastShape(sa, sb);
        var y = new double[Size(so)];
        for (int i = 0; i < y.Length; i++)
        {
            var idx = Unravel(i, so);
            y[i] = f(x[0][BroadcastIndex(idx, sa)], x[1][BroadcastIndex(idx, sb)]);
        }
        return y;
    };

    /// <summary>Reduces axis <paramref name="axis"/> of an array of shape <paramref name="s"/>.</summary>
    public static double[] ReduceAxis(double[] x, int[] s, int axis, Func<double[], double> f)
    {
        int outer = 1, inner = 1, n = s[axis];
        for (int d = 0; d < axis; d++) outer *= s[d];
        for (int d = axis + 1; d < s.Length; d++) inner *= s[d];
        var y = new double[outer * inner];
        var buf = new double[n];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                for (int j = 0; j < n; j++) buf[j] = x[(o * n + j) * inner + i];
                y[o * inner + i] = f(buf);
            }
        return y;
    }

    public static double LogSumExp(double[] v)
    {
        double m = v.Max();
        return m + Math.Log(v.Sum(t => Math.Exp(t - m)));
    }

    /// <summary>Applies a row function along <paramref name="axis"/> (softmax-like: output shape = input shape).</summary>
    public static double[] MapAxis(double[] x, int[] s, int axis, Func<double[], double[]> f)
    {
        int outer = 1, inner = 1, n = s[axis];
        for (int d = 0; d < axis; d++) outer *= s[d];
        for (int d = axis + 1; d < s.Length; d++) inner *= s[d];
        var y = new double[x.Length];
        var buf = new double[n];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                for (int j = 0; j < n; j++) buf[j] = x[(o * n + j) * inner + i];
                var r = f(buf);
                for (int j = 0; j < n; j++) y[(o * n + j) * inner + i] = r[j];
            }
        return y;
    }

    public static double[] MatMul(double[] a, int[] sa, double[] b, int[] sb, bool ta, bool tb)
    {
        int batch = sa.Length == 3 ? sa[0] : 1;
        int ar = sa[^2], ac = sa[^1], br = sb[^2], bc = sb[^1];
        int m = ta ? ac : ar, k = ta ? ar : ac, n = tb ? br : bc;
        var y = new double[batch * m * n];
        for (int p = 0; p < batch; p++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int q = 0; q < k; q++)
                    {
                        double av = ta ? a[p * ar * ac + q * ac + i] : a[p * ar * ac + i * ac + q];
                        double bv = tb ? b[p * br * bc + j * bc + q] : b[p * br * bc + q * bc + j];
                        s += av * bv;
                    }
                    y[(p * m + i) * n + j] = s;
                }
        return y;
    }

    public static double[] Permute(double[] x, int[] s, int[] perm)
    {
        var so = perm.Select(p => s[p]).ToArray();
        var st = Strides(s);
        var y = new double[x.Length];
        for (int i = 0; i < y.Length; i++)
        {
            var idx = Unravel(i, so);
            int src = 0;
            for (int d = 0; d < so.Length; d++) src += idx[d] * st[perm[d]];
            y[i] = x[src];
        }
        return y;
    }

    public static double[] Slice(double[] x, int[] s, int axis, int start, int len)
    {
        var so = (int[])s.Clone();
        so[axis] = len;
        var st = Strides(s);
        var y = new double[Size(so)];
        for (int i = 0; i < y.Length; i++)
        {
            var idx = Unravel(i, so);
            idx[axis] += start;
            int src = 0;
            for (int d = 0; d < s.Length; d++) src += idx[d] * st[d];
            y[i] = x[src];
        }
        return y;
    }

    public static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
