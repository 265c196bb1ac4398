// The CPU backend: native aligned buffers, GEMM through the chosen provider (OpenBLAS or managed),
// elementwise work through System.Numerics.Tensors.TensorPrimitives, parallel over a fixed chunk grid.
// Every primitive ends with GC.KeepAlive on the storages it read through raw pointers: without it, a
// storage whose tensor is otherwise unreachable could be finalised (and freed) while the kernel runs.
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

    /// <summary>Test hook run inside kernels after their pointers are taken (GC-safety tests).</summary>
    internal static Action? MidKernel;

    public long LiveBuffers => CpuStorage.LiveCount;

    public Storage Allocate(int length)
    {
        if (length < 0) Throw.Argument($"cannot allocate {length} elements");
        return new CpuStorage(this, length);
    }

    internal static float* P(Storage s) => ((CpuStorage)s).Pointer;

    public void CopyFromHost(ReadOnlySpan<float> src, Storage dst, int dstOffset)
    {
        src.CopyTo(new Span<float>(P(dst) + dstOffset, src.Length));
        GC.KeepAlive(dst);
    }

    public void CopyToHost(Storage src, int srcOffset, Span<float> dst)
    {
        new ReadOnlySpan<float>(P(src) + srcOffset, dst.Length).CopyTo(dst);
        GC.KeepAlive(src);
    }

    public void Fill(Storage dst, int offset, int length, float value)
    {
        new Span<float>(P(dst) + offset, length).Fill(value);
        GC.KeepAlive(dst);
    }

    public void Where(Storage cond, Storage a, Storage b, Storage y, int n)
    {
        float* c = P(cond), pa = P(a), pb = P(b), py = P(y);
        if (n <= Par.ElementChunk) WhereChunk(c, pa, pb, py, 0, n);
        else Par.ForElements(n, (s, e) => WhereChunk(c, pa, pb, py, s, e));
        GC.KeepAlive(cond); GC.KeepAlive(a); GC.KeepAlive(b); GC.KeepAlive(y);
    }

    private static void WhereChunk(float* c, float* a, float* b, float* y, int s, int e)
    {
        for (int i = s; i < e; i++) y[i] = c[i] != 0 ? a[i] : b[i];
    }

    public void OneHot(Storage labels, Storage y, int n, int classes)
    {
        float* l = P(labels), py = P(y);
        new Span<float>(py, n * classes).Clear();
        for (int i = 0; i < n; i++)
        {
            float v = l[i];
            int c = (int)v;
            if (c == v && (uint)c < (uint)classes) py[(long)i * classes + c] = 1f;
        }
        GC.KeepAlive(labels); GC.KeepAlive(y);
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
        GC.KeepAlive(a); GC.KeepAlive(b); GC.KeepAlive(c);
    }

    public void Random(RandomKind kind, ulong seed, ulong counter, Storage y, int n, float a, float b)
    {
        float* py = P(y);
        // Element i depends only on (seed, counter, i): any chunking gives the same numbers.
        if (n <= Par.ElementChunk) Rng.Philox.Fill(kind, seed, counter, 0, new Span<float>(py, n), a, b);
        else Par.ForElements(n, (s, e) => Rng.Philox.Fill(kind, seed, counter, s, new Span<float>(py + s, e - s), a, b));
        GC.KeepAlive(y);
    }

    public void Axpy(float alpha, Storage x, Storage y, int n)
    {
        float* px = P(x), py = P(y);
        if (n <= Par.ElementChunk) AxpyChunk(alpha, px, py, n);
        else Par.ForElements(n, (s, e) => AxpyChunk(alpha, px + s, py + s, e - s));
        GC.KeepAlive(x); GC.KeepAlive(y);
    }

    private static void AxpyChunk(float alpha, float* x, float* y, int n)
    {
        var ys = new Span<float>(y, n);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(x, n), alpha, ys, ys);
    }

    public void SampleBernoulli(Storage p, ulong seed, ulong counter, Storage y, int n)
    {
        float* pp = P(p), py = P(y);
        if (n <= Par.ElementChunk) BernoulliChunk(pp, seed, counter, py, 0, n);
        else Par.ForElements(n, (s, e) => BernoulliChunk(pp, seed, counter, py, s, e));
        GC.KeepAlive(p); GC.KeepAlive(y);
    }

    private static void BernoulliChunk(float* pp, ulong seed, ulong counter, float* py, int s, int e)
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
    }

    public void Synchronize() { }
}
