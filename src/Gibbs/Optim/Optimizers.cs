// SGD with momentum, Adam (Kingma & Ba 2015), AdaGrad (Duchi et al. 2011) and SGLD (Welling & Teh
// 2011): θ ← θ − η·g + √(2ηT)·ξ, ξ ~ N(0, I), sampling exp(−L/T) — the temperature σ of
// 001_ada2633fde8fc741.txt §3.1, eq. 24. SGD and Adam are one fused backend pass per parameter.
using Gibbs.Rng;

namespace Gibbs.Optim;

/// <summary>g′ = g + decay; v ← μ·v + g′; θ ← θ − η·v (or θ − η·(g′ + μ·v) with Nesterov). PyTorch's convention.</summary>
public sealed class Sgd(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0f, bool nesterov = false,
                        DecayKind decay = DecayKind.None, float decayRate = 0f, IEnumerable<Tensor>? decayed = null)
    : Optimizer(parameters, learningRate, decay, decayRate, decayed)
{
    public float Momentum { get; } = momentum is >= 0f and < 1f ? momentum : throw new GibbsException($"momentum must be in [0, 1), got {momentum}");

    public bool Nesterov { get; } = nesterov;

    public override string Kind => "sgd";

    protected override void Update(int i, Tensor p, Tensor g)
    {
        var (l2, l1) = DecayOf(i);
        var v = Momentum > 0 ? State("velocity", i) : null;
        p.Backend.SgdStep(p.Storage, g.Storage, v?.Storage, p.Length, RateOf(i), Momentum, Nesterov, l2, l1);
    }
}

/// <summary>m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η·m̂/(√v̂ + ε) with bias-corrected m̂, v̂.</summary>
public sealed class Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f,
                         DecayKind decay = DecayKind.None, float decayRate = 0f, IEnumerable<Tensor>? decayed = null)
    : Optimizer(parameters, learningRate, decay, decayRate, decayed)
{
    public override string Kind => "adam";

    protected override void Update(int i, Tensor p, Tensor g)
    {
        var m = State("m", i);
        var v = State("v", i);
        float c1 = 1f - MathF.Pow(beta1, Steps), c2 = 1f - MathF.Pow(beta2, Steps);
        var (l2, l1) = DecayOf(i);
        if (l2 != 0 || l1 != 0) g = g + p * l2 + p.Sign() * l1;
        p.Backend.AdamStep(p.Storage, g.Storage, m.Storage, v.Storage, p.Length, RateOf(i), beta1, beta2, eps, c1, c2);
    }
}

/// <summary>G ← G + g²; θ ← θ − η·g/(√G + ε).</summary>
public sealed class AdaGrad(IEnumerable<Tensor> parameters, float learningRate = 1e-2f, float eps = 1e-10f,
                            DecayKind decay = DecayKind.None, float decayRate = 0f, IEnumerable<Tensor>? decayed = null)
    : Optimizer(parameters, learningRate, decay, decayRate, decayed)
{
    public override string Kind => "adagrad";

    protected override void Update(int i, Tensor p, Tensor g)
    {
        var (l2, l1) = DecayOf(i);
        if (l2 != 0 || l1 != 0) g = g + p * l2 + p.Sign() * l1;
        var s = State("sum", i);
        s.AddInPlace(g.Square());
        p.AddInPlace(g / (s.Sqrt() + eps), -RateOf(i));
    }
}

/// <summary>
/// Stochastic-gradient Langevin dynamics: θ ← θ − η·g + √(2ηT)·ξ. At temperature T the stationary
/// density is ∝ exp(−L(θ)/T) (for small η); T = 0 is plain SGD. The noise comes from <paramref name="gen"/>,
/// whose state a checkpoint must hold too (<see cref="Generator"/>).
/// </summary>
public sealed class Sgld(IEnumerable<Tensor> parameters, float learningRate, float temperature, Generator gen,
                         DecayKind decay = DecayKind.None, float decayRate = 0f, IEnumerable<Tensor>? decayed = null)
    : Optimizer(parameters, learningRate, decay, decayRate, decayed)
{
    public float Temperature { get; set; } = temperature >= 0 ? temperature : throw new GibbsException($"SGLD temperature must be ≥ 0, got {temperature}");

    public Generator Generator { get; } = gen;

    public override string Kind => "sgld";

    protected override void Update(int i, Tensor p, Tensor g)
    {
        var (l2, l1) = DecayOf(i);
        p.Backend.SgdStep(p.Storage, g.Storage, null, p.Length, RateOf(i), 0f, false, l2, l1);
        if (Temperature > 0)
            p.AddInPlace(Tensor.Randn(p.Shape, Generator, 0f, MathF.Sqrt(2f * RateOf(i) * Temperature), p.Device));
    }
}
