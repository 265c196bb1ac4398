// Storage: a reference-counted block of float32 owned by one backend. Views (reshape) share it;
// the last Release frees it deterministically (the GC cannot see native or device memory).
namespace Gibbs.Backends;

public abstract class Storage
{
    private int _refs = 1;

    protected Storage(int length) => Length = length;

    /// <summary>Number of float32 elements.</summary>
    public int Length { get; }

    public abstract IBackend Backend { get; }

    public bool IsFreed => Volatile.Read(ref _refs) <= 0;

    /// <summary>Tensors currently holding this storage (1 = exclusively owned).</summary>
    internal int RefCount => Volatile.Read(ref _refs);

    internal void AddRef()
    {
        if (Interlocked.Increment(ref _refs) <= 1) Internals.Throw.Disposed("tensor storage");
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _refs) == 0) Free();
    }

    /// <summary>Frees the memory. Called once, when the last reference is released.</summary>
    protected abstract void Free();
}
