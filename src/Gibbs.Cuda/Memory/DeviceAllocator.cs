// The caching device allocator: freed blocks go back to a free list of their size class and are handed out again,
// so a training step that allocates the same shapes each time makes no device allocation after the first. All
// kernels run on one stream, so a block returned while kernels that use it are still queued is safe to reuse:
// whatever the next owner enqueues runs after them (stream order). Running out of memory first releases the
// cache and retries, then is one line with the bytes asked and free. A budget (tests; GIBBS_CUDA_MEMORY_LIMIT)
// caps the bytes held by live and cached blocks.
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Gibbs.Cuda.Memory;

internal sealed class DeviceAllocator : IDisposable
{
    private readonly object _gate = new();
    private readonly Accelerator _accelerator;
    private readonly Func<(long Free, long Total)> _memoryInfo;
    private readonly Dictionary<long, Stack<DeviceBlock>> _free = new();
    // Rented blocks stay reachable from here: ILGPU buffers have finalisers of their own, and a storage finalised in
    // the same GC as its (otherwise unreferenced) buffer must not hand a disposed buffer back to the cache.
    private readonly HashSet<DeviceBlock> _live = new(ReferenceEqualityComparer.Instance);
    private readonly string _device;
    private bool _disposed;

    public DeviceAllocator(Accelerator accelerator, string device, long budgetBytes = long.MaxValue, Func<(long Free, long Total)>? memoryInfo = null)
    {
        _accelerator = accelerator;
        _device = device;
        Budget = budgetBytes;
        _memoryInfo = memoryInfo ?? (() => (Math.Max(0, accelerator.MemorySize - HeldBytes), accelerator.MemorySize));
    }

    /// <summary>Most bytes live and cached blocks may hold together.</summary>
    public long Budget { get; }

    /// <summary>Device allocations made (a cache hit makes none).</summary>
    public long DeviceAllocations { get; private set; }

    /// <summary>Requests served from the cache.</summary>
    public long CacheHits { get; private set; }

    /// <summary>Bytes in blocks handed out and not yet returned.</summary>
    public long LiveBytes { get; private set; }

    /// <summary>Bytes in blocks waiting in the free lists.</summary>
    public long CachedBytes { get; private set; }

    public long HeldBytes => LiveBytes + CachedBytes;

    /// <summary>A block of at least <paramref name="length"/> floats (contents undefined).</summary>
    public DeviceBlock Rent(long length)
    {
        long capacity = SizeClass.Of(length);
        lock (_gate)
        {
            if (_disposed) CudaThrow.Disposed("the CUDA device allocator");
            if (_free.TryGetValue(capacity, out var list) && list.Count > 0)
            {
                var hit = list.Pop();
                CachedBytes -= hit.Bytes;
                LiveBytes += hit.Bytes;
                CacheHits++;
                _live.Add(hit);
                return hit;
            }
            var block = TryAllocate(capacity) ?? Retry(capacity);
            LiveBytes += block.Bytes;
            DeviceAllocations++;
            _live.Add(block);
            return block;
        }
    }

    private DeviceBlock Retry(long capacity)
    {
        long released = ReleaseCache();
        var block = TryAllocate(capacity);
        if (block is not null) return block;
        var (free, total) = Budget == long.MaxValue ? _memoryInfo() : (Math.Max(0, Budget - HeldBytes), Budget);
        CudaThrow.OutOfMemory(_device, capacity * sizeof(float), free, total, released);
        return null;
    }

    private DeviceBlock? TryAllocate(long capacity)
    {
        if (HeldBytes + capacity * sizeof(float) > Budget) return null;
        try { return new DeviceBlock(_accelerator.Allocate1D<float>(capacity), capacity); }
        catch (Exception e) when (e is OutOfMemoryException || (e is CudaException c && c.Error == nameof(CudaError.CUDA_ERROR_OUT_OF_MEMORY)))
        {
            return null;
        }
    }

    /// <summary>Gives a block back to its free list. Safe from a finaliser (never throws).</summary>
    public void Return(DeviceBlock block)
    {
        lock (_gate)
        {
            if (!_live.Remove(block)) return;   // not ours, or returned twice
            LiveBytes -= block.Bytes;
            if (_disposed) { DisposeQuietly(block); return; }
            if (!_free.TryGetValue(block.Capacity, out var list)) _free[block.Capacity] = list = new Stack<DeviceBlock>();
            list.Push(block);
            CachedBytes += block.Bytes;
        }
    }

    /// <summary>Frees every cached block (waits for queued work first); returns the bytes released.</summary>
    public long ReleaseCache()
    {
        lock (_gate)
        {
            if (CachedBytes == 0) return 0;
            _accelerator.Synchronize();
            long released = CachedBytes;
            foreach (var list in _free.Values)
                while (list.Count > 0) DisposeQuietly(list.Pop());
            CachedBytes = 0;
            return released;
        }
    }

    private static void DisposeQuietly(DeviceBlock block)
    {
        try { block.Buffer.Dispose(); }
        catch (Exception) { /* the accelerator is already gone: its memory went with it */ }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            ReleaseCache();
            _disposed = true;
        }
    }
}
