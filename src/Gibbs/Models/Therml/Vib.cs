// The variational information bottleneck at data scale (001_ada2633fde8fc741.txt §3, "VIB"; Alemi et al. 2017), built
// as alexalemi/vib_demo builds it: the input mapped to 2x − 1, a ReLU encoder 784-1024-1024 whose last layer is linear to
// 2K numbers (μ, ρ), the posterior p(z|x) = N(μ, diag σ²) with σ = softplus(ρ − 5), the prior q(z) = N(0, I), and a
// softmax classifier q(y|z) = softmax(z·W + b) (one Linear K → classes). Weights Glorot-uniform, biases 0 (TensorFlow's
// layers' defaults). Per example:
//   R = KL(N(μ, σ²) ‖ N(0, I)) = Σ_k ½(μ_k² + σ_k² − 1) − log σ_k          (eq. 11 with q(z) = N(0, I); nats; /ln 2 for bits)
//   C = E_{z~p(z|x)} −log q(y|z), by reparameterised draws z = μ + σ·ε     (eq. 12)
// Test-time prediction averages the class *probabilities* of S draws (vib_demo: 12): p̂(y|x) = (1/S) Σ_s softmax(logits(z_s)).
// The deterministic baseline is the same net read at z = μ. Not here: the training loop (DataScaleTrainer) and the
// β-VAE (BetaVae, on the Gibbs machine).
using System.Globalization;
using Gibbs.IO;
using Gibbs.Nn;
using Gibbs.Rng;

namespace Gibbs.Models.Therml;

public sealed class Vib : Module
{
    /// <summary>vib_demo's offset on the scale's pre-activation: σ = softplus(ρ − 5), so σ starts near 0.0067.</summary>
    public const float ScaleOffset = 5f;

    private readonly List<Linear> _encoder = [];
    private readonly Linear _head, _classifier;

    /// <param name="sizes">input, hidden layers…, K (latents): e.g. [784, 1024, 1024, 256].</param>
    /// <param name="classes">Classes of the softmax classifier from z.</param>
    /// <param name="gen">Draws the initial weights.</param>
    public Vib(IReadOnlyList<int> sizes, int classes, Generator gen, Backends.Device? device = null)
    {
        if (sizes.Count < 2 || sizes.Any(s => s < 1))
            throw new GibbsException($"a VIB needs positive sizes input-hidden…-latent, got {string.Join('-', sizes)}");
        if (classes < 2) throw new GibbsException($"a classifier needs at least 2 classes, got {classes}");
        Sizes = [.. sizes];
        Classes = classes;
        int width = Sizes[0];
        for (int i = 1; i < Sizes.Length - 1; i++)
            _encoder.Add(Child($"encoder{i - 1}", new Linear(width, width = Sizes[i], gen, InitKind.GlorotUniform, device: device)));
        _head = Child("head", new Linear(width, 2 * Latent, gen, InitKind.GlorotUniform, device: device)); // [μ | ρ]
        _classifier = Child("classifier", new Linear(Latent, classes, gen, InitKind.GlorotUniform, device: device));
    }

    /// <summary>input, hidden layers, K.</summary>
    public int[] Sizes { get; }
    public int Features => Sizes[0];
    public int Latent => Sizes[^1];
    public int Classes { get; }

    /// <summary>"784-1024-1024-256": input, hidden layers, latent units.</summary>
    public string Architecture => string.Join('-', Sizes);

    /// <summary>Parses "784-1024-1024-256" (at least input and latent).</summary>
    public static int[] ParseArchitecture(string text)
    {
        var parts = (text ?? "").Split('-', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw new GibbsException($"--arch '{text}': '{parts[i]}' is not a positive layer size; write input-hidden…-latent, e.g. 784-1024-1024-256");
        if (sizes.Length < 2) throw new GibbsException($"--arch '{text}': give at least the input width and the latent units, e.g. 784-1024-1024-256");
        return sizes;
    }

    /// <summary>The posterior's parameters for rows x [N×features] in [0, 1]: μ and σ, each [N×K].</summary>
    public (Tensor Mu, Tensor Sigma) Encode(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Features)
            throw new ShapeException($"this VIB ({Architecture}) takes [N×{Features}] rows, got {Tensor.Format(x.Shape)}");
        var h = x * 2f - 1f;
        foreach (var layer in _encoder) h = layer.Forward(h).Relu();
        var head = _head.Forward(h);
        return (head.Slice(1, 0, Latent), (head.Slice(1, Latent, Latent) - ScaleOffset).Softplus());
    }

