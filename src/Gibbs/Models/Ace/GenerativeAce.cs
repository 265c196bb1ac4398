// Generative ACE (000_c7b547386cdeff84.txt §1.7.3, Fig. 5, §5.2, App. B): the seed's classifier beside a
// class-conditional auto-encoder in the same space of observables. The two branches share no weights: in training the
// auto-encoder uses each observation's label (its class's posterior and decoder), and at test the classifier's
// probabilities ω_c(x) weight the mixture posterior Σ_c ω_c p(z|x, c).
//
// Density evaluation, per observation x (all from the same K draws z ~ p(z|x, c) for every class c):
//  • B_c(x) = D(p(z|x,c) ‖ p(z)) − E log p(x|z,c), the class-conditional bound (eq. 3.8); B at the true label is what
//    training minimises;
//  • the seed's mixture bound Σ_c ω_c B_c(x): App. B's log-sum bound on the mixture's generative error plus the mixture's
//    reconstruction error, exact in c. Because ω depends on x, it is not a bound on −log p(x) of any fixed model;
//  • for the fixed model p(x) = Σ_c π_c ∫ p(z) p(x|z,c) dz with a class prior π (uniform, or the training labels'
//    frequencies): the bound with q(c|x) = ω, Σ_c ω_c B_c + KL(ω ‖ π), and the importance-sampled NLL
//    −log Σ_c π_c p̂(x|c), p̂(x|c) = (1/K) Σ_k p(x|z_k,c) p(z_k) / p(z_k|x,c) — honest, and what the docs compare.
using Gibbs.Models.Gm;
using Gibbs.Nn;
using Gibbs.Rng;

namespace Gibbs.Models.Ace;

/// <summary>Per-observation density results of <see cref="GenerativeAce.EvaluateDensity"/> (nats), averaged over the rows.</summary>
public sealed record AceDensity(int Rows, int K, double TrueClassBound, double SeedMixtureBound, double MixtureGenerativeError,
    double UniformPriorBound, double EmpiricalPriorBound, double UniformPriorNll, double EmpiricalPriorNll, double UniformPriorNllStdErr);

public sealed class GenerativeAce : Module
{
    private readonly Tensor _classPrior;

    public GenerativeAce(AceClassifier classifier, ClassAutoEncoder autoEncoder, Backends.Device? device = null)
    {
        if (classifier.Features != autoEncoder.Features)
            throw new GibbsException($"the classifier takes {classifier.Features} features but the auto-encoder {autoEncoder.Features}: give both the data's width");
        if (classifier.Classes != autoEncoder.Classes)
            throw new GibbsException($"the classifier has {classifier.Classes} classes but the auto-encoder {autoEncoder.Classes}");
        Classifier = Child("classifier", classifier);
        AutoEncoder = Child("ae", autoEncoder);
        _classPrior = Buffer("class_prior", Tensor.Full([classifier.Classes], 1f / classifier.Classes, device));
    }

    public AceClassifier Classifier { get; }
    public ClassAutoEncoder AutoEncoder { get; }
    public int Features => Classifier.Features;
    public int Classes => Classifier.Classes;

    /// <summary>The empirical class prior π (the training labels' frequencies; uniform until set).</summary>
    public double[] ClassPrior => _classPrior.ToArray().Select(v => (double)v).ToArray();

    /// <summary>Sets π to the frequencies of <paramref name="labels"/> (every class must occur).</summary>
    public void SetClassPrior(ReadOnlySpan<int> labels)
    {
        var counts = new double[Classes];
        foreach (int y in labels)
            counts[(uint)y < (uint)Classes ? y : throw new GibbsException($"label {y} is outside 0…{Classes - 1}")]++;
        for (int c = 0; c < Classes; c++)
            if (counts[c] == 0) throw new GibbsException($"class {c} has no training rows: generative ACE trains one decoder per class and needs every class");
        int total = labels.Length;
        _classPrior.CopyFrom(counts.Select(k => (float)(k / total)).ToArray());
    }

    /// <summary>The class logits (the classifier).</summary>
    public override Tensor Forward(Tensor x) => Classifier.Forward(x);

