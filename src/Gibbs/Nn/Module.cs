// Module: a layer or model with named parameters (tensors that require grad), buffers (state that
// is saved but not trained, e.g. running means), children, and a train/eval switch.
namespace Gibbs.Nn;

public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> _params = new();
    private readonly List<(string Name, Tensor Tensor)> _buffers = new();
    private readonly List<(string Name, Module Module)> _children = new();

    /// <summary>True in training mode (dropout active, batch-norm uses and updates batch statistics).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>y = f(x). Shapes are documented on each module.</summary>
    public abstract Tensor Forward(Tensor x);

    public Tensor this[Tensor x] => Forward(x);

    /// <summary>Sets training (true) or evaluation (false) mode on this module and its children.</summary>
    public Module Train(bool on = true)
    {
        Training = on;
        foreach (var (_, m) in _children) m.Train(on);
        return this;
    }

    public Module Eval() => Train(false);

    /// <summary>Registers a trainable parameter (owned by the module, outside any scope).</summary>
    protected Tensor Parameter(string name, Tensor value)
    {
        value.Untrack().RequiresGrad = true;
        _params.Add((name, value));
        return value;
    }

    /// <summary>Registers a saved, non-trainable buffer.</summary>
    protected Tensor Buffer(string name, Tensor value)
    {
        value.Untrack();
        _buffers.Add((name, value));
        return value;
    }

    protected T Child<T>(string name, T module) where T : Module
    {
        _children.Add((name, module));
        return module;
    }

    /// <summary>Parameters with dotted names ("0.W", "encoder.b"), depth first.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters(string prefix = "")
    {
        foreach (var (n, t) in _params) yield return (prefix + n, t);
        foreach (var (cn, m) in _children)
            foreach (var p in m.NamedParameters(prefix + cn + ".")) yield return p;
    }

    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers(string prefix = "")
    {
        foreach (var (n, t) in _buffers) yield return (prefix + n, t);
        foreach (var (cn, m) in _children)
            foreach (var b in m.NamedBuffers(prefix + cn + ".")) yield return b;
    }

    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor).ToList();

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => NamedParameters().Sum(p => (long)p.Tensor.Length);

    /// <summary>Parameters and buffers by name (for safetensors).</summary>
    public Dictionary<string, Tensor> StateDict() =>
        NamedParameters().Concat(NamedBuffers()).ToDictionary(p => p.Name, p => p.Tensor);

    /// <summary>Copies values from <paramref name="state"/> into this module's tensors; every name must be present with the same shape.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var (name, t) in NamedParameters().Concat(NamedBuffers()))
        {
            if (!state.TryGetValue(name, out var src))
                throw new GibbsException($"model file has no tensor '{name}' (it has: {string.Join(", ", state.Keys)}); was it written for another model?");
            if (!src.Shape.SequenceEqual(t.Shape))
                throw new GibbsException($"tensor '{name}' has shape {Tensor.Format(src.Shape)} in the file but {Tensor.Format(t.Shape)} in the model; check the model configuration.");
            using var _ = Tensor.NoGrad();
            if (src.Device == t.Device) t.CopyFrom(src);
            else
            {
                using var moved = src.To(t.Device).Untrack();
                t.CopyFrom(moved);
            }
        }
    }

    /// <summary>The device of this module's first parameter or buffer (the default device when it has none).</summary>
    public Backends.Device Device => NamedParameters().Concat(NamedBuffers()).Select(p => (Backends.Device?)p.Tensor.Device).FirstOrDefault() ?? Engine.DefaultDevice;

    /// <summary>
    /// Moves every parameter and buffer to <paramref name="device"/> in place (the same Tensor objects, new storage), so
    /// references held elsewhere stay valid. Create optimisers after moving (their state lives on the parameters' device).
    /// </summary>
    public Module To(Backends.Device device)
    {
        foreach (var (_, t) in NamedParameters().Concat(NamedBuffers())) t.MoveTo(device);
        return this;
    }

    /// <summary>Writes this module's parameters and buffers to a safetensors file (atomically), with <paramref name="metadata"/> (its configuration).</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        IO.SafeTensors.Save(path, StateDict(), metadata);

    /// <summary>Loads parameters and buffers written by <see cref="Save"/> (names and shapes must match); returns the file's metadata.</summary>
    public IReadOnlyDictionary<string, string> Load(string path)
    {
        using var f = IO.SafeTensors.Load(path, Device);
        LoadStateDict(f.Tensors);
        return f.Metadata;
    }

    public virtual void Dispose()
    {
        foreach (var (_, t) in _params) t.Dispose();
        foreach (var (_, t) in _buffers) t.Dispose();
        foreach (var (_, m) in _children) m.Dispose();
        GC.SuppressFinalize(this);
    }
}
