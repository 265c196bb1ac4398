// The deep energy model (DEM) of 002_d7648fe8bb9cfc6d.txt §3.1, eq. 11:
//   E(x) = xᵀx/σ² − bᵀx − Σᵢ softplus(Wᵢᵀ f(x) + cᵢ)
// with an MLP feature extractor f whose last layer is bounded (tanh or sigmoid). That bound is what makes e^{−E}
// integrable: each expert's softplus is then bounded, so e^{−E} ≤ const · e^{−xᵀx/σ² + bᵀx}, a Gaussian. The
// construction enforces it (an unbounded feature activation is refused). σ² is learnt as log σ² (one scalar; the seed's
// "global variance"), b is the visible bias ("the mean"). Architecture "2-128-128-4": input, hidden layers (the last is
// f's output), experts. Hidden layers before the last use ReLU (the authors' Theano code) unless told otherwise.
using System.Globalization;
using Gibbs.Nn;
using Gibbs.Rng;

namespace Gibbs.Models.Dem;

public sealed class DeepEnergyModel : Module
{
    private readonly List<Linear> _features = [];
    private readonly Linear _experts;
    private readonly Tensor _logSigma2, _visibleBias;

    /// <param name="sizes">input, hidden layers… (at least one: the last is the feature layer), experts: e.g. [2, 128, 128, 4].</param>
    /// <param name="hidden">Activation of the hidden layers before the feature layer.</param>
    /// <param name="features">The feature layer's activation: Tanh or Sigmoid (bounded, so e^{−E} is integrable).</param>
    public DeepEnergyModel(IReadOnlyList<int> sizes, Generator gen, ActivationKind hidden = ActivationKind.Relu, ActivationKind features = ActivationKind.Tanh,
                           Backends.Device? device = null)
    {
        if (sizes.Count < 3 || sizes.Any(s => s < 1))
            throw new GibbsException($"a deep energy model needs positive sizes input-hidden…-experts with at least one hidden (feature) layer, got {string.Join('-', sizes)}");
        if (features is not (ActivationKind.Tanh or ActivationKind.Sigmoid))
            throw new GibbsException($"the feature layer's activation must be bounded (tanh or sigmoid), got {features.ToString().ToLowerInvariant()}: with unbounded features e^(−E) need not be integrable (002 eq. 11)");
        Sizes = [.. sizes];
        Hidden = hidden;
        FeatureActivation = features;
        int width = Sizes[0];
        for (int i = 1; i < Sizes.Length - 1; i++)
            _features.Add(Child($"f{i - 1}", new Linear(width, width = Sizes[i], gen, InitKind.GlorotUniform, device: device)));
        _experts = Child("experts", new Linear(width, Experts, gen, InitKind.GlorotUniform, device: device));
        _logSigma2 = Parameter("log_sigma2", Tensor.Zeros([1], device));
        _visibleBias = Parameter("b", Tensor.Zeros([Inputs], device));
    }

    /// <summary>input, hidden layers, experts.</summary>
    public int[] Sizes { get; }
    public int Inputs => Sizes[0];
    public int Experts => Sizes[^1];
    public ActivationKind Hidden { get; }
    public ActivationKind FeatureActivation { get; }
    public string Architecture => string.Join('-', Sizes);

    /// <summary>log σ² [1]: the global scale of the quadratic term.</summary>
    public Tensor LogSigma2 => _logSigma2;
    /// <summary>b [inputs].</summary>
    public Tensor VisibleBias => _visibleBias;
    /// <summary>The expert layer (W [features×experts], c [experts]).</summary>
    public Linear ExpertLayer => _experts;
    public IReadOnlyList<Linear> FeatureLayers => _features;