    /// <summary>
    /// Mixture sampling at test time (Fig. 5's dashed line): per row μ a class c ~ ω_μ (rows of <paramref name="omega"/>
    /// [N×classes], summing to 1), then z ~ p(z|x_μ, c) and the reconstruction mean. Returns the drawn classes and [N×features].
    /// </summary>
    public (int[] Classes, Tensor Mean) SampleMixture(Tensor x, float[] omega, Generator gen)
    {
        int n = x.Dim(0);
        if (omega.Length != n * Classes) throw new ShapeException($"ω must hold {n}×{Classes} class probabilities, got {omega.Length} values");
        var classes = new int[n];
        for (int i = 0; i < n; i++)
        {
            double u = gen.NextDouble(), acc = 0;
            int c = 0;
            for (; c < Classes - 1; c++)
                if (u < (acc += omega[i * Classes + c])) break;
            classes[i] = c;
        }
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var hidden = AutoEncoder.Hidden(x);
        var noise = AutoEncoder.Latent.Noise([n, AutoEncoder.LatentSize], gen, x.Device); // row i's noise is row i, whatever its class
        var mean = new float[n * Features];
        // Each class's head and decoder once, on the rows that drew it.
        for (int c = 0; c < Classes; c++)
        {
            var rows = Enumerable.Range(0, n).Where(i => classes[i] == c).ToArray();
            if (rows.Length == 0) continue;
            using var pick = Tensor.FromArray(rows.Select(i => (float)i).ToArray(), [rows.Length], x.Device).Untrack();
            var (mu, logSigma) = AutoEncoder.Head(hidden.IndexSelect(0, pick), c);
            var m = AutoEncoder.Decode(AutoEncoder.Latent.Sample(mu, logSigma, noise.IndexSelect(0, pick)), c).Sigmoid().ToArray();
            for (int r = 0; r < rows.Length; r++) Array.Copy(m, r * Features, mean, rows[r] * Features, Features);
        }
        return (classes, Tensor.FromArray(mean, [n, Features], x.Device).MoveToOuterScope());
    }

