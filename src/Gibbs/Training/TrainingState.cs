// Everything a training update reads, in one place: module parameters and buffers, optimiser state, random
// generators, trainer tensors (persistent chains, magnetisations) and scalars (epoch, history, the run's
// configuration). Captured in memory it is the divergence guard's snapshot; saved (one atomic safetensors
// file) it is the checkpoint — the same data on both paths, so a resumed or restored run continues exactly
// as an uninterrupted one (PyTorch's checkpoint = state dicts + RNG state).
//
// File layout: tensors "model.<name>", "optim.<slot>.<i>", "trainer.<name>"; metadata "format" = gibbs-checkpoint,
// "optim.*", "rng.<name>" = Generator.Snapshot(), "trainer.*", "config.*".
using Gibbs.IO;
using Gibbs.Nn;
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Training;

public sealed class TrainingState : IDisposable
{
    public const string Format = "gibbs-checkpoint";
    public const string FormatVersion = "1";

    private readonly Dictionary<string, Gibbs.Tensor> _tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _meta = new(StringComparer.Ordinal);

    /// <summary>Where the state was loaded from (null when captured in memory).</summary>
    public string? Path { get; private init; }

    public IReadOnlyDictionary<string, Gibbs.Tensor> Tensors => _tensors;
    public IReadOnlyDictionary<string, string> Metadata => _meta;

    /// <summary>Stores a copy of <paramref name="value"/> (host-independent, owned by this state).</summary>
    public void SetTensor(string name, Gibbs.Tensor value)
    {
        using var _ = Gibbs.Tensor.NoGrad();
        if (_tensors.Remove(name, out var old)) old.Dispose();
        _tensors[name] = value.Clone().Untrack();
    }

    public void SetMeta(string key, string value) => _meta[key] = value;

    public Gibbs.Tensor? TryTensor(string name) => _tensors.GetValueOrDefault(name);

    public string? TryMeta(string key) => _meta.GetValueOrDefault(key);

    /// <summary>A metadata value that must be present, or a one-line error naming the file and the key.</summary>
    public string Meta(string key) => TryMeta(key) ?? throw new GibbsFormatException($"{Where}: checkpoint has no '{key}'; pass a checkpoint written by the same command");

    /// <summary>A tensor that must be present.</summary>
    public Gibbs.Tensor Tensor(string name) => TryTensor(name) ?? throw new GibbsFormatException($"{Where}: checkpoint has no tensor '{name}'");

    /// <summary>An integer metadata value in [min, max], or a one-line error naming the key and the bad value.</summary>
    public int MetaInt(string key, int min = 0, int max = int.MaxValue)
    {
        var s = Meta(key);
        return int.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v : throw new GibbsFormatException($"{Where}: checkpoint field '{key}' is '{s}', expected an integer in [{min}, {max}]; the file is corrupt — start again without --resume, or use an earlier checkpoint");
    }

    private string Where => Path ?? "training state";

    // ── module, optimiser, generators ──────────────────────────────────────────────────────────────

    public void AddModule(Module module, string prefix = "model.")
    {
        foreach (var (name, t) in module.StateDict()) SetTensor(prefix + name, t);
    }

    public void RestoreModule(Module module, string prefix = "model.")
    {
        var state = new Dictionary<string, Gibbs.Tensor>(StringComparer.Ordinal);
        foreach (var (name, t) in _tensors)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) state[name[prefix.Length..]] = t;
        module.LoadStateDict(state);
    }

    public void AddOptimizer(Optimizer optimizer, string prefix = "optim.")
    {
        foreach (var (name, t) in optimizer.StateTensors()) SetTensor(prefix + name, t);
        foreach (var (k, v) in optimizer.StateMetadata()) SetMeta(prefix + k, v);
    }

    public void RestoreOptimizer(Optimizer optimizer, string prefix = "optim.")
    {
        var tensors = _tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        var meta = _meta.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        try { optimizer.LoadState(tensors, meta); }
        catch (GibbsException e) { throw new GibbsFormatException($"{Where}: {e.Message}"); }
    }

    public void AddGenerator(string name, Generator gen) => SetMeta("rng." + name, gen.Snapshot());

    public void RestoreGenerator(string name, Generator gen)
    {
        try { gen.Restore(Meta("rng." + name)); }
        catch (GibbsFormatException e) when (!e.Message.StartsWith(Where, StringComparison.Ordinal)) { throw new GibbsFormatException($"{Where}: {e.Message}"); }
    }

    // ── files ──────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Writes the state atomically (temporary file, fsync, rename); extra metadata (e.g. a model file's config) is merged in.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var meta = new Dictionary<string, string>(_meta, StringComparer.Ordinal) { ["format"] = Format, ["format_version"] = FormatVersion };
        if (extraMetadata is not null) foreach (var (k, v) in extraMetadata) meta.TryAdd(k, v);
        SafeTensors.Save(path, _tensors, meta);
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>; a file of another kind is a one-line error.</summary>
    public static TrainingState Load(string path, Backends.Device? device = null)
    {
        using var f = SafeTensors.Load(path, device);
        if (f.Meta("format") != Format)
            throw new GibbsFormatException($"{path}: not a Gibbs training checkpoint (format '{f.Meta("format") ?? "none"}'); pass the .ckpt file a training run wrote");
        var s = new TrainingState { Path = path };
        foreach (var (k, v) in f.Metadata) s._meta[k] = v;
        foreach (var (k, t) in f.Tensors) s.SetTensor(k, t);
        return s;
    }

    /// <summary>A deep copy (the divergence guard's snapshot).</summary>
    public TrainingState Clone()
    {
        var c = new TrainingState { Path = Path };
        foreach (var (k, v) in _meta) c._meta[k] = v;
        foreach (var (k, t) in _tensors) c.SetTensor(k, t);
        return c;
    }

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }
}
