// The Gibbs machine of 000_c7b547386cdeff84.txt §3 (Georgiev 2015): a fully-generative net with a tanh MLP encoder
// giving, per latent unit, the location μ and log-scale log σ of a Gibbs-class posterior p(z|x) (a registered
// ILatentFamily), and a tanh MLP decoder giving the reconstruction density p_rec(x|z) — Bernoulli (sigmoid logits,
// App. A) or Gaussian (a learned per-feature σ_x) for real-valued data. Weights start as N(0,1)/(√P+√N) (App. A),
// biases at 0. The joint density is p(x, z) = p(z)·p_rec(x|z) (eq. 3.3), and per observation
//   B(x) = D_gen(x) − log L_rec(x)   (eq. 3.8),  D_gen = D(p(z|x) ‖ p(z)) in closed form,  −log L_rec = E_p(z|x)[−log p_rec(x|z)],
// an upper bound on −log q(x) whose gap is the variational error D_var (eq. 3.7). Training objectives and the honest
// likelihood are in GibbsMachine.Objectives.cs and GibbsMachine.Likelihood.cs.
using Gibbs.Data;
using Gibbs.Nn;
using Gibbs.Rng;

namespace Gibbs.Models.Gm;

public enum ReconstructionKind { Bernoulli, Gaussian }

public sealed partial class GibbsMachine : Module
{
    private const float HalfLog2Pi = 0.918938533f;
    private readonly List<Linear> _encoder = [], _decoder = [];
    private readonly Linear _mu, _logSigma, _output;

    /// <param name="arch">Layer sizes, e.g. <c>GmArchitecture.Parse("784-700-400-700-784")</c>.</param>
    /// <param name="latent">The latent family (<see cref="LatentFamilies.Get"/>).</param>
    /// <param name="reconstruction">Bernoulli (binary data, logits) or Gaussian (real-valued data).</param>
    /// <param name="gen">Draws the initial weights.</param>
    /// <param name="symmetry">With symmetry statistics as four extra latents (GmSymmetry.Fit on the training images), or null.
    /// In canonical mode the encoder reads and the decoder draws (2M+1)² canonical images, and the output is warped back.</param>
    public GibbsMachine(GmArchitecture arch, ILatentFamily latent, ReconstructionKind reconstruction, Generator gen, Backends.Device? device = null,
                        GmSymmetry? symmetry = null)
    {
        Architecture = arch;
        Latent = latent;
        Reconstruction = reconstruction;
        Symmetry = symmetry;
        if (symmetry is not null)
        {
            if (symmetry.Side * symmetry.Side != arch.Input)
                throw new GibbsException($"symmetry statistics need square images of the model's width: {arch.Input} is not {symmetry.Side}×{symmetry.Side}");
            _symMean = Buffer("symmetry_mean", Tensor.FromArray(symmetry.Mean, [1, GmSymmetry.Units], device));
            _symSd = Buffer("symmetry_sd", Tensor.FromArray(symmetry.Sd, [1, GmSymmetry.Units], device));
            SymmetryLogSigma = Parameter("symmetry_log_sigma", Tensor.Zeros([1, GmSymmetry.Units], device));
            if (symmetry.Frame is not null)
            {
                // Starts at the data's border: its logit for Bernoulli (clamped to [1e-3, 1 − 1e-3]), its value for Gaussian.
                double e = Math.Clamp(symmetry.EdgeMean, 1e-3, 1 - 1e-3);
                float start = reconstruction == ReconstructionKind.Bernoulli ? (float)Math.Log(e / (1 - e)) : symmetry.EdgeMean;
                _background = Parameter("canonical_background", Tensor.FromArray([start], [1], device));
            }
        }
        var frame = symmetry?.Frame;
        int canonical = frame is null ? arch.Input : frame.CanonicalSide * frame.CanonicalSide;
        int width = canonical;
        for (int i = 0; i < arch.Encoder.Count; i++)
            _encoder.Add(Child($"encoder{i}", new Linear(width, width = arch.Encoder[i], gen, InitKind.Georgiev, device: device)));
        _mu = Child("mu", new Linear(width, arch.Latent, gen, InitKind.Georgiev, device: device));
        _logSigma = Child("log_sigma", new Linear(width, arch.Latent, gen, InitKind.Georgiev, device: device));
        width = frame is null ? LatentSize : arch.Latent; // canonical: the symmetry latents act through the warp only
        for (int i = 0; i < arch.Decoder.Count; i++)
            _decoder.Add(Child($"decoder{i}", new Linear(width, width = arch.Decoder[i], gen, InitKind.Georgiev, device: device)));
        _output = Child("output", new Linear(width, canonical, gen, InitKind.Georgiev, device: device));
        if (reconstruction == ReconstructionKind.Gaussian) OutputLogSigma = Parameter("output_log_sigma", Tensor.Zeros([arch.Output], device));
    }

