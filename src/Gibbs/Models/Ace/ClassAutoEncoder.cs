// The auto-encoder branch of generative ACE (000_c7b547386cdeff84.txt §1.7.3, Fig. 5, §5.2): a shared tanh encoder
// 784-700, then per class c a latent head (μ_c, log σ_c) of N_lat units and a tanh decoder N_lat-700-784 with
// Bernoulli logits — the seed's 784-700-(N_lat×10)-(700×10)-(784×10). In training each observation uses its own
// class's posterior p(z|x, c) and decoder, and its bound B_c(x) = D(p(z|x,c) ‖ p(z)) − E[log p(x|z, c)] (eq. 3.8).
// Rows arrive grouped by class (counts per class, in class order), so each class's head and decoder run once on a
// contiguous slice: a batch costs one decoder's multiply-adds, not ten. Weights start as N(0,1)/(√P+√N) (App. A).
using Gibbs.Models.Gm;
using Gibbs.Nn;
using Gibbs.Rng;

namespace Gibbs.Models.Ace;

/// <summary>Per-row terms of the class-conditional bound, each [N]: B_c, D_gen and −log L_rec.</summary>
public sealed record AceAeTerms(Tensor Bound, Tensor GenerativeError, Tensor ReconstructionError);

public sealed class ClassAutoEncoder : Module
{
    private readonly List<Linear> _encoder = [];
    private readonly Linear[] _mu, _logSigma, _output;
    private readonly List<Linear>[] _decoder;

    /// <param name="arch">One class's auto-encoder, e.g. "784-700-100-700-784" (input-encoder…-latent-decoder…-output).</param>
    /// <param name="classes">The number of classes (one latent head and decoder each).</param>
    public ClassAutoEncoder(GmArchitecture arch, int classes, ILatentFamily latent, Generator gen, Backends.Device? device = null)
    {
        if (arch.Input != arch.Output)
            throw new GibbsException($"the ACE auto-encoder reconstructs its input: --ae-arch {arch} must end in its first size {arch.Input}");
        if (classes < 2) throw new GibbsException($"generative ACE needs at least 2 classes, got {classes}");
        Architecture = arch;
        Classes = classes;
        Latent = latent;
        int width = arch.Input;
        for (int i = 0; i < arch.Encoder.Count; i++)
            _encoder.Add(Child($"encoder{i}", new Linear(width, width = arch.Encoder[i], gen, InitKind.Georgiev, device: device)));
        _mu = new Linear[classes];
        _logSigma = new Linear[classes];
        _output = new Linear[classes];
        _decoder = new List<Linear>[classes];
        for (int c = 0; c < classes; c++)
        {
            _mu[c] = Child($"mu{c}", new Linear(width, arch.Latent, gen, InitKind.Georgiev, device: device));
            _logSigma[c] = Child($"log_sigma{c}", new Linear(width, arch.Latent, gen, InitKind.Georgiev, device: device));
            _decoder[c] = [];
            int w = arch.Latent;
            for (int i = 0; i < arch.Decoder.Count; i++)
                _decoder[c].Add(Child($"decoder{c}_{i}", new Linear(w, w = arch.Decoder[i], gen, InitKind.Georgiev, device: device)));
            _output[c] = Child($"output{c}", new Linear(w, arch.Output, gen, InitKind.Georgiev, device: device));
        }
    }

    public GmArchitecture Architecture { get; }
    public int Classes { get; }
    public ILatentFamily Latent { get; }
    public int Features => Architecture.Input;
    public int LatentSize => Architecture.Latent;

    /// <summary>The shared encoder's last hidden layer, tanh, [N×hidden] (x itself without encoder layers).</summary>
    public Tensor Hidden(Tensor x)
    {
        CheckInput(x);
        var h = x;
        foreach (var layer in _encoder) h = layer.Forward(h).Tanh();
        return h;
    }

    /// <summary>Class c's posterior p(z|x, c) from the shared hidden layer: (μ, log σ), each [N×latent].</summary>
    public (Tensor Mu, Tensor LogSigma) Head(Tensor hidden, int c) => (_mu[CheckClass(c)].Forward(hidden), _logSigma[c].Forward(hidden));