    /// <summary>
    /// The density results for binary rows x [N×features] with class probabilities <paramref name="omega"/> [N×classes]
    /// (from the classifier) and labels: K draws per row and class, in chunks of at most <paramref name="maxChunkElements"/>
    /// decoder outputs.
    /// </summary>
    public AceDensity EvaluateDensity(Tensor x, float[] omega, int[] labels, int k, Generator gen, long maxChunkElements = 4_000_000)
    {
        AutoEncoder.CheckInput(x);
        int n = x.Dim(0), nc = Classes, f = Features, lat = AutoEncoder.LatentSize;
        if (k < 2) throw new GibbsException($"the importance-sampled NLL needs k ≥ 2 draws (for its standard error), got {k}");
        if (omega.Length != n * nc || labels.Length != n) throw new ShapeException($"need {n}×{nc} class probabilities and {n} labels, got {omega.Length} and {labels.Length}");
        var latent = AutoEncoder.Latent;
        var bound = new double[n, nc];
        var logP = new double[n, nc];   // log p̂(x|c)
        var varP = new double[n, nc];   // the variance of p̂(x|c)/max, for the standard error
        var maxW = new double[n, nc];
        var dgenC = new double[n, nc];
        int rowsPerBlock = (int)Math.Clamp(maxChunkElements / f, 1, 256);
        using var _ = Tensor.NoGrad();
        for (int r0 = 0; r0 < n; r0 += rowsPerBlock)
        {
            using var scope = TensorScope.Begin();
            int rows = Math.Min(rowsPerBlock, n - r0);
            var xb = x.Slice(0, r0, rows);
            var hidden = AutoEncoder.Hidden(xb);
            int perChunk = (int)Math.Clamp(maxChunkElements / ((long)rows * f), 1, k);
            for (int c = 0; c < nc; c++)
            {
                using var cls = TensorScope.Begin();
                var (mu, logSigma) = AutoEncoder.Head(hidden, c);
                var dgen = latent.GenerativeError(mu, logSigma).Sum(1).ToArray();
                var sums = new ImportanceSums(rows);
                var rec = new double[rows];
                for (int done = 0; done < k; done += perChunk)
                {
                    using var chunk = TensorScope.Begin();
                    int m = Math.Min(perChunk, k - done);
                    var z = latent.Sample(mu, logSigma, latent.Noise([m, rows, lat], gen, x.Device));
                    var logRec = ClassAutoEncoder.ReconstructionLogLikelihood(xb, AutoEncoder.Decode(z, c));
                    var logW = (logRec + (latent.LogPrior(z) - latent.LogPosterior(z, mu, logSigma)).Sum(2)).ToArray();
                    var lr = logRec.ToArray();
                    for (int j = 0; j < m; j++)
                        for (int i = 0; i < rows; i++)
                        {
                            sums.Add(i, logW[j * rows + i]);
                            rec[i] += lr[j * rows + i];
                        }
                }
                for (int i = 0; i < rows; i++)
                {
                    dgenC[r0 + i, c] = dgen[i];
                    bound[r0 + i, c] = dgen[i] - rec[i] / k;
                    logP[r0 + i, c] = sums.LogMean(i, k);
                    maxW[r0 + i, c] = sums.Max[i];
                    varP[r0 + i, c] = sums.VarianceOfMean(i, k); // in units of e^{2·max}
                }
            }
        }
        var pi = ClassPrior;
        double trueB = 0, seedB = 0, mixDgen = 0, uniB = 0, empB = 0, uniNll = 0, empNll = 0, uniVar = 0;
        for (int i = 0; i < n; i++)
        {
            double kU = 0, kE = 0, sb = 0, sd = 0;
            for (int c = 0; c < nc; c++)
            {
                double w = omega[i * nc + c];
                sb += w * bound[i, c];
                sd += w * dgenC[i, c];
                if (w > 0) { kU += w * Math.Log(w * nc); kE += w * Math.Log(w / pi[c]); }
            }
            trueB += bound[i, labels[i]];
            seedB += sb;
            mixDgen += sd;
            uniB += sb + kU;
            empB += sb + kE;
            double lu = LogSumExp(nc, c => logP[i, c] - Math.Log(nc)), le = LogSumExp(nc, c => logP[i, c] + Math.Log(pi[c]));
            uniNll -= lu;
            empNll -= le;
            // Delta method: Var(−log Σ_c π_c p̂_c) ≈ Σ_c π_c² Var(p̂_c) / (Σ_c π_c p_c)², in the rows' own scale.
            double v = 0;
            for (int c = 0; c < nc; c++) v += Math.Exp(2 * (maxW[i, c] - Math.Log(nc) - lu)) * varP[i, c];
            uniVar += v;
        }
        return new AceDensity(n, k, trueB / n, seedB / n, mixDgen / n, uniB / n, empB / n, uniNll / n, empNll / n, Math.Sqrt(uniVar) / n);
    }

    private static double LogSumExp(int count, Func<int, double> term)
    {
        double max = double.NegativeInfinity;
        for (int c = 0; c < count; c++) max = Math.Max(max, term(c));
        if (double.IsNegativeInfinity(max)) return max;
        double s = 0;
        for (int c = 0; c < count; c++) s += Math.Exp(term(c) - max);
        return max + Math.Log(s);
    }

    public Dictionary<string, string> Config()
    {
        var config = Classifier.Config();
        config["model"] = "ace-generative";
        foreach (var (key, value) in AutoEncoder.Config()) config[key] = value;
        return config;
    }

    /// <summary>A model of the shape a saved configuration describes (weights to be loaded after).</summary>
    public static GenerativeAce Build(AceClassifier classifier, IReadOnlyDictionary<string, string> config, string where, Backends.Device? device)
    {
        string Get(string key) => config.TryGetValue(key, out var v) ? v : throw new GibbsFormatException($"{where}: not a generative ACE file (no '{key}' in its metadata)");
        try
        {
            var ae = new ClassAutoEncoder(GmArchitecture.Parse(Get("ae_arch")), classifier.Classes, LatentFamilies.Get(Get("ae_latent")), new Generator(0), device);
            return new GenerativeAce(classifier, ae, device);
        }
        catch (GibbsException e) when (e is not GibbsFormatException) { throw new GibbsFormatException($"{where}: corrupt metadata: {e.Message}"); }
    }
}
