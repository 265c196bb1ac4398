// Creating tensors: from host arrays, constants, and the counter-based random generator.
using Gibbs.Backends;
using Gibbs.Internals;

namespace Gibbs;

public sealed partial class Tensor
{
    /// <summary>An uninitialised tensor (contents undefined) on <paramref name="device"/> (default: Engine.DefaultDevice).</summary>
    public static Tensor Empty(ReadOnlySpan<int> shape, Device? device = null)
    {
        var backend = Engine.Backend(device ?? Engine.DefaultDevice);
        var sh = shape.ToArray();
        return new Tensor(backend.Allocate(ShapeLength(sh)), sh);
    }

    internal static Tensor EmptyLike(Tensor t) => new(t.Backend.Allocate(t.Length), t._shape);

    internal static Tensor Empty(IBackend backend, int[] shape) => new(backend.Allocate(ShapeLength(shape)), shape);

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data, ReadOnlySpan<int> shape, Device? device = null)
    {
        int n = ShapeLength(shape);
        if (n != data.Length) Throw.Shape($"{data.Length} values do not fill shape {Format(shape)} ({n} elements)");
        var t = Empty(shape, device);
        t.Backend.CopyFromHost(data, t.Storage, 0);
        return t;
    }

    /// <summary>A 1-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(float[] data, Device? device = null) => FromArray(data, [data.Length], device);

    /// <summary>A 2-D tensor from a rectangular array.</summary>
    public static Tensor FromArray(float[,] data, Device? device = null)
    {
        var flat = new float[data.Length];
        Buffer.BlockCopy(data, 0, flat, 0, data.Length * sizeof(float));
        return FromArray(flat, [data.GetLength(0), data.GetLength(1)], device);
    }

    public static Tensor Full(ReadOnlySpan<int> shape, float value, Device? device = null)
    {
        var t = Empty(shape, device);
        t.Backend.Fill(t.Storage, 0, t.Length, value);
        return t;
    }

    public static Tensor Zeros(ReadOnlySpan<int> shape, Device? device = null) => Full(shape, 0f, device);

    public static Tensor Ones(ReadOnlySpan<int> shape, Device? device = null) => Full(shape, 1f, device);

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value, Device? device = null) => Full([], value, device);

    public static Tensor ZerosLike(Tensor t) => Full(t.Shape, 0f, t.Device);

    public static Tensor OnesLike(Tensor t) => Full(t.Shape, 1f, t.Device);

    public static Tensor FullLike(Tensor t, float value) => Full(t.Shape, value, t.Device);

    /// <summary>[0, 1, …, n−1].</summary>
    public static Tensor Arange(int n, Device? device = null)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return FromArray(a, [n], device);
    }

    /// <summary>
    /// A copy on <paramref name="device"/> with its own storage — also when the tensor is already there, so disposing
    /// the result never disposes (or changes) this tensor. No tape: the copy is a new leaf.
    /// </summary>
    public Tensor To(Device device)
    {
        if (device == Device) return Clone();
        return FromArray(ToArray(), Shape, device);
    }

    /// <summary>Moves this tensor's data to <paramref name="device"/> in place (module parameters keep their identity).</summary>
    internal void MoveTo(Device device)
    {
        if (device == Device) return;
        var target = Engine.Backend(device);
        var fresh = target.Allocate(Length);
        target.CopyFromHost(ToArray(), fresh, 0);
        var old = Storage;
        _storage = fresh;
        old.Release();
        Grad?.MoveTo(device);
    }

    /// <summary>A detached copy with its own storage.</summary>
    public Tensor Clone()
    {
        var y = EmptyLike(this);
        Backend.Unary(UnaryOp.Copy, Storage, y.Storage, Length);
        return y;
    }
}
