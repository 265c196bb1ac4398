// TensorScope: every tensor created while a scope is open is disposed when the scope ends, unless it
// was moved out with Tensor.MoveToOuterScope(). Scopes nest per thread. A training step in a scope
// neither leaks native/device memory nor waits for the GC.
namespace Gibbs;

public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;
    private readonly List<Tensor> _tracked = new();
    private readonly TensorScope? _parent;
    private bool _disposed;

    private TensorScope()
    {
        _parent = _current;
        _current = this;
    }

    /// <summary>Opens a scope on this thread.</summary>
    public static TensorScope Begin() => new();

    internal static TensorScope? Current => _current;

    internal TensorScope? Parent => _parent;

    /// <summary>Tensors currently owned by this scope.</summary>
    public int Count => _tracked.Count(t => t.Scope == this && !t.IsDisposed);

    internal void Untrack(Tensor t) => t.Scope = null;

    internal void Track(Tensor t)
    {
        t.Scope = this;
        _tracked.Add(t);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var t in _tracked)
            if (t.Scope == this) t.Dispose();
        _tracked.Clear();
        if (_current == this) _current = _parent;
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