    /// <summary>Class c's decoder: latents z [..×latent] → Bernoulli logits [..×features].</summary>
    public Tensor Decode(Tensor z, int c)
    {
        CheckClass(c);
        var shape = z.Shape;
        var h = z.Rank == 2 ? z : z.Reshape(-1, LatentSize);
        foreach (var layer in _decoder[c]) h = layer.Forward(h).Tanh();
        var y = _output[c].Forward(h);
        return z.Rank == 2 ? y : y.Reshape([.. shape[..^1], Features]);
    }

    /// <summary>log p(x|z, c) summed over features: logits [..×N×features], x [N×features] (broadcast) → [..×N].</summary>
    public static Tensor ReconstructionLogLikelihood(Tensor x, Tensor logits) =>
        (-Tensor.BinaryCrossEntropyWithLogits(logits, x)).Sum(logits.Rank - 1);

    /// <summary>
    /// The class-conditional bound per row for rows x [N×features] grouped by class: the first counts[0] rows are of
    /// class 0, the next counts[1] of class 1, …; noise [L×N×latent] is the family's standard noise (L draws per row).
    /// Each class's head and decoder run once, on its slice. Differentiable; the rows' order is kept.
    /// </summary>
    public AceAeTerms GroupedTerms(Tensor x, ReadOnlySpan<int> counts, Tensor noise)
    {
        int n = x.Dim(0);
        if (counts.Length != Classes) throw new ShapeException($"grouped rows need {Classes} class counts, got {counts.Length}");
        int total = 0;
        foreach (int k in counts) total += k >= 0 ? k : throw new GibbsException($"a class count is negative ({k})");
        if (total != n) throw new ShapeException($"the class counts add up to {total} rows, the batch has {n}");
        if (noise.Rank != 3 || noise.Dim(1) != n || noise.Dim(2) != LatentSize)
            throw new ShapeException($"noise must be [L×{n}×{LatentSize}], got {Tensor.Format(noise.Shape)}");
        var hidden = Hidden(x);
        var bounds = new List<Tensor>();
        var dgens = new List<Tensor>();
        var recs = new List<Tensor>();
        for (int c = 0, start = 0; c < Classes; start += counts[c], c++)
        {
            if (counts[c] == 0) continue;
            var xs = x.Slice(0, start, counts[c]);
            var (mu, logSigma) = Head(hidden.Slice(0, start, counts[c]), c);
            var dgen = Latent.GenerativeError(mu, logSigma).Sum(1);
            var z = Latent.Sample(mu, logSigma, noise.Slice(1, start, counts[c]));
            var rec = -ReconstructionLogLikelihood(xs, Decode(z, c)).Mean(0);
            dgens.Add(dgen);
            recs.Add(rec);
            bounds.Add(dgen + rec);
        }
        return bounds.Count == 1 ? new AceAeTerms(bounds[0], dgens[0], recs[0])
            : new AceAeTerms(Tensor.Concat(bounds), Tensor.Concat(dgens), Tensor.Concat(recs));
    }

    /// <summary>Draws from class c in the creative regime (§3.3): z ~ p(z), then σ(logits). [n×features].</summary>
    public Tensor SamplePrior(int n, int c, Generator gen)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var zeros = Tensor.Zeros([n, LatentSize], Device);
        var z = Latent.Sample(zeros, zeros, Latent.Noise([n, LatentSize], gen, Device));
        return Decode(z, c).Sigmoid().MoveToOuterScope();
    }

    /// <summary>The reconstruction mean σ(logits) of class c at the given latents z [n×latent] (e.g. Fig. 4's grid).</summary>
    public Tensor MeanAt(Tensor z, int c)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        return Decode(z, c).Sigmoid().MoveToOuterScope();
    }

    public Dictionary<string, string> Config() => new()
    {
        ["ae_arch"] = Architecture.ToString(), ["ae_latent"] = Latent.Name, ["ae_classes"] = Classes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public override Tensor Forward(Tensor x) => Hidden(x);

    private int CheckClass(int c) => (uint)c < (uint)Classes ? c : throw new GibbsException($"class {c} is outside 0…{Classes - 1}");

    internal void CheckInput(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Features)
            throw new ShapeException($"this ACE auto-encoder ({Architecture}) takes [N×{Features}] rows, got {Tensor.Format(x.Shape)}");
    }
}
