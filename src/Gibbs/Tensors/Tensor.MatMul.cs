// Matrix products through the backend GEMM: 2-D [m×k]·[k×n], optionally transposed operands, and
// batched 3-D [b×m×k]·[b×k×n] (per-class decoders). Gradients are GEMMs too.
using Gibbs.Internals;

namespace Gibbs;

public sealed partial class Tensor
{
    /// <summary>
    /// op(a)·op(b) where op transposes the last two dimensions when asked. a: [m×k] (or [k×m] with transA),
    /// b: [k×n] (or [n×k] with transB); rank-3 operands are batched over the first dimension. Result [m×n] / [batch×m×n].
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        SameDevice(a, b, "matmul");
        if (a.Rank != b.Rank || a.Rank is < 2 or > 3)
            Throw.Shape($"matmul needs two rank-2 or two rank-3 tensors, got {Format(a.Shape)} and {Format(b.Shape)}");
        bool batched = a.Rank == 3;
        int batch = batched ? a._shape[0] : 1;
        if (batched && b._shape[0] != batch) Throw.Shape($"matmul batch sizes differ: {Format(a.Shape)} and {Format(b.Shape)}");
        int ar = a._shape[^2], ac = a._shape[^1], br = b._shape[^2], bc = b._shape[^1];
        int m = transA ? ac : ar, k = transA ? ar : ac;
        int kb = transB ? bc : br, n = transB ? br : bc;
        if (k != kb)
            Throw.Shape($"matmul inner dimensions differ: {(transA ? "transpose of " : "")}{Format(a.Shape)} · {(transB ? "transpose of " : "")}{Format(b.Shape)} ({k} vs {kb})");
        int[] shape = batched ? [batch, m, n] : [m, n];
        var y = Empty(a.Backend, shape);
        if (k == 0) a.Backend.Fill(y.Storage, 0, y.Length, 0f);
        else if (y.Length > 0)
            a.Backend.Gemm(transA, transB, m, n, k, 1f,
                a.Storage, 0, ac, (long)ar * ac,
                b.Storage, 0, bc, (long)br * bc,
                0f, y.Storage, 0, n, (long)m * n, batch);
        return Record(y, "matmul", [a, b], g =>
        [
            a._requiresGrad ? (transA ? MatMul(b, g, transB, true) : MatMul(g, b, false, !transB)) : null,
            b._requiresGrad ? (transB ? MatMul(g, a, true, transA) : MatMul(a, g, !transA, false)) : null,
        ]);
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
