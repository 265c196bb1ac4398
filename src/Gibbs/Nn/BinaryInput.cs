// x·W for a batch of binary rows (x ∈ {0, 1}, as a dynamically binarised image batch is): each output row is the sum of
// the rows of W its ones pick, and dW = xᵀ·g sums, per input feature, the output gradients of the rows where it is one.
// Exact in the sense that it adds the same terms the GEMM multiplies by one (and skips those it multiplies by zero),
// in a fixed order (features ascending; rows ascending), so results do not depend on the thread count; they differ
// from the GEMM's only by float rounding order. The work is the number of ones times the output width — on
// binarised MNIST (13% ones) about a seventh of the dense product. Linear takes this path on the CPU when its input
// needs no gradient and is binary with at most half ones; anything else goes to the GEMM.
using System.Numerics;
using Gibbs.Backends;

namespace Gibbs.Nn;

internal static class BinaryInput
{
    /// <summary>Most ones a row may have, as a fraction of its width, for the sparse path to pay.</summary>
    public const double MaxDensity = 0.5;

    /// <summary>x·W when x [N×in] is a CPU tensor of zeros and ones (≤ MaxDensity ones) that needs no gradient, else null.</summary>
    public static Tensor? TryMatMul(Tensor x, Tensor w)
    {
        if (x.Device.Kind != DeviceKind.Cpu || x.Rank != 2 || w.Rank != 2 || x.Dim(1) != w.Dim(0) || x.NeedsGrad) return null;
        int n = x.Dim(0), inF = x.Dim(1), outF = w.Dim(1);
        if (n == 0 || outF < Vector<float>.Count) return null;
        var xs = x.ToArray();
        // Ones per row, as CSR column lists; give up at the first value that is not 0 or 1 (a hidden layer's input).
        var start = new int[n + 1];
        long ones = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            float v = xs[i];
            if (v == 1f) ones++;
            else if (v != 0f) return null;
        }
        if (ones > MaxDensity * xs.Length) return null;
        var cols = new int[ones];
        int k = 0;
        for (int r = 0; r < n; r++)
        {
            start[r] = k;
            for (int j = 0, o = r * inF; j < inF; j++) if (xs[o + j] == 1f) cols[k++] = j;
        }
        start[n] = k;
        var ws = w.ToArray();
        var y = new float[(long)n * outF];
        Internals.Par.Rows(n, 1 + (start[n] / n) * (long)outF, (s, e) =>
        {
            for (int r = s; r < e; r++) SumRows(ws, outF, cols.AsSpan(start[r], start[r + 1] - start[r]), y.AsSpan(r * outF, outF));
        });
        var result = Tensor.FromArray(y, [n, outF], x.Device);
        return Tensor.Record(result, "binary_matmul", [x, w], g =>
        {
            // Column lists (rows where feature j is one), built from the CSR in row order so each list is ascending.
            var colStart = new int[inF + 1];
            foreach (int j in cols) colStart[j + 1]++;
            for (int j = 0; j < inF; j++) colStart[j + 1] += colStart[j];
            var fill = (int[])colStart.Clone();
            var rows = new int[cols.Length];
            for (int r = 0; r < n; r++)
                for (int t = start[r]; t < start[r + 1]; t++) rows[fill[cols[t]]++] = r;
            var gs = g.ToArray();
            var gw = new float[(long)inF * outF];
            Internals.Par.Rows(inF, 1 + (rows.Length / inF) * (long)outF, (s, e) =>
            {
                for (int j = s; j < e; j++) SumRows(gs, outF, rows.AsSpan(colStart[j], colStart[j + 1] - colStart[j]), gw.AsSpan(j * outF, outF));
            });
            return [null, Tensor.FromArray(gw, [inF, outF], x.Device)];
        });
    }

    // dst = Σ_{i ∈ pick} src[i, :], in the order of pick, a block of vector registers of the output at a time.
    private static void SumRows(float[] src, int width, ReadOnlySpan<int> pick, Span<float> dst)
    {
        int lanes = Vector<float>.Count, block = 4 * lanes, c = 0;
        var s = src.AsSpan();
        for (; c + block <= width; c += block)
        {
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
            foreach (int i in pick)
            {
                var row = s.Slice(i * width + c, block);
                a0 += new Vector<float>(row);
                a1 += new Vector<float>(row[lanes..]);
                a2 += new Vector<float>(row[(2 * lanes)..]);
                a3 += new Vector<float>(row[(3 * lanes)..]);
            }
            a0.CopyTo(dst[c..]); a1.CopyTo(dst[(c + lanes)..]); a2.CopyTo(dst[(c + 2 * lanes)..]); a3.CopyTo(dst[(c + 3 * lanes)..]);
        }
        for (; c + lanes <= width; c += lanes)
        {
            Vector<float> a = default;
            foreach (int i in pick) a += new Vector<float>(s.Slice(i * width + c, lanes));
            a.CopyTo(dst[c..]);
        }
        for (; c < width; c++)
        {
            float a = 0;
            foreach (int i in pick) a += s[i * width + c];
            dst[c] = a;
        }
    }
}
