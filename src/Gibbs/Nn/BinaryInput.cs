// x·W for a batch of binary rows (x ∈ {0, 1}, as a dynamically binarised image batch is): each output row is the sum of
// the rows of W its ones pick, and dW = xᵀ·g sums, per input feature, the output gradients of the rows where it is one.
// Exact in the sense that it adds the same terms the GEMM multiplies by one (and skips those it multiplies by zero),
// in a fixed order (features ascending; rows ascending), so results do not depend on the thread count; they differ
// from the GEMM's only by float rounding order. The work is the number of ones times the output width — on
// binarised MNIST (13% ones) about a seventh of the dense product. Linear takes this path on the CPU when its input
// needs no gradient and is binary with at most half ones; anything else goes to the GEMM.
//
// The sums run a block of 64 output columns at a time over every output row (accumulators in vector registers), so
// that block of the source (784 × 64 floats of W, or 1000 × 64 of the gradient) stays in L2 while all rows read it;
// threads take whole column blocks, so each output element is one thread's sum in list order.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gibbs.Backends;

namespace Gibbs.Nn;

internal static class BinaryInput
{
    /// <summary>Most ones a row may have, as a fraction of its width, for the sparse path to pay.</summary>
    public const double MaxDensity = 0.5;

    private const int Block = 64;

    /// <summary>x·W when x [N×in] is a CPU tensor of zeros and ones (≤ MaxDensity ones) that needs no gradient, else null.</summary>
    public static unsafe Tensor? TryMatMul(Tensor x, Tensor w)
    {
        if (x.Device.Kind != DeviceKind.Cpu || x.Rank != 2 || w.Rank != 2 || x.Dim(1) != w.Dim(0) || x.NeedsGrad) return null;
        int n = x.Dim(0), inF = x.Dim(1), outF = w.Dim(1);
        if (n == 0 || outF < Vector<float>.Count || x.Storage.Length != x.Length || w.Storage.Length != w.Length) return null;
        // Read and write the CPU storages in place: copies of these megabyte arrays cost more than the sums.
        var xs = ((Backends.Cpu.CpuStorage)x.Storage).Span;
        long ones = CountOnes(xs);
        if (ones < 0 || ones > MaxDensity * xs.Length) return null; // not binary (a hidden layer's input), or too dense
        // Ones per row as CSR column lists (branch-free: every column is written, the cursor moves on a one).
        var start = new int[n + 1];
        var cols = new int[ones + 1];
        int k = 0;
        for (int r = 0; r < n; r++)
        {
            start[r] = k;
            for (int j = 0, o = r * inF; j < inF; j++)
            {
                cols[k] = j;
                k += (int)xs[o + j];
            }
        }
        start[n] = k;
        var y = Tensor.Empty([n, outF], x.Device);
        SumPicked((nint)((Backends.Cpu.CpuStorage)w.Storage).Pointer, outF, start, cols, n, (nint)((Backends.Cpu.CpuStorage)y.Storage).Pointer);
        return Tensor.Record(y, "binary_matmul", [x, w], g =>
        {
            // Column lists (rows where feature j is one), built from the CSR in row order so each list is ascending.
            var colStart = new int[inF + 1];
            for (int t = 0; t < k; t++) colStart[cols[t] + 1]++;
            for (int j = 0; j < inF; j++) colStart[j + 1] += colStart[j];
            var fill = (int[])colStart.Clone();
            var rows = new int[k + 1];
            for (int r = 0; r < n; r++)
                for (int t = start[r]; t < start[r + 1]; t++) rows[fill[cols[t]]++] = r;
            var gc = g.Storage.Length == g.Length ? g : g.Clone(); // a broadcast view reads through its own storage
            var gw = Tensor.Empty([inF, outF], x.Device);
            SumPicked((nint)((Backends.Cpu.CpuStorage)gc.Storage).Pointer, outF, colStart, rows, inF, (nint)((Backends.Cpu.CpuStorage)gw.Storage).Pointer);
            return [null, gw];
        });
    }

    // The number of ones, or −1 if a value is neither 0 nor 1.
    private static long CountOnes(ReadOnlySpan<float> xs)
    {
        int lanes = Vector<float>.Count, i = 0;
        var acc = Vector<float>.Zero;
        ref float p = ref MemoryMarshal.GetReference(xs);
        for (; i + lanes <= xs.Length; i += lanes)
        {
            var v = Vector.LoadUnsafe(ref p, (nuint)i);
            if (!Vector.EqualsAll(Vector.Equals(v, Vector<float>.Zero) | Vector.Equals(v, Vector<float>.One), new Vector<int>(-1))) return -1;
            acc += v; // exact: a float lane counts whole numbers up to 2²⁴
        }
        double ones = 0;
        for (int l = 0; l < lanes; l++) ones += acc[l];
        for (; i < xs.Length; i++)
        {
            if (xs[i] == 1f) ones++;
            else if (xs[i] != 0f) return -1;
        }
        return (long)ones;
    }

    // dst[t, :] = Σ_{i ∈ pick[start[t] .. start[t+1])} src[i, :] for t < count, in list order, a column block at a time.
    private static void SumPicked(nint src, int width, int[] start, int[] pick, int count, nint dst)
    {
        int blocks = (width + Block - 1) / Block;
        long work = (long)(start[count] + count) * Block;
        Internals.Par.Rows(blocks, Math.Max(1, work), (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
            {
                int c0 = b * Block, cw = Math.Min(Block, width - c0);
                for (int t = 0; t < count; t++)
                    SumBlock(src, width, c0, cw, pick.AsSpan(start[t], start[t + 1] - start[t]), dst + ((nint)t * width + c0) * sizeof(float));
            }
        });
    }

    private static unsafe void SumBlock(nint src, int width, int c0, int cw, ReadOnlySpan<int> pick, nint dstAddress)
    {
        int lanes = Vector<float>.Count;
        float* s = (float*)src, d = (float*)dstAddress;
        if (cw == Block && lanes == 8)
        {
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            foreach (int i in pick)
            {
                float* r = s + (nint)i * width + c0;
                a0 += Vector.Load(r); a1 += Vector.Load(r + 8); a2 += Vector.Load(r + 16); a3 += Vector.Load(r + 24);
                a4 += Vector.Load(r + 32); a5 += Vector.Load(r + 40); a6 += Vector.Load(r + 48); a7 += Vector.Load(r + 56);
            }
            a0.Store(d); a1.Store(d + 8); a2.Store(d + 16); a3.Store(d + 24); a4.Store(d + 32); a5.Store(d + 40); a6.Store(d + 48); a7.Store(d + 56);
            return;
        }
        int c = 0;
        for (; c + lanes <= cw; c += lanes)
        {
            var a = Vector<float>.Zero;
            foreach (int i in pick) a += Vector.Load(s + (nint)i * width + c0 + c);
            a.Store(d + c);
        }
        for (; c < cw; c++)
        {
            float a = 0;
            foreach (int i in pick) a += s[(nint)i * width + c0 + c];
            d[c] = a;
        }
    }
}
