// TensorScope: every tensor created while a scope is open is disposed when the scope ends, unless it
// was moved out with Tensor.MoveToOuterScope() or Untrack(). Scopes nest per thread. A training step in a
// scope neither leaks native/device memory nor waits for the GC. Disposing an outer scope first disposes
// the scopes still open inside it, so the thread's current scope never points at a disposed one.
namespace Gibbs;

public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;
    private readonly List<Tensor> _tracked = new();
    private readonly TensorScope? _parent;
    private readonly Thread _thread;
    private bool _disposed;
    private int _compactAt = 256;

    private TensorScope()
    {
        _parent = _current;
        _thread = Thread.CurrentThread;
        _current = this;
    }

    /// <summary>Opens a scope on this thread.</summary>
    public static TensorScope Begin() => new();

    internal static TensorScope? Current => _current;

    internal TensorScope? Parent => _parent;

    /// <summary>True once the scope has ended.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Tensors currently owned by this scope.</summary>
    public int Count => _tracked.Count(t => t.Scope == this && !t.IsDisposed);

    internal void Untrack(Tensor t) => t.Scope = null;

    internal void Track(Tensor t)
    {
        t.Scope = this;
        // Tensors disposed or moved out early leave stale entries; drop them once the list has doubled, so a
        // long-lived scope whose tensors are disposed one by one stays as small as what it really owns.
        if (_tracked.Count >= _compactAt)
        {
            _tracked.RemoveAll(x => x.Scope != this || x.IsDisposed);
            _compactAt = Math.Max(256, 2 * _tracked.Count);
        }
        _tracked.Add(t);
    }

    public void Dispose()
    {
        if (_disposed) return;
        // Inner scopes still open on this thread end first (innermost first).
        if (Thread.CurrentThread == _thread && IsOpenBelow(_current))
            while (_current is not null && _current != this) _current.Dispose();
        _disposed = true;
        foreach (var t in _tracked)
            if (t.Scope == this) t.Dispose();
        _tracked.Clear();
        if (_current == this) _current = _parent;
    }

    // Whether this scope is `s` or one of its ancestors.
    private bool IsOpenBelow(TensorScope? s)
    {
        for (; s is not null; s = s._parent)
            if (s == this) return true;
        return false;
    }
}

public sealed partial class Tensor
{
    /// <summary>Moves this tensor out of its scope into the enclosing one (or none), so it survives the scope's end.</summary>
    public Tensor MoveToOuterScope()
    {
        var s = Scope;
        if (s is null) return this;
        Scope = null;
        s.Parent?.Track(this);
        return this;
    }

    /// <summary>Removes this tensor from every scope: the caller owns it and must Dispose it.</summary>
    public Tensor Untrack()
    {
        Scope = null;
        return this;
    }
}
