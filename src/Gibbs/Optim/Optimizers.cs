// SGD with momentum, Adam (Kingma & Ba 2015), AdaGrad (Duchi et al. 2011) and SGLD (Welling & Teh
// 2011): θ ← θ − η·g + √(2ηT)·ξ, ξ ~ N(0, I), sampling exp(−L/T) — the temperature σ of
// 001_ada2633fde8fc741.txt §3.1, eq. 24.
using Gibbs.Rng;

namespace Gibbs.Optim;

/// <summary>v ← μ·v + g; θ ← θ − η·v (or θ − η·(g + μ·v) with Nesterov).</summary>
public sealed class Sgd(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0f, bool nesterov = false,
                        DecayKind decay = DecayKind.None, float decayRate = 0f) : Optimizer(parameters, learningRate, decay, decayRate)
{
    private readonly List<Tensor?> _velocity = new();

    public float Momentum { get; } = momentum is >= 0f and < 1f ? momentum : throw new GibbsException($"momentum must be in [0, 1), got {momentum}");

    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (Momentum == 0f) { p.AddInPlace(g, -LearningRate); return; }
        var v = State(_velocity, i, p);
        v.AffineInPlace(Momentum).AddInPlace(g);
        if (nesterov) p.AddInPlace(g + v * Momentum, -LearningRate);
        else p.AddInPlace(v, -LearningRate);
    }
}

/// <summary>m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η·m̂/(√v̂ + ε) with bias-corrected m̂, v̂.</summary>
public sealed class Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f,
                         DecayKind decay = DecayKind.None, float decayRate = 0f) : Optimizer(parameters, learningRate, decay, decayRate)
{
    private readonly List<Tensor?> _m = new(), _v = new();

    protected override void Update(int i, Tensor p, Tensor g)
    {
        var m = State(_m, i, p);
        var v = State(_v, i, p);
        float c1 = 1f - MathF.Pow(beta1, Steps), c2 = 1f - MathF.Pow(beta2, Steps);
        p.Backend.AdamStep(p.Storage, g.Storage, m.Storage, v.Storage, p.Length, LearningRate, beta1, beta2, eps, c1, c2);
    }
}

/// <summary>G ← G + g²; θ ← θ − η·g/(√G + ε).</summary>
public sealed class AdaGrad(IEnumerable<Tensor> parameters, float learningRate = 1e-2f, float eps = 1e-10f,
                            DecayKind decay = DecayKind.None, float decayRate = 0f) : Optimizer(parameters, learningRate, decay, decayRate)
{
    private readonly List<Tensor?> _sum = new();

    protected override void Update(int i, Tensor p, Tensor g)
    {
        var s = State(_sum, i, p);
        s.AddInPlace(g.Square());
        p.AddInPlace(g / (s.Sqrt() + eps), -LearningRate);
    }
}

/// <summary>
/// Stochastic-gradient Langevin dynamics: θ ← θ − η·g + √(2ηT)·ξ. At temperature T the stationary
/// density is ∝ exp(−L(θ)/T) (for small η); T = 0 is plain SGD.
/// </summary>
public sealed class Sgld(IEnumerable<Tensor> parameters, float learningRate, float temperature, Generator gen,
                         DecayKind decay = DecayKind.None, float decayRate = 0f) : Optimizer(parameters, learningRate, decay, decayRate)
{
    public float Temperature { get; set; } = temperature >= 0 ? temperature : throw new GibbsException($"SGLD temperature must be ≥ 0, got {temperature}");

    protected override void Update(int i, Tensor p, Tensor g)
    {
        p.AddInPlace(g, -LearningRate);
        if (Temperature > 0)
            p.AddInPlace(Tensor.Randn(p.Shape, gen, 0f, MathF.Sqrt(2f * LearningRate * Temperature), p.Device));
    }
}