    public GmArchitecture Architecture { get; }
    public ILatentFamily Latent { get; }
    public ReconstructionKind Reconstruction { get; }
    public int Features => Architecture.Input;

    /// <summary>All latent units: the architecture's latent layer, plus 4 with symmetry statistics (h, v, r, angle last).</summary>
    public int LatentSize => Architecture.Latent + (Symmetry is null ? 0 : GmSymmetry.Units);

    /// <summary>The symmetry statistics' standardisation when they are latents, else null.</summary>
    public GmSymmetry? Symmetry { get; }

    /// <summary>The learned log-scales of the four symmetry latents [1×4] (null without symmetry statistics).</summary>
    public Tensor? SymmetryLogSigma { get; }

    private readonly Tensor? _symMean, _symSd, _background;

    /// <summary>The learned background logit (Gaussian: mean) of pixels the canonical image does not cover (canonical mode), else null.</summary>
    public Tensor? CanonicalBackground => _background;

    /// <summary>log σ_x per feature of the Gaussian reconstruction density (null for Bernoulli).</summary>
    public Tensor? OutputLogSigma { get; }

    /// <summary>The posterior's parameters: x [N×features] → (μ, log σ), each [N×latent].</summary>
    public (Tensor Mu, Tensor LogSigma) Encode(Tensor x)
    {
        CheckInput(x);
        if (Symmetry is null) return EncodeMlp(x);
        // The statistics of the images themselves (no gradient: they are computed, not learned), standardised.
        int n = x.Dim(0);
        var images = x.ToArray();
        var raw = SymmetryStatistics.Compute(images, n, Symmetry.Side);
        var (mu, logSigma) = EncodeMlp(Symmetry.Frame is { } frame ? Tensor.FromArray(frame.Normalize(images, n, raw), [n, frame.CanonicalSide * frame.CanonicalSide], x.Device) : x);
        var stats = Tensor.FromArray(GmSymmetry.Raw(raw, Symmetry.Frame), [n, GmSymmetry.Units], x.Device);
        var location = (stats - _symMean!) / _symSd!;
        return (Tensor.Concat([mu, location], 1), Tensor.Concat([logSigma, SymmetryLogSigma!.Expand([n, GmSymmetry.Units])], 1));
    }

    private (Tensor Mu, Tensor LogSigma) EncodeMlp(Tensor x)
    {
        var h = x;
        foreach (var layer in _encoder) h = layer.Forward(h, ActivationKind.Tanh);
        return (_mu.Forward(h), _logSigma.Forward(h));
    }

    /// <summary>The raw statistics (h, v, r, angle or rotation) a standardised symmetry latent z stands for: z·sd + mean.</summary>
    public float[] SymmetryValues(ReadOnlySpan<float> standardised)
    {
        if (Symmetry is null) throw new GibbsException("this Gibbs machine has no symmetry latents (train with --symmetry)");
        // From the buffers, not Symmetry's arrays: a loaded model's record holds placeholders, its buffers the saved values.
        float[] mean = _symMean!.ToArray(), sd = _symSd!.ToArray();
        var v = new float[standardised.Length];
        for (int i = 0; i < v.Length; i++) v[i] = standardised[i] * sd[i % GmSymmetry.Units] + mean[i % GmSymmetry.Units];
        return v;
    }

    /// <summary>The decoder's output for latents z [..×latent]: Bernoulli logits or Gaussian means, [..×features].</summary>
    public Tensor Decode(Tensor z)
    {
        var shape = z.Shape;
        var h = z.Rank == 2 ? z : z.Reshape(-1, LatentSize);
        var frame = Symmetry?.Frame;
        var sym = frame is null ? null : h.Slice(1, Architecture.Latent, GmSymmetry.Units);
        if (frame is not null) h = h.Slice(1, 0, Architecture.Latent);
        foreach (var layer in _decoder) h = layer.Forward(h, ActivationKind.Tanh);
        var y = _output.Forward(h);
        if (frame is not null) y = GmCanonicalWarp.Apply(y, sym! * _symSd! + _symMean!, _background!, frame); // canonical → original grid
        return z.Rank == 2 ? y : y.Reshape([.. shape[..^1], Features]);
    }

    /// <summary>The reconstruction mean E[x|z] from <see cref="Decode"/>'s output: σ(logits) or the Gaussian means.</summary>
    public Tensor Mean(Tensor decoded) => Reconstruction == ReconstructionKind.Bernoulli ? decoded.Sigmoid() : decoded;

    /// <summary>x ↦ the reconstruction mean at the posterior location μ(x) (deterministic). [N×features].</summary>
    public override Tensor Forward(Tensor x) => Mean(Decode(Encode(x).Mu));

