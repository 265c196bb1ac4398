// The four TherML functionals (001_ada2633fde8fc741.txt §2.1) on general discrete components, exactly, in float64:
// an encoder e(z|x), a variational marginal q(z), a decoder q(x|z) and a classifier q(y|z), against a distribution
// p(x, y) — the empirical one of a finite data set or the exact one of the toy (App. H). Per example, in nats:
//   R = Σₓ p(x) Σ_z e(z|x) log[e(z|x)/q(z)]       (eq. 11)
//   D = −Σₓ p(x) Σ_z e(z|x) log q(x|z)            (eq. 13)
//   C = −Σₓ,ᵧ p(x, y) Σ_z e(z|x) log q(y|z)       (eq. 12)
// The sums over z are exact (K values), so there is no sampling error. Also the distributions of the Fig. 5 panel,
// and the hand-crafted optimal model of Fig. 5 for the toy data.
namespace Gibbs.Models.Therml;

/// <summary>Discrete components: Encoder[x, z], Marginal[z], Decoder[z, x], Classifier[z, y]; each row a distribution.</summary>
public sealed class TabularChannels
{
    /// <param name="logDecoder">log q(x|z) when known more precisely than log of <paramref name="decoder"/> (probabilities below
    /// 1e-308 underflow to 0, whose log is −∞ even where p(x) is tiny and the term finite); null: the log of <paramref name="decoder"/>.</param>
    /// <param name="logClassifier">Likewise for log q(y|z).</param>
    /// <param name="logMarginal">Likewise for log q(z).</param>
    public TabularChannels(double[,] encoder, double[] marginal, double[,] decoder, double[,] classifier,
                           double[,]? logDecoder = null, double[,]? logClassifier = null, double[]? logMarginal = null)
    {
        (Inputs, Latents, Labels) = (encoder.GetLength(0), encoder.GetLength(1), classifier.GetLength(1));
        if (marginal.Length != Latents || decoder.GetLength(0) != Latents || decoder.GetLength(1) != Inputs || classifier.GetLength(0) != Latents)
            throw new GibbsException($"component shapes disagree: encoder {Inputs}×{Latents}, marginal {marginal.Length}, decoder {decoder.GetLength(0)}×{decoder.GetLength(1)}, classifier {classifier.GetLength(0)}×{Labels}");
        (Encoder, Marginal, Decoder, Classifier) = (encoder, marginal, decoder, classifier);
        _logDecoder = logDecoder ?? Log(decoder);
        _logClassifier = logClassifier ?? Log(classifier);
        _logMarginal = logMarginal ?? marginal.Select(v => Math.Log(v)).ToArray();
    }

    private readonly double[,] _logDecoder, _logClassifier;
    private readonly double[] _logMarginal;

    private static double[,] Log(double[,] p)
    {
        var l = new double[p.GetLength(0), p.GetLength(1)];
        for (int i = 0; i < p.GetLength(0); i++)
            for (int j = 0; j < p.GetLength(1); j++) l[i, j] = Math.Log(p[i, j]);
        return l;
    }

    public int Inputs { get; }
    public int Latents { get; }
    public int Labels { get; }

    /// <summary>e(z|x), [inputs × latents].</summary>
    public double[,] Encoder { get; }

    /// <summary>q(z), [latents].</summary>
    public double[] Marginal { get; }

    /// <summary>q(x|z), [latents × inputs].</summary>
    public double[,] Decoder { get; }

    /// <summary>q(y|z), [latents × labels].</summary>
    public double[,] Classifier { get; }

    /// <summary>R, D, C per example under p(x, y) = <paramref name="pxy"/> [inputs × labels]; S as given (it belongs to the parameters).</summary>
    public Functionals Evaluate(double[,] pxy, double entropy = 0)
    {
        CheckDistribution(pxy);
        double r = 0, d = 0, c = 0;
        for (int x = 0; x < Inputs; x++)
        {
            double px = 0;
            for (int y = 0; y < Labels; y++) px += pxy[x, y];
            if (px == 0) continue;
            for (int z = 0; z < Latents; z++)
            {
                double e = Encoder[x, z];
                if (e == 0) continue;
                r += px * e * (Math.Log(e) - _logMarginal[z]);
                d -= px * e * _logDecoder[z, x];
                for (int y = 0; y < Labels; y++)
                    if (pxy[x, y] > 0) c -= pxy[x, y] * e * _logClassifier[z, y];
            }
        }
        return new Functionals(r, d, c, entropy);
    }

    /// <summary>g(x) = Σ_z q(z) q(x|z), the model's generative distribution.</summary>
    public double[] Generative()
    {
        var g = new double[Inputs];
        for (int z = 0; z < Latents; z++)
            for (int x = 0; x < Inputs; x++) g[x] += Marginal[z] * Decoder[z, x];
        return g;
    }

