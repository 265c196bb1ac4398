// CPU storage: 64-byte aligned native memory (SIMD- and BLAS-friendly), freed on the last Release
// or, as a safety net only, by the finaliser.
using System.Runtime.InteropServices;

namespace Gibbs.Backends.Cpu;

public sealed unsafe class CpuStorage : Storage
{
    private static long _live;
    private float* _ptr;

    /// <summary>Number of CPU buffers currently allocated (for leak checks).</summary>
    public static long LiveCount => Interlocked.Read(ref _live);

    internal CpuStorage(CpuBackend backend, int length) : base(length)
    {
        Backend = backend;
        _ptr = CpuPool.Rent(length);
        if (length > 1 << 16) GC.AddMemoryPressure((long)length * sizeof(float));
        Interlocked.Increment(ref _live);
    }

    public override IBackend Backend { get; }

    public float* Pointer
    {
        get
        {
            if (_ptr == null) Internals.Throw.Disposed("tensor storage");
            return _ptr;
        }
    }

    public Span<float> Span => new(Pointer, Length);

    protected override void Free()
    {
        var p = _ptr;
        _ptr = null;
        if (p == null) return;
        CpuPool.Return(p, Length);
        Interlocked.Decrement(ref _live);
        if (Length > 1 << 16) GC.RemoveMemoryPressure((long)Length * sizeof(float));
        GC.SuppressFinalize(this);
    }

    ~CpuStorage()
    {
        var p = _ptr;
        _ptr = null;
        if (p == null) return;
        NativeMemory.AlignedFree(p);
        Interlocked.Decrement(ref _live);
        if (Length > 1 << 16) GC.RemoveMemoryPressure((long)Length * sizeof(float));
    }
}