    /// <summary>The rate per example, R = KL(N(μ, σ²) ‖ N(0, I)) in nats, for μ, σ [N×K] → [N].</summary>
    public static Tensor Rate(Tensor mu, Tensor sigma) => Distributions.Normal.KlToStandard(mu, sigma.Log() * 2f).Sum(1);

    /// <summary>Standard normal noise ε for <paramref name="draws"/> draws of N rows, [draws×N×K] (the trainer's and the tests' one path).</summary>
    public Tensor Noise(int draws, int rows, Generator gen) => Tensor.Randn([draws, rows, Latent], gen, 0f, 1f, Device);

    /// <summary>Class logits for latents z [..×K] → [..×classes].</summary>
    public Tensor Logits(Tensor z)
    {
        if (z.Rank == 2) return _classifier.Forward(z);
        var shape = z.Shape;
        return _classifier.Forward(z.Reshape(-1, Latent)).Reshape([.. shape[..^1], Classes]);
    }

    /// <summary>Logits of the deterministic read-out z = μ(x), [N×classes].</summary>
    public override Tensor Forward(Tensor x) => Logits(Encode(x).Mu);

    /// <summary>
    /// The batch means of R and C for rows x [N×features] with labels [N] (float class indices): one draw z = μ + σ·ε per
    /// row from <paramref name="noise"/> [1×N×K] (or z = μ when null: the deterministic encoder). Differentiable.
    /// </summary>
    public (Tensor Rate, Tensor Classification) Terms(Tensor x, Tensor labels, Tensor? noise)
    {
        var (mu, sigma) = Encode(x);
        var rate = Rate(mu, sigma).Mean();
        var z = noise is null ? mu : mu + sigma * noise.Reshape(x.Dim(0), Latent);
        return (rate, Tensor.CrossEntropy(Logits(z), labels));
    }

    /// <summary>
    /// Test-time prediction for rows x [N×features]: the class probabilities averaged over S draws z_s = μ + σ·ε_s
    /// (probabilities, not logits: p̂(y|x) = (1/S) Σ_s softmax(logits(z_s))), [N×classes]; also the mean over draws and
    /// rows of −log q(y|z_s) when labels are given (C), and R per row. No gradient.
    /// </summary>
    public (Tensor Probabilities, Tensor Rate, Tensor LogLikelihoods) Predict(Tensor x, int samples, Generator gen)
    {
        if (samples < 1) throw new GibbsException($"test-time averaging needs at least 1 draw, got {samples}");
        using var _ = Tensor.NoGrad();
        var (mu, sigma) = Encode(x);
        var z = mu + sigma * Noise(samples, x.Dim(0), gen);        // [S×N×K]
        var logp = Logits(z).LogSoftmax(2);                          // [S×N×C]
        return (logp.Exp().Mean(0), Rate(mu, sigma), logp);
    }

    public Dictionary<string, string> Config() => new()
    {
        ["model"] = "therml-vib", ["arch"] = Architecture, ["classes"] = Classes.ToString(CultureInfo.InvariantCulture),
        ["scale"] = "softplus(rho - 5)", ["input"] = "2x - 1",
    };

    public const string Format = "gibbs-therml-vib";

    /// <summary>Writes the model file: the state dict and <see cref="Config"/> (+ <paramref name="extraMetadata"/>), atomically.</summary>
    public void SaveFile(string path, IReadOnlyDictionary<string, string>? extraMetadata = null) => ModuleFile.Save(this, path, Config(), Format, extraMetadata);

    public static (Vib Model, IReadOnlyDictionary<string, string> Metadata) LoadFile(string path, Backends.Device? device = null) =>
        ModuleFile.Load(path, Format, "gibbs therml train --preset vib", config =>
        {
            string Get(string k) => config.TryGetValue(k, out var v) ? v : throw new GibbsFormatException($"{path}: not a VIB file (no '{k}' in its metadata); pass a file written by `gibbs therml train --preset vib`");
            if (Get("model") != "therml-vib") throw new GibbsFormatException($"{path}: holds a '{config["model"]}', not a VIB");
            try
            {
                return new Vib(ParseArchitecture(Get("arch")), int.TryParse(Get("classes"), NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : -1,
                    new Generator(0), device);
            }
            catch (GibbsException e) when (e is not GibbsFormatException) { throw new GibbsFormatException($"{path}: corrupt metadata: {e.Message}"); }
        }, device);
}
