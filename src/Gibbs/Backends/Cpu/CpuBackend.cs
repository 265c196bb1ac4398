// The CPU backend: native aligned buffers, GEMM through the chosen provider (OpenBLAS or managed),
// elementwise work through System.Numerics.Tensors.TensorPrimitives, parallel over a fixed chunk grid.
using System.Runtime.Intrinsics;
using Gibbs.Backends.Cpu.Gemm;
using Gibbs.Internals;

namespace Gibbs.Backends.Cpu;

public sealed unsafe partial class CpuBackend : IBackend
{
    public static CpuBackend Instance { get; } = new();

    private CpuBackend() { }

    public Device Device => Device.Cpu;

    public string Description => $"cpu ({GemmProvider.Current.Name}, {Engine.Threads} threads)";

    public Storage Allocate(int length)
    {
        if (length < 0) Throw.Argument($"cannot allocate {length} elements");
        return new CpuStorage(this, length);
    }

    internal static float* P(Storage s) => ((CpuStorage)s).Pointer;

    public void CopyFromHost(ReadOnlySpan<float> src, Storage dst, int dstOffset) =>
        src.CopyTo(new Span<float>(P(dst) + dstOffset, src.Length));

    public void CopyToHost(Storage src, int srcOffset, Span<float> dst) =>
        new ReadOnlySpan<float>(P(src) + srcOffset, dst.Length).CopyTo(dst);

    public void Fill(Storage dst, int offset, int length, float value) =>
        new Span<float>(P(dst) + offset, length).Fill(value);

    public void Where(Storage cond, Storage a, Storage b, Storage y, int n)
    {
        float* c = P(cond), pa = P(a), pb = P(b), py = P(y);
        Par.ForElements(n, (s, e) =>
        {
            for (int i = s; i < e; i++) py[i] = c[i] != 0 ? pa[i] : pb[i];
        });
    }

    public void OneHot(Storage labels, Storage y, int n, int classes)
    {
        float* l = P(labels), py = P(y);
        new Span<float>(py, n * classes).Clear();
        for (int i = 0; i < n; i++)
        {
            float v = l[i];
            int c = (int)v;
            if (c != v || c < 0 || c >= classes) Throw.Argument($"label {v} at row {i} is not an integer in [0, {classes})");
            py[(long)i * classes + c] = 1f;
        }
    }

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     Storage a, int aOffset, int lda, long strideA,
                     Storage b, int bOffset, int ldb, long strideB,
                     float beta, Storage c, int cOffset, int ldc, long strideC, int batch = 1)
    {
        var gemm = GemmProvider.Current;
        float* pa = P(a) + aOffset, pb = P(b) + bOffset, pc = P(c) + cOffset;
        for (int i = 0; i < batch; i++)
            gemm.Sgemm(transA, transB, m, n, k, alpha, pa + i * strideA, lda, pb + i * strideB, ldb, beta, pc + i * strideC, ldc);
    }

    public void Random(RandomKind kind, ulong seed, ulong counter, Storage y, int n, float a, float b)
    {
        float* py = P(y);
        // Element i depends only on (seed, counter, i): any chunking gives the same numbers.
        Par.ForElements(n, (s, e) =>
            Rng.Philox.Fill(kind, seed, counter, s, new Span<float>(py + s, e - s), a, b));
    }

    public void Axpy(float alpha, Storage x, Storage y, int n)
    {
        float* px = P(x), py = P(y);
        Par.ForElements(n, (s, e) =>
        {
            var ys = new Span<float>(py + s, e - s);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(px + s, e - s), alpha, ys, ys);
        });
    }

    public void SampleBernoulli(Storage p, ulong seed, ulong counter, Storage y, int n)
    {
        float* pp = P(p), py = P(y);
        Par.ForElements(n, (s, e) =>
        {
            var dst = new Span<float>(py + s, e - s);
            Rng.Philox.Fill(RandomKind.Uniform, seed, counter, s, dst, 0f, 1f);
            // Branch-free (u < p) → 1/0: a data-dependent branch here mispredicts half the time.
            float* u = py + s, q = pp + s;
            int i = 0, len = e - s;
            var one = Vector256<float>.One;
            for (; i + 8 <= len; i += 8)
                (Vector256.LessThan(Vector256.Load(u + i), Vector256.Load(q + i)) & one).Store(u + i);
            for (; i < len; i++) u[i] = u[i] < q[i] ? 1f : 0f;
        });
    }

    public void AdamStep(Storage p, Storage g, Storage m, Storage v, int n, float lr, float beta1, float beta2, float eps, float c1, float c2)
    {
        float* pp = P(p), pg = P(g), pm = P(m), pv = P(v);
        Par.ForElements(n, (s, e) =>
        {
            int i = s;
            if (Vector256.IsHardwareAccelerated)
            {
                var b1 = Vector256.Create(beta1);
                var b2 = Vector256.Create(beta2);
                var ob1 = Vector256.Create(1f - beta1);
                var ob2 = Vector256.Create(1f - beta2);
                var ic1 = Vector256.Create(1f / c1);
                var ic2 = Vector256.Create(1f / c2);
                var veps = Vector256.Create(eps);
                var vlr = Vector256.Create(lr);
                for (; i + 8 <= e; i += 8)
                {
                    var gi = Vector256.Load(pg + i);
                    var mi = b1 * Vector256.Load(pm + i) + ob1 * gi;
                    var vi = b2 * Vector256.Load(pv + i) + ob2 * gi * gi;
                    mi.Store(pm + i);
                    vi.Store(pv + i);
                    var step = vlr * (mi * ic1) / (Vector256.Sqrt(vi * ic2) + veps);
                    (Vector256.Load(pp + i) - step).Store(pp + i);
                }
            }
            for (; i < e; i++)
            {
                float gi = pg[i];
                float mi = beta1 * pm[i] + (1f - beta1) * gi;
                float vi = beta2 * pv[i] + (1f - beta2) * gi * gi;
                pm[i] = mi;
                pv[i] = vi;
                pp[i] -= lr * (mi * (1f / c1)) / (MathF.Sqrt(vi * (1f / c2)) + eps);
            }
        });
    }

    public void Synchronize() { }
}
