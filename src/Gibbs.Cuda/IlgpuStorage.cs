// Device storage: one block of the backend's caching allocator. The last Release returns the block to the cache
// (stream-ordered reuse: see DeviceAllocator); the finaliser is a safety net for a tensor that was never disposed,
// and never throws.
using Gibbs.Backends;
using Gibbs.Cuda.Memory;
using ILGPU;

namespace Gibbs.Cuda;

public sealed class IlgpuStorage : Storage
{
    private static long _live;
    private readonly IlgpuBackend _backend;
    private DeviceBlock? _block;

    internal IlgpuStorage(IlgpuBackend backend, DeviceBlock block, int length) : base(length)
    {
        _backend = backend;
        _block = block;
        Interlocked.Increment(ref _live);
    }

    /// <summary>Device storages currently alive, over every ILGPU backend (leak checks).</summary>
    public static long LiveCount => Interlocked.Read(ref _live);

    public override IBackend Backend => _backend;

    /// <summary>The block's elements as a kernel argument (its capacity may exceed Length).</summary>
    internal ArrayView<float> View
    {
        get
        {
            var b = _block;
            if (b is null) CudaThrow.Disposed("tensor storage");
            return b.View;
        }
    }

    internal IlgpuBackend Owner => _backend;

    protected override void Free()
    {
        var b = Interlocked.Exchange(ref _block, null);
        if (b is null) return;
        _backend.Allocator.Return(b);
        Interlocked.Decrement(ref _live);
        GC.SuppressFinalize(this);
    }

    ~IlgpuStorage()
    {
        var b = Interlocked.Exchange(ref _block, null);
        if (b is null) return;
        try { _backend.Allocator.Return(b); }
        catch (Exception) { /* finalisers never throw */ }
        Interlocked.Decrement(ref _live);
    }
}
