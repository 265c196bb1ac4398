// Tensor: float32, row-major, contiguous, any rank, on one device. The user-facing type; ops live
// in the partial files beside this one (Tensor.Elementwise.cs, Tensor.Reductions.cs, …) and each op
// records its local derivative next to its forward code (Autodiff/).
using System.Diagnostics;
using Gibbs.Backends;
using Gibbs.Internals;

namespace Gibbs;

[DebuggerDisplay("{ToString(),nq}")]
public sealed partial class Tensor : IDisposable
{
    private readonly int[] _shape;
    private Storage? _storage;
    internal TensorScope? Scope;

    /// <summary>Wraps one reference to <paramref name="storage"/>. <paramref name="shape"/> is kept, not copied: shape arrays
    /// are never modified once a tensor holds them, so views share them.</summary>
    internal Tensor(Storage storage, int[] shape, bool track = true)
    {
        _storage = storage;
        _shape = shape;
        Length = ShapeLength(shape);
        if (Length > storage.Length) Throw.Argument($"shape {Format(shape)} needs {Length} elements, storage has {storage.Length}");
        if (track) TensorScope.Current?.Track(this);
    }

    /// <summary>The dimensions, outermost first. Do not modify.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    internal int[] ShapeArray => _shape;

    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Dim(int dim) => _shape[NormalizeDim(dim)];

    public Storage Storage => _storage ?? throw new ObjectDisposedException("Tensor", "tensor used after Dispose (or after its TensorScope ended)");

    public IBackend Backend => Storage.Backend;

    public Device Device => Storage.Backend.Device;

    public bool IsDisposed => _storage is null;

    /// <summary>Copies the elements to a new host array (synchronises with the device).</summary>
    public float[] ToArray()
    {
        var a = new float[Length];
        Backend.CopyToHost(Storage, 0, a);
        return a;
    }

    /// <summary>Copies the elements into <paramref name="dst"/> (length must equal <see cref="Length"/>).</summary>
    public void CopyTo(Span<float> dst)
    {
        if (dst.Length != Length) Throw.Shape($"destination has {dst.Length} elements, tensor {Format(_shape)} has {Length}");
        Backend.CopyToHost(Storage, 0, dst);
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1) Throw.Shape($"Item() needs a one-element tensor, got shape {Format(_shape)}");
        Span<float> v = stackalloc float[1];
        Backend.CopyToHost(Storage, 0, v);
        return v[0];
    }

    /// <summary>Element at a multi-index (slow; for tests and small lookups).</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params int[] index]
    {
        get
        {
            if (index.Length != Rank) Throw.Shape($"index of rank {index.Length} for tensor of rank {Rank}");
            long off = 0;
            for (int d = 0; d < Rank; d++)
            {
                if ((uint)index[d] >= (uint)_shape[d]) throw new IndexOutOfRangeException($"index {index[d]} out of range for dimension {d} of size {_shape[d]}");
                off = off * _shape[d] + index[d];
            }
            Span<float> v = stackalloc float[1];
            Backend.CopyToHost(Storage, (int)off, v);
            return v[0];
        }
    }

    /// <summary>Releases this tensor's reference to its storage (and its gradient). Safe to call twice.</summary>
    public void Dispose()
    {
        var s = _storage;
        if (s is null) return;
        _storage = null;
        Node = null;
        s.Release();
        Grad?.Dispose();
        Grad = null;
        Scope = null;
    }

    public override string ToString()
    {
        if (IsDisposed) return "Tensor(disposed)";
        var head = $"Tensor{Format(_shape)} {Device}";
        if (Length > 8) return head;
        return head + " [" + string.Join(", ", ToArray().Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))) + "]";
    }

    internal static string Format(ReadOnlySpan<int> shape) => "[" + string.Join("×", shape.ToArray()) + "]";

    internal static int ShapeLength(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) Throw.Shape($"negative dimension in shape {Format(shape)}");
            n *= d;
            if (n > int.MaxValue) Throw.Shape($"shape {Format(shape)} has more than 2^31 elements");
        }
        return (int)n;
    }

    internal int NormalizeDim(int dim)
    {
        int d = dim < 0 ? dim + Rank : dim;
        if ((uint)d >= (uint)Rank) Throw.Shape($"dimension {dim} out of range for a tensor of rank {Rank} {Format(_shape)}");
        return d;
    }
}
