// Optimiser base (PyTorch's torch.optim shape): a parameter list, a learning rate, ZeroGrad, and Step() that
// applies the update in place under NoGrad from each parameter's .Grad. Weight decay (L2: λ·θ, L1: λ·sign θ)
// is added to the gradient of the parameters it applies to (all by default; RBMs decay W only). The
// optimiser's state — moments, step count, learning rate — is a state dict, saved in checkpoints so a
// resumed run continues exactly.
using System.Globalization;

namespace Gibbs.Optim;

public enum DecayKind { None, L1, L2 }

public abstract class Optimizer : IDisposable
{
    private readonly bool[] _decayed;
    private readonly float[] _lrScale;
    private readonly Dictionary<string, List<Tensor?>> _slots = new();

    /// <param name="parameters">Tensors to update (leaves that require grad).</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="decay">Weight-decay kind.</param>
    /// <param name="decayRate">λ ≥ 0.</param>
    /// <param name="decayed">The parameters decay applies to (null: all of them).</param>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate, DecayKind decay, float decayRate, IEnumerable<Tensor>? decayed = null)
    {
        Parameters = parameters.ToList();
        if (Parameters.Count == 0) throw new GibbsException("optimiser given no parameters");
        if (!(learningRate > 0) || !float.IsFinite(learningRate)) throw new GibbsException($"learning rate must be a positive number, got {learningRate}");
        if (decayRate < 0 || !float.IsFinite(decayRate)) throw new GibbsException($"weight-decay rate must be ≥ 0, got {decayRate}");
        LearningRate = learningRate;
        Decay = decay;
        DecayRate = decayRate;
        var set = decayed is null ? null : new HashSet<Tensor>(decayed, ReferenceEqualityComparer.Instance);
        _decayed = Parameters.Select(p => set is null || set.Contains(p)).ToArray();
        _lrScale = Parameters.Select(_ => 1f).ToArray();
    }

    /// <summary>Parameter <paramref name="p"/> learns at <paramref name="scale"/> × the learning rate (PyTorch's per-group lr; e.g. slower variances).</summary>
    public void SetLearningRateScale(Tensor p, float scale)
    {
        if (!(scale > 0) || !float.IsFinite(scale)) throw new GibbsException($"a learning-rate scale must be a positive number, got {scale}");
        int i = Parameters.ToList().FindIndex(x => ReferenceEquals(x, p));
        if (i < 0) throw new GibbsException("SetLearningRateScale: the tensor is not a parameter of this optimiser");
        _lrScale[i] = scale;
    }

    /// <summary>The learning rate of parameter i (the global rate times its scale).</summary>
    protected float RateOf(int i) => LearningRate * _lrScale[i];

    public IReadOnlyList<Tensor> Parameters { get; }
    public float LearningRate { get; set; }
    public DecayKind Decay { get; }
    public float DecayRate { get; }

    /// <summary>Number of steps taken.</summary>
    public long Steps { get; protected set; }

    /// <summary>A short name stored in checkpoints ("sgd", "adam", …); restoring into another kind is an error.</summary>
    public abstract string Kind { get; }

    /// <summary>The L2 and L1 coefficients for parameter i (0 when decay does not apply to it).</summary>
    protected (float L2, float L1) DecayOf(int i) => !_decayed[i] || DecayRate == 0 ? (0f, 0f)
        : Decay == DecayKind.L2 ? (DecayRate, 0f) : Decay == DecayKind.L1 ? (0f, DecayRate) : (0f, 0f);

    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }

    /// <summary>Applies one update from the accumulated gradients (parameters without a gradient are skipped).</summary>
    public void Step()
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        Steps++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is null) continue;
            if (!p.Grad.Shape.SequenceEqual(p.Shape)) throw new ShapeException($"gradient of parameter {i} is {Tensor.Format(p.Grad.Shape)}, the parameter {Tensor.Format(p.Shape)}");
            Update(i, p, p.Grad);
        }
    }

    /// <summary>Updates parameter <paramref name="p"/> (index <paramref name="i"/>) in place from its gradient <paramref name="g"/> (decay not yet added: see <see cref="DecayOf"/>).</summary>
    protected abstract void Update(int i, Tensor p, Tensor g);

    /// <summary>The persistent state tensor <paramref name="slot"/> of parameter i (momentum, moments), created zeroed on first use.</summary>
    protected Tensor State(string slot, int i)
    {
        if (!_slots.TryGetValue(slot, out var list)) _slots[slot] = list = new List<Tensor?>();
        while (list.Count <= i) list.Add(null);
        return list[i] ??= Tensor.ZerosLike(Parameters[i]).Untrack();
    }

    /// <summary>State tensors by name ("m.0", "velocity.2", …), borrowed (copy what you keep).</summary>
    public IReadOnlyDictionary<string, Tensor> StateTensors()
    {
        var d = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (slot, list) in _slots)
            for (int i = 0; i < list.Count; i++)
                if (list[i] is { } t) d[$"{slot}.{i.ToString(CultureInfo.InvariantCulture)}"] = t;
        return d;
    }

    /// <summary>Scalar state (kind, step count, learning rate) as strings.</summary>
    public virtual IReadOnlyDictionary<string, string> StateMetadata() => new Dictionary<string, string>
    {
        ["kind"] = Kind,
        ["steps"] = Steps.ToString(CultureInfo.InvariantCulture),
        ["lr"] = LearningRate.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Restores state saved by <see cref="StateTensors"/> and <see cref="StateMetadata"/> (same kind, same parameter shapes).</summary>
    public virtual void LoadState(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        string Need(string key) => metadata.TryGetValue(key, out var v) ? v : throw new GibbsFormatException($"optimiser state has no '{key}'");
        if (Need("kind") != Kind) throw new GibbsException($"the saved optimiser is '{Need("kind")}', this one is '{Kind}': resume with the same optimiser");
        Steps = ParseLong(Need("steps"), "steps");
        LearningRate = ParseFloat(Need("lr"), "lr");
        foreach (var list in _slots.Values) foreach (var t in list) t?.Dispose();
        _slots.Clear();
        foreach (var (name, src) in tensors)
        {
            int dot = name.LastIndexOf('.');
            if (dot <= 0 || !int.TryParse(name.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i >= Parameters.Count)
                throw new GibbsFormatException($"optimiser state tensor '{name}' does not name a parameter of this optimiser ({Parameters.Count} parameters)");
            if (!src.Shape.SequenceEqual(Parameters[i].Shape))
                throw new GibbsException($"optimiser state '{name}' is {Tensor.Format(src.Shape)} but parameter {i} is {Tensor.Format(Parameters[i].Shape)}: the checkpoint was written for another model size");
            using var _ = Tensor.NoGrad();
            State(name[..dot], i).CopyFrom(src.Device == Parameters[i].Device ? src : src.To(Parameters[i].Device).Untrack());
        }
    }

    internal static long ParseLong(string s, string what) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new GibbsFormatException($"optimiser {what} '{s}' is not a non-negative integer");

    internal static float ParseFloat(string s, string what) =>
        float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && float.IsFinite(v) && v > 0 ? v : throw new GibbsFormatException($"optimiser {what} '{s}' is not a positive number");

    public void Dispose()
    {
        foreach (var list in _slots.Values) foreach (var t in list) t?.Dispose();
        _slots.Clear();
        GC.SuppressFinalize(this);
    }
}