    /// <summary>log p_rec(x|z) summed over features: decoded [..×N×features], x [N×features] (broadcast) → [..×N].</summary>
    public Tensor ReconstructionLogLikelihood(Tensor x, Tensor decoded)
    {
        if (Reconstruction == ReconstructionKind.Bernoulli)
            return (-Tensor.BinaryCrossEntropyWithLogits(decoded, x)).Sum(decoded.Rank - 1);
        var ls = OutputLogSigma!;
        return (((x - decoded) * (-ls).Exp()).Square() * -0.5f - ls - HalfLog2Pi).Sum(decoded.Rank - 1);
    }

    /// <summary>n draws from the model in the creative regime (§3.3): z ~ p(z), then E[x|z]. [n×features].</summary>
    public Tensor SamplePrior(int n, Generator gen)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var zeros = Tensor.Zeros([n, LatentSize], Device);
        var z = Latent.Sample(zeros, zeros, Latent.Noise([n, LatentSize], gen, Device));
        return Mean(Decode(z)).MoveToOuterScope();
    }

    internal void CheckInput(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Features)
            throw new ShapeException($"this Gibbs machine ({Architecture}) takes [N×{Features}] rows, got {Tensor.Format(x.Shape)}");
    }

    /// <summary>The configuration saved beside the weights (RebuildFrom reads it back).</summary>
    public Dictionary<string, string> Config() => new()
    {
        ["model"] = "gibbs-machine", ["arch"] = Architecture.ToString(), ["latent"] = Latent.Name,
        ["reconstruction"] = Reconstruction.ToString().ToLowerInvariant(),
        ["symmetry"] = Symmetry is null ? "none" : Symmetry.Frame is null ? "h,v,r,angle" : "canonical h,v,r,rotation",
        ["symmetry_frame"] = Symmetry?.Frame is { } f ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f.C:R},{f.M},{f.MinR:R}") : "none",
    };

    /// <summary>A model of the shape a saved configuration describes (weights to be loaded after).</summary>
    public static GibbsMachine FromConfig(IReadOnlyDictionary<string, string> config, string where, Backends.Device? device = null)
    {
        string Get(string k) => config.TryGetValue(k, out var v) ? v : throw new GibbsFormatException($"{where}: not a Gibbs machine file (no '{k}' in its metadata); pass a file written by `gibbs gm train`");
        if (Get("model") != "gibbs-machine") throw new GibbsFormatException($"{where}: holds a '{config["model"]}', not a Gibbs machine; pass a file written by `gibbs gm train`");
        var rec = Get("reconstruction") switch
        {
            "bernoulli" => ReconstructionKind.Bernoulli,
            "gaussian" => ReconstructionKind.Gaussian,
            var r => throw new GibbsFormatException($"{where}: unknown reconstruction '{r}'"),
        };
        GmArchitecture arch;
        ILatentFamily latent;
        try { (arch, latent) = (GmArchitecture.Parse(Get("arch")), LatentFamilies.Get(Get("latent"))); }
        catch (GibbsException e) when (e is not GibbsFormatException) { throw new GibbsFormatException($"{where}: corrupt metadata: {e.Message}"); }
        var symmetry = config.GetValueOrDefault("symmetry", "none") switch
        {
            "none" => null,
            "h,v,r,angle" when (int)Math.Round(Math.Sqrt(arch.Input)) is var side && side * side == arch.Input =>
                new GmSymmetry(side, new float[GmSymmetry.Units], Enumerable.Repeat(1f, GmSymmetry.Units).ToArray()), // the buffers load after
            "canonical h,v,r,rotation" when (int)Math.Round(Math.Sqrt(arch.Input)) is var side && side * side == arch.Input =>
                new GmSymmetry(side, new float[GmSymmetry.Units], Enumerable.Repeat(1f, GmSymmetry.Units).ToArray(), Frame(Get("symmetry_frame"), side, where)),
            var v => throw new GibbsFormatException($"{where}: unknown symmetry latents '{v}'"),
        };
        return new GibbsMachine(arch, latent, rec, new Generator(0), device, symmetry);
    }

    // "C,M,MinR" as Config writes it.
    private static Data.SymmetryTransform Frame(string text, int side, string where)
    {
        var p = text.Split(',');
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (p.Length == 3 && double.TryParse(p[0], inv, out double c) && int.TryParse(p[1], inv, out int m) && double.TryParse(p[2], inv, out double minR))
        {
            try { return new Data.SymmetryTransform(side, c, m, minR); }
            catch (GibbsException e) { throw new GibbsFormatException($"{where}: corrupt metadata: {e.Message}"); }
        }
        throw new GibbsFormatException($"{where}: corrupt metadata: symmetry_frame '{text}' is not 'C,M,MinR'");
    }
}
