// The backend contract: an allocator, host copies, and a short list of primitives over contiguous
// float32 buffers. Shapes, autodiff and argument validation live above this line; backends never see a
// Tensor, and kernels never throw per element (a GPU kernel cannot): callers check indices and labels first.
namespace Gibbs.Backends;

public interface IBackend
{
    Device Device { get; }

    /// <summary>A short description, e.g. "cpu (OpenBLAS 0.3.21, 2 threads)".</summary>
    string Description { get; }

    /// <summary>Buffers of this backend currently allocated and not yet freed (leak checks; pooled free blocks do not count).</summary>
    long LiveBuffers { get; }

    /// <summary>Allocates <paramref name="length"/> floats (contents undefined).</summary>
    Storage Allocate(int length);

    void CopyFromHost(ReadOnlySpan<float> src, Storage dst, int dstOffset);
    void CopyToHost(Storage src, int srcOffset, Span<float> dst);
    void Fill(Storage dst, int offset, int length, float value);

    /// <summary>y[i] = op(x[i]; a, b) for i &lt; n. y may be x.</summary>
    void Unary(UnaryOp op, Storage x, Storage y, int n, float a = 0, float b = 0);

    /// <summary>
    /// z = op(x, y) over <paramref name="shape"/> (the broadcast output shape). xStrides/yStrides are
    /// element strides per output dimension, 0 on broadcast dimensions. z is contiguous and may alias x or y
    /// when that operand is not broadcast.
    /// </summary>
    void Binary(BinaryOp op, Storage x, ReadOnlySpan<int> xStrides, Storage y, ReadOnlySpan<int> yStrides, Storage z, ReadOnlySpan<int> shape);

    /// <summary>y[o, i] = reduce_j x[o, j, i] over a contiguous [outer, n, inner] view; y is [outer, inner].</summary>
    void Reduce(ReduceOp op, Storage x, Storage y, int outer, int n, int inner);

    /// <summary>
    /// Rows by index along the middle axis of a contiguous [outer, n, inner] view: y[o, j, i] = x[o, idx[j], i] for j &lt; k
    /// (y is [outer, k, inner]). Indices are integers stored as floats, checked by the caller (0 ≤ idx &lt; n).
    /// </summary>
    void IndexSelect(Storage x, int outer, int n, int inner, Storage idx, int k, Storage y);

    /// <summary>
    /// The adjoint of IndexSelect: y[o, idx[j], i] += src[o, j, i] for j &lt; k, with y [outer, n, inner]. Repeated indices
    /// accumulate, in ascending j (deterministic).
    /// </summary>
    void IndexAdd(Storage src, int outer, int k, int inner, Storage idx, Storage y, int n);

    /// <summary>
    /// One element per position along the middle axis: y[o, i] = x[o, idx[o, i], i] with x [outer, n, inner] and
    /// idx, y [outer, inner] (torch.gather with a size-1 index along the axis; e.g. the logit of each row's label).
    /// </summary>
    void Gather(Storage x, int outer, int n, int inner, Storage idx, Storage y);

    /// <summary>The adjoint of Gather: y[o, idx[o, i], i] += src[o, i], with y [outer, n, inner].</summary>
    void ScatterAdd(Storage src, int outer, int n, int inner, Storage idx, Storage y);

    /// <summary>y = cond != 0 ? a : b, all contiguous with n elements.</summary>
    void Where(Storage cond, Storage a, Storage b, Storage y, int n);

    /// <summary>
    /// Strided gather: y (contiguous, <paramref name="shape"/>) [idx] = x[xOffset + Σ idx_d · xStrides_d].
    /// Permute, expand (stride 0) and slicing are all this one primitive.
    /// </summary>
    void StridedCopy(Storage x, int xOffset, ReadOnlySpan<int> xStrides, Storage y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape);

    /// <summary>
    /// Row-major C[m×n] = α·op(A)·op(B) + β·C, batched over <paramref name="batch"/> matrices spaced by the given strides
    /// (element offsets aOffset/bOffset/cOffset into each storage).
    /// </summary>
    void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
              Storage a, int aOffset, int lda, long strideA,
              Storage b, int bOffset, int ldb, long strideB,
              float beta, Storage c, int cOffset, int ldc, long strideC, int batch = 1);

    /// <summary>
    /// y[i, c] = (labels[i] == c) for i &lt; n, c &lt; classes. Labels are integers stored as floats, checked by the caller
    /// (kernels never throw; a row whose label is out of range stays all zero).
    /// </summary>
    void OneHot(Storage labels, Storage y, int n, int classes);

    /// <summary>
    /// Fills y[0..n) from the Philox-4x32-10 stream (key = seed, counter base = counter): element i depends only on
    /// (seed, counter, i), so every backend and thread count gives the same numbers.
    /// </summary>
    void Random(RandomKind kind, ulong seed, ulong counter, Storage y, int n, float a, float b);

    /// <summary>y[i] += alpha · x[i] for i &lt; n (optimiser and accumulator updates).</summary>
    void Axpy(float alpha, Storage x, Storage y, int n);

    /// <summary>
    /// y[i] = 1 when uniform element i of the Philox stream (seed, counter) is below p[i], else 0 — a fused
    /// Bernoulli draw (the same numbers as a Uniform fill followed by a Less comparison).
    /// </summary>
    void SampleBernoulli(Storage p, ulong seed, ulong counter, Storage y, int n);

    /// <summary>
    /// One fused Adam step over n elements: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − lr·(m/c₁)/(√(v/c₂) + ε),
    /// with c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ (Kingma &amp; Ba 2015).
    /// </summary>
    void AdamStep(Storage p, Storage g, Storage m, Storage v, int n, float lr, float beta1, float beta2, float eps, float c1, float c2);

    /// <summary>
    /// One fused SGD step over n elements (PyTorch's convention): g′ = g + l2·p + l1·sign(p); with momentum μ &gt; 0,
    /// v ← μv + g′ and the step is v (or g′ + μv with Nesterov); p ← p − lr·step. <paramref name="v"/> may be null when μ = 0.
    /// </summary>
    void SgdStep(Storage p, Storage g, Storage? v, int n, float lr, float momentum, bool nesterov, float l2, float l1);

    /// <summary>
    /// Mantissa bits GEMM keeps of its inputs' products: 24 (float32) unless reduced-precision tensor cores are on
    /// (TF32: 11). Self-tests measure against a looser, normwise tolerance below 24.
    /// </summary>
    int GemmPrecisionBits => 24;

    /// <summary>Turns TF32 tensor-core GEMM on or off; false (and no change) when this backend has none, as the CPU.</summary>
    bool TrySetTf32(bool enabled) => false;

    /// <summary>Waits until all queued work on this backend is finished.</summary>
    void Synchronize();
}