    /// <summary>Sets σ² and b so that the quadratic part alone, ∝ exp(−xᵀx/σ² + bᵀx), is the isotropic Gaussian with the data's
    /// mean m and variance v per input (σ² = 2v, b = 2m/σ²): the data-dependent start of a fit.</summary>
    public void InitialiseFromData(ReadOnlySpan<float> x)
    {
        int d = Inputs, n = x.Length / d;
        if (n < 2 || x.Length % d != 0) throw new GibbsException($"the energy model's initialisation needs at least 2 rows of {d} values, got {x.Length} values");
        var mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[i * d + j] / (double)n;
        double ss = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) { double u = x[i * d + j] - mean[j]; ss += u * u; }
        double variance = Math.Max(ss / ((double)n * d), 1e-4), sigma2 = 2 * variance;
        using var _ = Tensor.NoGrad();
        _logSigma2.CopyFrom([(float)Math.Log(sigma2)]);
        _visibleBias.CopyFrom(mean.Select(m => (float)(2 * m / sigma2)).ToArray());
    }

    /// <summary>f(x): the bounded features, [N×inputs] → [N×features].</summary>
    public Tensor Features(Tensor x)
    {
        CheckInput(x);
        var h = x;
        for (int i = 0; i < _features.Count; i++)
            h = _features[i].Forward(h, i == _features.Count - 1 ? FeatureActivation : Hidden);
        return h;
    }

    /// <summary>E(x) per row, eq. 11: [N×inputs] → [N]. Differentiable in the parameters and in x.</summary>
    public Tensor Energy(Tensor x)
    {
        var quadratic = x.Square().Sum(1) * (-_logSigma2).Exp();
        var linear = x.MatMul(_visibleBias.Reshape(Inputs, 1)).Reshape(x.Dim(0));
        var experts = _experts.Forward(Features(x)).Softplus().Sum(1);
        return quadratic - linear - experts;
    }

    /// <summary>E(x) → [N] for the default Forward.</summary>
    public override Tensor Forward(Tensor x) => Energy(x);

    /// <summary>∇ₓE [N×inputs] at rows x (no parameter gradient is kept).</summary>
    public Tensor InputGradient(Tensor x)
    {
        using var _ = Autograd.EnableGrad();
        var leaf = x.Detach().RequireGrad();
        return Autograd.Grad(Energy(leaf).Sum(), [leaf])[0];
    }

    /// <summary>Energies of rows x [N×inputs] in float64, evaluated without gradient in chunks (for grids and scores).</summary>
    public double[] Energies(ReadOnlySpan<float> x, int chunk = 4096)
    {
        int d = Inputs, n = x.Length / d;
        if (x.Length % d != 0) throw new GibbsException($"the energy takes rows of {d} values, got {x.Length} values");
        var e = new double[n];
        bool training = Training;
        Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            for (int s = 0; s < n; s += chunk)
            {
                using var scope = TensorScope.Begin();
                int m = Math.Min(chunk, n - s);
                var values = Energy(Tensor.FromArray(x.Slice(s * d, m * d), [m, d], Device)).ToArray();
                for (int i = 0; i < m; i++) e[s + i] = values[i];
            }
        }
        finally { Train(training); }
        return e;
    }

    private void CheckInput(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Inputs)
            throw new ShapeException($"this energy model ({Architecture}) takes [N×{Inputs}] rows, got {Tensor.Format(x.Shape)}");
    }

    public Dictionary<string, string> Config(string prefix = "dem.") => new()
    {
        [prefix + "arch"] = Architecture,
        [prefix + "hidden"] = Hidden.ToString().ToLowerInvariant(),
        [prefix + "features"] = FeatureActivation.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses "2-128-128-4" (input, hidden layers, experts; at least three sizes).</summary>
    public static int[] ParseArchitecture(string text, string option = "--dem-arch")
    {
        var parts = (text ?? "").Split('-', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw new GibbsException($"{option} '{text}': '{parts[i]}' is not a positive layer size; write input-hidden…-last, e.g. 2-128-128-4");
        if (sizes.Length < 3) throw new GibbsException($"{option} '{text}': give the input width, at least one hidden layer and the last size, e.g. 2-128-128-4");
        return sizes;
    }
}
