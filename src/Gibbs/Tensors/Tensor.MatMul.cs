// Matrix products through the backend GEMM: 2-D [m×k]·[k×n], optionally transposed operands, batched with
// numpy's broadcasting of leading dimensions ([C×B×n]·[C×n×m]), and grouped rows times per-group matrices
// (per-class decoders at the cost of one). Gradients are GEMMs too.
using Gibbs.Internals;

namespace Gibbs;

public sealed partial class Tensor
{
    /// <summary>
    /// op(a)·op(b) where op transposes the last two dimensions when asked. a: [… × m × k] (or [… × k × m] with transA),
    /// b: [… × k × n] (or [… × n × k] with transB). Leading (batch) dimensions broadcast as in numpy's matmul, so
    /// [C × B × n]·[C × n × m] is C products in one batched GEMM and [B × n]·[C × n × m] reuses the same left matrix;
    /// the result is [batch… × m × n]. Gradients are GEMMs too, summed over broadcast batch dimensions.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        SameDevice(a, b, "matmul");
        if (a.Rank < 2 || b.Rank < 2)
            Throw.Shape($"matmul needs operands of rank ≥ 2, got {Format(a.Shape)} and {Format(b.Shape)}");
        int ar = a._shape[^2], ac = a._shape[^1], br = b._shape[^2], bc = b._shape[^1];
        int m = transA ? ac : ar, k = transA ? ar : ac;
        int kb = transB ? bc : br, n = transB ? br : bc;
        if (k != kb)
            Throw.Shape($"matmul inner dimensions differ: {(transA ? "transpose of " : "")}{Format(a.Shape)} · {(transB ? "transpose of " : "")}{Format(b.Shape)} ({k} vs {kb})");
        var batchShape = a.Rank == 2 && b.Rank == 2 ? [] : BroadcastShape(a._shape.AsSpan(0, a.Rank - 2), b._shape.AsSpan(0, b.Rank - 2));
        int[] shape = [.. batchShape, m, n];
        var y = Empty(a.Backend, shape);
        if (k == 0) a.Backend.Fill(y.Storage, 0, y.Length, 0f);
        else if (y.Length > 0) BatchedGemm(a, b, transA, transB, m, n, k, batchShape, y);
        return Record(y, "matmul", [a, b], g =>
        [
            a.NeedsGrad ? SumTo(transA ? MatMul(b, g, transB, true) : MatMul(g, b, false, !transB), a._shape) : null,
            b.NeedsGrad ? SumTo(transB ? MatMul(g, a, true, transA) : MatMul(a, g, !transA, false), b._shape) : null,
        ]);
    }

    // One batched GEMM when each operand is either full over the batch or not batched at all (stride 0); a GEMM per
    // matrix, at broadcast offsets, otherwise.
    private static void BatchedGemm(Tensor a, Tensor b, bool transA, bool transB, int m, int n, int k, int[] batchShape, Tensor y)
    {
        int batch = ShapeLength(batchShape);
        long matA = (long)a._shape[^2] * a._shape[^1], matB = (long)b._shape[^2] * b._shape[^1];
        int aBatch = a.Length / (int)Math.Max(1, matA), bBatch = b.Length / (int)Math.Max(1, matB);
        int lda = a._shape[^1], ldb = b._shape[^1];
        if ((aBatch == batch || aBatch == 1) && (bBatch == batch || bBatch == 1))
        {
            a.Backend.Gemm(transA, transB, m, n, k, 1f, a.Storage, 0, lda, aBatch == 1 ? 0 : matA, b.Storage, 0, ldb, bBatch == 1 ? 0 : matB,
                           0f, y.Storage, 0, n, (long)m * n, batch);
            return;
        }
        var sa = BroadcastStrides(a._shape.AsSpan(0, a.Rank - 2), batchShape);
        var sb = BroadcastStrides(b._shape.AsSpan(0, b.Rank - 2), batchShape);
        for (int i = 0; i < batch; i++)
        {
            long oa = 0, ob = 0;
            for (int d = batchShape.Length - 1, rest = i; d >= 0; d--)
            {
                int idx = rest % batchShape[d];
                rest /= batchShape[d];
                oa += (long)idx * sa[d];
                ob += (long)idx * sb[d];
            }
            a.Backend.Gemm(transA, transB, m, n, k, 1f, a.Storage, (int)(oa * matA), lda, 0, b.Storage, (int)(ob * matB), ldb, 0,
                           0f, y.Storage, (int)((long)i * m * n), n, 0);
        }
    }

    /// <summary>
    /// Rows in groups, each group times its own matrix: x [N × k] whose rows are grouped consecutively (group g has
    /// <paramref name="groupSizes"/>[g] rows), w [G × k × n] → [N × n] with rows of group g equal to x_g · w[g]. One GEMM per
    /// non-empty group, so a batch split among G per-class decoders costs about one decoder. Differentiable in x and w.
    /// Sort a batch by group with IndexSelect first (and back afterwards).
    /// </summary>
    public static Tensor GroupedMatMul(Tensor x, Tensor w, ReadOnlySpan<int> groupSizes)
    {
        SameDevice(x, w, "GroupedMatMul");
        if (x.Rank != 2 || w.Rank != 3) Throw.Shape($"GroupedMatMul needs x [N×k] and w [G×k×n], got {Format(x.Shape)} and {Format(w.Shape)}");
        int groups = w._shape[0], k = w._shape[1], n = w._shape[2];
        if (x._shape[1] != k) Throw.Shape($"GroupedMatMul: x has {x._shape[1]} columns but w is {Format(w.Shape)} (k = {k})");
        if (groupSizes.Length != groups) Throw.Shape($"GroupedMatMul: {groupSizes.Length} group sizes for {groups} matrices");
        long total = 0;
        foreach (var c in groupSizes)
        {
            if (c < 0) Throw.Argument($"GroupedMatMul: negative group size {c}");
            total += c;
        }
        if (total != x._shape[0]) Throw.Shape($"GroupedMatMul: group sizes add up to {total} rows but x has {x._shape[0]}");
        var sizes = groupSizes.ToArray();
        var y = Empty(x.Backend, [x._shape[0], n]);
        GroupedGemm(x, w, sizes, y, transW: false);
        return Record(y, "grouped_matmul", [x, w], g =>
        [
            x.NeedsGrad ? GroupedMatMulTransposed(g, w, sizes) : null,
            w.NeedsGrad ? GroupedOuter(x, g, sizes) : null,
        ]);
    }

    // g [N×n], w [G×k×n] → [N×k]: rows of group c times w[c]ᵀ (the input gradient; recorded for createGraph).
    private static Tensor GroupedMatMulTransposed(Tensor g, Tensor w, int[] sizes)
    {
        var y = Empty(g.Backend, [g._shape[0], w._shape[1]]);
        GroupedGemm(g, w, sizes, y, transW: true);
        return Record(y, "grouped_matmul_t", [g, w], h =>
        [
            g.NeedsGrad ? GroupedMatMul(h, w, sizes) : null,
            w.NeedsGrad ? GroupedOuter(h, g, sizes) : null,
        ]);
    }

    // x [N×k], g [N×n] → [G×k×n]: x_cᵀ·g_c per group (the weight gradient); recorded for createGraph.
    private static Tensor GroupedOuter(Tensor x, Tensor g, int[] sizes)
    {
        int groups = sizes.Length, k = x._shape[1], n = g._shape[1];
        var y = Zeros([groups, k, n], x.Device);
        int row = 0;
        for (int c = 0; c < groups; c++)
        {
            if (sizes[c] > 0)
                x.Backend.Gemm(true, false, k, n, sizes[c], 1f, x.Storage, row * k, k, 0, g.Storage, row * n, n, 0, 0f, y.Storage, c * k * n, n, 0);
            row += sizes[c];
        }
        return Record(y, "grouped_outer", [x, g], h =>
        [
            x.NeedsGrad ? GroupedMatMulTransposed(g, h, sizes) : null,
            g.NeedsGrad ? GroupedMatMul(x, h, sizes) : null,
        ]);
    }

    private static void GroupedGemm(Tensor x, Tensor w, int[] sizes, Tensor y, bool transW)
    {
        int k = w._shape[1], n = w._shape[2];
        int inF = transW ? n : k, outF = transW ? k : n;
        int row = 0;
        for (int c = 0; c < sizes.Length; c++)
        {
            if (sizes[c] > 0)
                x.Backend.Gemm(false, transW, sizes[c], outF, inF, 1f, x.Storage, row * inF, inF, 0, w.Storage, c * k * n, n, 0,
                               0f, y.Storage, row * outF, outF, 0);
            row += sizes[c];
        }
    }

    /// <summary>
    /// c ← α·op(a)·op(b) + β·c in place (rank 2, no tape): accumulates several products into one buffer without
    /// temporaries — e.g. a likelihood gradient ⟨vhᵀ⟩_data − ⟨vhᵀ⟩_model as two GEMMs.
    /// </summary>
    public static void MatMulInto(Tensor c, Tensor a, Tensor b, bool transA = false, bool transB = false, float alpha = 1f, float beta = 0f)
    {
        SameDevice(a, b, "matmul");
        SameDevice(a, c, "matmul");
        if (a.Rank != 2 || b.Rank != 2 || c.Rank != 2) Throw.Shape($"MatMulInto needs rank-2 tensors, got {Format(a.Shape)}, {Format(b.Shape)} → {Format(c.Shape)}");
        int m = transA ? a._shape[1] : a._shape[0], k = transA ? a._shape[0] : a._shape[1];
        int kb = transB ? b._shape[1] : b._shape[0], n = transB ? b._shape[0] : b._shape[1];
        if (k != kb || c._shape[0] != m || c._shape[1] != n)
            Throw.Shape($"MatMulInto: op(a) is [{m}×{k}], op(b) [{kb}×{n}], c {Format(c.Shape)}");
        if (k == 0) { c.AffineInPlace(beta); return; }
        a.Backend.Gemm(transA, transB, m, n, k, alpha, a.Storage, 0, a._shape[1], 0, b.Storage, 0, b._shape[1], 0, beta, c.Storage, 0, n, 0);
    }

    /// <summary>
    /// x·W + b (or x·Wᵀ + b with <paramref name="transW"/>) for x [N×in], b [out]. Without a tape this is one
    /// broadcast copy of b and one GEMM with β = 1 (no temporaries); with a tape it is MatMul + Add.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor w, Tensor b, bool transW = false)
    {
        bool record = GradMode.IsEnabled && (x._requiresGrad || w._requiresGrad || b._requiresGrad);
        if (record || x.Rank != 2 || w.Rank != 2 || b.Rank != 1) return MatMul(x, w, transB: transW) + b;
        int n = x._shape[0], outF = transW ? w._shape[0] : w._shape[1];
        if (b.Length != outF) Throw.Shape($"linear: bias has {b.Length} values for {outF} outputs");
        var y = Empty(x.Backend, [n, outF]);
        x.Backend.StridedCopy(b.Storage, 0, [0, 1], y.Storage, 0, [outF, 1], [n, outF]);
        MatMulInto(y, x, w, transB: transW, beta: 1f);
        return y;
    }

    /// <summary>this·other (see <see cref="MatMul(Tensor, Tensor, bool, bool)"/>).</summary>
    public Tensor MatMul(Tensor other) => MatMul(this, other);
}
