// Optimiser base: a parameter list, a learning rate, ZeroGrad, and Step() that applies the update
// in place under NoGrad. Weight decay (L1: λ·sign(θ), L2: λ·θ) is added to the gradient.
namespace Gibbs.Optim;

public enum DecayKind { None, L1, L2 }

public abstract class Optimizer
{
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate, DecayKind decay, float decayRate)
    {
        Parameters = parameters.ToList();
        if (Parameters.Count == 0) throw new GibbsException("optimiser given no parameters");
        if (!(learningRate > 0) || !float.IsFinite(learningRate)) throw new GibbsException($"learning rate must be a positive number, got {learningRate}");
        if (decayRate < 0 || !float.IsFinite(decayRate)) throw new GibbsException($"weight-decay rate must be ≥ 0, got {decayRate}");
        LearningRate = learningRate;
        Decay = decay;
        DecayRate = decayRate;
    }

    public IReadOnlyList<Tensor> Parameters { get; }
    public float LearningRate { get; set; }
    public DecayKind Decay { get; }
    public float DecayRate { get; }

    /// <summary>Number of steps taken.</summary>
    public long Steps { get; protected set; }

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
            var g = p.Grad.Detach();
            if (Decay == DecayKind.L2 && DecayRate > 0) g = g + p.Detach() * DecayRate;
            else if (Decay == DecayKind.L1 && DecayRate > 0) g = g + p.Sign() * DecayRate;
            Update(i, p, g);
        }
    }

    /// <summary>Updates parameter <paramref name="p"/> (index <paramref name="i"/>) in place from gradient <paramref name="g"/> (decay included).</summary>
    protected abstract void Update(int i, Tensor p, Tensor g);

    /// <summary>A persistent state tensor (momentum, moments) shaped like parameter i, created zeroed on first use.</summary>
    protected static Tensor State(List<Tensor?> states, int i, Tensor like)
    {
        while (states.Count <= i) states.Add(null);
        return states[i] ??= Tensor.ZerosLike(like).Untrack();
    }
}
