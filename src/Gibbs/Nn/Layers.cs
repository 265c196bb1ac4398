// Basic layers: Linear (x·W + b, W stored [in×out]; binary inputs by BinaryInput), Maxout, activations, Dropout, Sequential.
using Gibbs.Rng;

namespace Gibbs.Nn;

/// <summary>y = x·W + b. x: [N×in], W: [in×out], b: [out], y: [N×out].</summary>
public sealed class Linear : Module
{
    public Linear(int inFeatures, int outFeatures, Generator gen, InitKind init = InitKind.GlorotUniform, bool bias = true, Backends.Device? device = null)
    {
        if (inFeatures < 1 || outFeatures < 1) throw new GibbsException($"Linear needs positive sizes, got {inFeatures}→{outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        W = Parameter("W", Init.Weight(inFeatures, outFeatures, init, gen, device));
        B = bias ? Parameter("b", Tensor.Zeros([outFeatures], device)) : null;
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor W { get; }
    public Tensor? B { get; }

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != InFeatures)
            throw new ShapeException($"Linear({InFeatures}→{OutFeatures}) expects [N×{InFeatures}] input, got {Tensor.Format(x.Shape)}");
        var y = BinaryInput.TryMatMul(x, W) ?? Tensor.MatMul(x, W); // binary data rows: sum the rows of W the ones pick
        return B is null ? y : y + B;
    }

    /// <summary>
    /// act(x·W + b): this layer followed by the non-linearity <paramref name="activation"/>, with the bias add and the
    /// non-linearity in one launch where the backend has fused kernels (<see cref="Tensor.BiasActivation"/>); the same
    /// values and gradients as <c>Activation.Apply(activation, Forward(x))</c>. Sequential uses it for a Linear followed
    /// by an Activation.
    /// </summary>
    public Tensor Forward(Tensor x, ActivationKind activation)
    {
        if (B is null || activation == ActivationKind.Identity) return Activation.Apply(activation, Forward(x));
        if (x.Rank != 2 || x.Dim(1) != InFeatures)
            throw new ShapeException($"Linear({InFeatures}→{OutFeatures}) expects [N×{InFeatures}] input, got {Tensor.Format(x.Shape)}");
        var y = BinaryInput.TryMatMul(x, W) ?? Tensor.MatMul(x, W);
        return Tensor.BiasActivation(y, B, Activation.ToUnaryOp(activation));
    }
}

/// <summary>Maxout layer (Goodfellow et al. 2013): a Linear to out·k units, then the max over each group of k. [N×in] → [N×out].</summary>
public sealed class Maxout : Module
{
    private readonly Linear _linear;

    public Maxout(int inFeatures, int outFeatures, int k, Generator gen, InitKind init = InitKind.GlorotUniform, Backends.Device? device = null)
    {
        K = k;
        _linear = Child("linear", new Linear(inFeatures, outFeatures * k, gen, init, true, device));
    }

    public int K { get; }

    public override Tensor Forward(Tensor x) => _linear.Forward(x).Maxout(K);
}

public enum ActivationKind { Identity, Tanh, Sigmoid, Relu, Softplus }

/// <summary>An elementwise non-linearity as a module.</summary>
public sealed class Activation(ActivationKind kind) : Module
{
    public ActivationKind Kind { get; } = kind;

    public override Tensor Forward(Tensor x) => Apply(Kind, x);

    /// <summary>The non-linearity <paramref name="kind"/> applied to x.</summary>
    public static Tensor Apply(ActivationKind kind, Tensor x) => kind switch
    {
        ActivationKind.Identity => x,
        ActivationKind.Tanh => x.Tanh(),
        ActivationKind.Sigmoid => x.Sigmoid(),
        ActivationKind.Relu => x.Relu(),
        ActivationKind.Softplus => x.Softplus(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The backend op of <paramref name="kind"/> (Copy for Identity).</summary>
    internal static Backends.UnaryOp ToUnaryOp(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => Backends.UnaryOp.Copy,
        ActivationKind.Tanh => Backends.UnaryOp.Tanh,
        ActivationKind.Sigmoid => Backends.UnaryOp.Sigmoid,
        ActivationKind.Relu => Backends.UnaryOp.Relu,
        ActivationKind.Softplus => Backends.UnaryOp.Softplus,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>Inverted dropout: in training, zero each unit with probability p and scale the rest by 1/(1−p); identity in eval.</summary>
public sealed class Dropout : Module
{
    private readonly Generator _gen;

    public Dropout(float p, Generator gen)
    {
        if (p is < 0f or >= 1f) throw new GibbsException($"dropout probability must be in [0, 1), got {p}");
        P = p;
        _gen = gen;
    }

    public float P { get; }

    public override Tensor Forward(Tensor x)
    {
        if (!Training || P == 0f) return x;
        using var keep = Tensor.FullLike(x, 1f - P).Untrack();
        return x * Tensor.Bernoulli(keep, _gen) * (1f / (1f - P));
    }
}

/// <summary>Modules applied in order; children are named "0", "1", ….</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers;

    public Sequential(params Module[] layers)
    {
        _layers = layers.ToList();
        for (int i = 0; i < layers.Length; i++) Child(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }

    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>Each layer in order; a Linear followed by an Activation runs as one fused step (<see cref="Linear.Forward(Tensor, ActivationKind)"/>).</summary>
    public override Tensor Forward(Tensor x)
    {
        for (int i = 0; i < _layers.Count; i++)
        {
            if (_layers[i] is Linear linear && i + 1 < _layers.Count && _layers[i + 1] is Activation activation)
            {
                x = linear.Forward(x, activation.Kind);
                i++;
            }
            else x = _layers[i].Forward(x);
        }
        return x;
    }
}