    /// <summary>e(z) = Σₓ w(x) e(z|x), the marginal the encoder induces from the input weights <paramref name="px"/>.</summary>
    public double[] Induced(double[] px)
    {
        var e = new double[Latents];
        for (int x = 0; x < Inputs; x++)
            for (int z = 0; z < Latents; z++) e[z] += px[x] * Encoder[x, z];
        return e;
    }

    /// <summary>d(x) = Σₓ′ p(x′) Σ_z e(z|x′) q(x|z), the reconstruction distribution of the data.</summary>
    public double[] Reconstruction(double[] px)
    {
        var ez = Induced(px);
        var d = new double[Inputs];
        for (int z = 0; z < Latents; z++)
            for (int x = 0; x < Inputs; x++) d[x] += ez[z] * Decoder[z, x];
        return d;
    }

    /// <summary>q(x′|x) = Σ_z e(z|x) q(x′|z), [inputs × inputs].</summary>
    public double[,] Transition()
    {
        var t = new double[Inputs, Inputs];
        for (int x = 0; x < Inputs; x++)
            for (int z = 0; z < Latents; z++)
            {
                double e = Encoder[x, z];
                if (e == 0) continue;
                for (int x2 = 0; x2 < Inputs; x2++) t[x, x2] += e * Decoder[z, x2];
            }
        return t;
    }

    /// <summary>The componentwise mean of several sets of channels (e.g. over draws of stochastic weights).</summary>
    public static TabularChannels Mean(IReadOnlyList<TabularChannels> all)
    {
        if (all.Count == 0) throw new ArgumentException("no channels to average", nameof(all));
        var f = all[0];
        double[,] enc = new double[f.Inputs, f.Latents], dec = new double[f.Latents, f.Inputs], cls = new double[f.Latents, f.Labels];
        var mar = new double[f.Latents];
        double w = 1.0 / all.Count;
        foreach (var t in all)
        {
            Accumulate(enc, t.Encoder, w);
            Accumulate(dec, t.Decoder, w);
            Accumulate(cls, t.Classifier, w);
            for (int z = 0; z < mar.Length; z++) mar[z] += w * t.Marginal[z];
        }
        return new TabularChannels(enc, mar, dec, cls);
    }

    private static void Accumulate(double[,] sum, double[,] add, double w)
    {
        for (int i = 0; i < sum.GetLength(0); i++)
            for (int j = 0; j < sum.GetLength(1); j++) sum[i, j] += w * add[i, j];
    }

    private void CheckDistribution(double[,] pxy)
    {
        if (pxy.GetLength(0) != Inputs || pxy.GetLength(1) != Labels)
            throw new GibbsException($"p(x, y) is {pxy.GetLength(0)}×{pxy.GetLength(1)} but the components expect {Inputs}×{Labels}");
        double total = 0;
        foreach (var v in pxy)
        {
            if (!(v >= 0)) throw new GibbsException($"p(x, y) has a negative or NaN entry ({v})");
            total += v;
        }
        if (Math.Abs(total - 1) > 1e-9) throw new GibbsException($"p(x, y) sums to {total}, not 1");
    }

    /// <summary>
    /// Fig. 5's hand-crafted optimal model for the toy: the encoder is the true posterior p(Z|x) on two of the latents
    /// (0 for Z = 0, 1 for Z = 1; the rest unused), q(z) the marginal it induces, the decoder and classifier the exact
    /// conditionals p(x|z), p(y|z) of the joint p(x, y) e(z|x). Then R = I(x; Z) = 0.5 nats, D = H(x|Z), and
    /// C = H(y|z) (z is a fresh draw from p(Z|x), not the label itself).
    /// </summary>
    public static TabularChannels HandCrafted(ToyData data, int latents = ThermlToyModel.Latents)
    {
        int xs = ToyData.Bins;
        if (latents < 2) throw new GibbsException($"the hand-crafted model needs at least 2 latents, got {latents}");
        var enc = new double[xs, latents];
        var mar = new double[latents];
        var joint = new double[latents, xs];   // p(z, x)
        var zy = new double[latents, 2];       // p(z, y)
        for (int x = 0; x < xs; x++)
            for (int z = 0; z < 2; z++)
            {
                double e = z == 1 ? data.ClassGivenX(x) : 1 - data.ClassGivenX(x);
                enc[x, z] = e;
                mar[z] += data.Marginal(x) * e;
                joint[z, x] = data.Marginal(x) * e;
                for (int y = 0; y < 2; y++) zy[z, y] += data.Joint(x, y) * e;
            }
        var dec = new double[latents, xs];
        var cls = new double[latents, 2];
        for (int z = 0; z < latents; z++)
        {
            for (int x = 0; x < xs; x++) dec[z, x] = mar[z] > 0 ? joint[z, x] / mar[z] : 1.0 / xs;
            for (int y = 0; y < 2; y++) cls[z, y] = mar[z] > 0 ? zy[z, y] / mar[z] : 0.5;
        }
        return new TabularChannels(enc, mar, dec, cls);
    }
}
