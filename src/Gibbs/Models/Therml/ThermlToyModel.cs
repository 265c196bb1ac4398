// App. H's 184-parameter model of 001_ada2633fde8fc741.txt for the toy data: a categorical latent with K = 30 values;
// the encoder, decoder and classifier each of the form q(out = j | in) ∝ exp[−(w_j·v(in) − b_j)²] — one weight and one
// bias per output value, v(in) the input's value on a line (v = index − 14.5, the same for x and z) — which is why
// the seed counts 60 + 60 parameters for encoder and decoder and 4 for the classifier; the marginal q(z) = softmax(π)
// (30); and 30 α: the encoder weights carry multiplicative log-normal noise w̃ᵢ = wᵢ·εᵢ, log εᵢ ~ N(−αᵢ/2, αᵢ)
// (Achille & Soatto 2017), so E[εᵢ] = 1. The seed's garbled "exp[(w x − b)²]" and the parameter count fix this form.
//
// S is the divergence of the encoder-weight posterior from a proper prior q(w̃): sign ± with probability ½ each and
// log|w̃| ~ N(0, s₀²), s₀ = 2 (|w̃| within e^±4 at two s.d.). Per weight, in closed form,
//   Sᵢ = log 2 + ½[log(s₀²/αᵢ) + (αᵢ + (log|wᵢ| − αᵢ/2)²)/s₀² − 1],
// the KL between the normals of log|w̃| plus log 2 for the sign. As s₀ → ∞ this is −½ log αᵢ + const, Achille &
// Soatto's log-uniform (improper) prior, whose divergence cannot be integrated. Only the encoder weights are
// stochastic (as in App. H); the other 154 parameters are point estimates, whose terms in S are left out.
using Gibbs.Nn;
using Gibbs.Rng;

namespace Gibbs.Models.Therml;

public sealed class ThermlToyModel : Module
{
    /// <summary>K, the latent's number of values.</summary>
    public const int Latents = 30;

    /// <summary>s₀, the prior's s.d. of log|w̃|.</summary>
    public const double PriorScale = 2;

    /// <summary>α at initialisation: noise too small to notice when σ = 0 (App. H).</summary>
    public const double InitialAlpha = 1e-4;

    private const int X = ToyData.Bins, K = Latents;
    private readonly Tensor _xv, _zv;

    public ThermlToyModel(Generator gen)
    {
        EncoderWeight = Parameter("encoder_w", Init(K, i => 1 + 0.1 * Normal(gen)));
        EncoderBias = Parameter("encoder_b", Init(K, i => 30 * gen.NextDouble() - 15));
        DecoderWeight = Parameter("decoder_w", Init(X, i => 0.1 * Normal(gen)));
        DecoderBias = Parameter("decoder_b", Init(X, i => Normal(gen)));
        ClassifierWeight = Parameter("classifier_w", Init(2, i => 0.1 * Normal(gen)));
        ClassifierBias = Parameter("classifier_b", Init(2, i => Normal(gen)));
        MarginalLogits = Parameter("marginal_logits", Tensor.Zeros([K]));
        LogAlpha = Parameter("log_alpha", Tensor.Full([K], (float)Math.Log(InitialAlpha)));
        _xv = Buffer("x_values", Init(X, i => i - (X - 1) / 2.0));
        _zv = Buffer("z_values", Init(K, i => i - (K - 1) / 2.0));
    }

    public Tensor EncoderWeight { get; }
    public Tensor EncoderBias { get; }
    public Tensor DecoderWeight { get; }
    public Tensor DecoderBias { get; }
    public Tensor ClassifierWeight { get; }
    public Tensor ClassifierBias { get; }
    public Tensor MarginalLogits { get; }

    /// <summary>log αᵢ of the encoder weights' log-normal noise.</summary>
    public Tensor LogAlpha { get; }

    /// <summary>The log-probabilities of the components for M draws ξ [M × K] ~ N(0, 1) of the weight noise (log ε = −α/2 + √α·ξ;
    /// null: ε = 1, the noise-free weights): log e(z|x) [M × X × K], log q(z) [K], log q(x|z) [K × X], log q(y|z) [K × 2].</summary>
    public (Tensor LogEncoder, Tensor LogMarginal, Tensor LogDecoder, Tensor LogClassifier) Channels(Tensor? xi)
    {
        if (xi is not null && (xi.Rank != 2 || xi.Dim(1) != K))
            throw new GibbsException($"the weight noise must be [draws × {K}], got [{string.Join("×", xi.Shape.ToArray())}]");
        int m = xi?.Dim(0) ?? 1;
        Tensor weights;                                                                        // [M, K]
        if (xi is null) weights = EncoderWeight.Reshape(1, K);
        else
        {
            var alpha = LogAlpha.Exp();
            weights = EncoderWeight * (alpha * -0.5f + alpha.Sqrt() * xi).Exp();
        }
        var logE = (-(weights.Reshape(m, 1, K) * _xv.Reshape(1, X, 1) - EncoderBias).Square()).LogSoftmax(-1);
        var logD = (-(DecoderWeight.Reshape(1, X) * _zv.Reshape(K, 1) - DecoderBias.Reshape(1, X)).Square()).LogSoftmax(-1);
        var logC = (-(ClassifierWeight.Reshape(1, 2) * _zv.Reshape(K, 1) - ClassifierBias.Reshape(1, 2)).Square()).LogSoftmax(-1);
        return (logE, MarginalLogits.LogSoftmax(0), logD, logC);
    }

    /// <summary>log e(z|x) [B × K] of the noise-free encoder for one-hot observations <paramref name="x"/> [B × 30].</summary>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != X) throw new GibbsException($"the toy's observations are one-hot rows [B × {X}], got [{string.Join("×", x.Shape.ToArray())}]");
        return Tensor.MatMul(x, Channels(null).LogEncoder.Reshape(X, K));
    }

    /// <summary>R, D, C per example (scalars, differentiable) under p(x, y) = <paramref name="pxy"/> [X × 2],
    /// averaged over the M noise draws <paramref name="xi"/>; the sums over z are exact.</summary>
    public (Tensor R, Tensor D, Tensor C) Terms(Tensor pxy, Tensor? xi)
    {
        var (logE, logQ, logD, logC) = Channels(xi);
        float perDraw = 1f / (xi?.Dim(0) ?? 1);
        var e = logE.Exp();
        var weighted = e * pxy.Sum(1).Reshape(1, X, 1);
        var r = (weighted * (logE - logQ)).Sum() * perDraw;
        var d = (weighted * logD.Transpose().Reshape(1, X, K)).Sum() * -perDraw;
        var c = (e * Tensor.MatMul(pxy, logC, transB: true).Reshape(1, X, K)).Sum() * -perDraw;
        return (r, d, c);
    }

    /// <summary>S, the divergence of the encoder weights' posterior from the prior (see the file header), a differentiable scalar.</summary>
    public Tensor Entropy()
    {
        var alpha = LogAlpha.Exp();
        float s2 = (float)(PriorScale * PriorScale);
        var logAbs = EncoderWeight.Square().Log() * 0.5f;
        var gap = logAbs - alpha * 0.5f;
        var perWeight = ((float)Math.Log(s2) - LogAlpha + (alpha + gap.Square()) * (1f / s2) - 1f) * 0.5f + (float)Math.Log(2);
        return perWeight.Sum();
    }

    /// <summary>The components as float64 tables, one set per noise draw in <paramref name="xi"/> [M × K] (null: one, noise-free).</summary>
    public TabularChannels[] Tabulate(Tensor? xi)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var (logE, logQ, logD, logC) = Channels(xi);
        // Exponentiated in float64 (float32 would round probabilities below 1e-45 to 0 and make a log infinite).
        float[] e = logE.ToArray(), q = logQ.ToArray(), d = logD.ToArray(), c = logC.ToArray();
        var (marginal, logMarginal) = Table(q, 0, 1, K);
        var (decoder, logDecoder) = Table(d, 0, K, X);
        var (classifier, logClassifier) = Table(c, 0, K, 2);
        var all = new TabularChannels[xi?.Dim(0) ?? 1];
        double[] Row(double[,] t) => Enumerable.Range(0, K).Select(z => t[0, z]).ToArray();
        for (int m = 0; m < all.Length; m++)
            all[m] = new TabularChannels(Table(e, m * X * K, X, K).P, Row(marginal), decoder, classifier, logDecoder, logClassifier, Row(logMarginal));
        return all;
    }

    /// <summary>R, D, C averaged over the noise draws <paramref name="xi"/>, exactly in z, in float64; and S.</summary>
    public Functionals Evaluate(double[,] pxy, Tensor? xi)
    {
        double r = 0, d = 0, c = 0;
        var all = Tabulate(xi);
        foreach (var t in all)
        {
            var f = t.Evaluate(pxy);
            (r, d, c) = (r + f.R, d + f.D, c + f.C);
        }
        double s;
        using (Tensor.NoGrad()) using (var e = Entropy()) s = e.Item();
        return new Functionals(r / all.Length, d / all.Length, c / all.Length, s);
    }

    /// <summary>Noise draws ξ [M × K] ~ N(0, 1) from <paramref name="gen"/>.</summary>
    public static Tensor Noise(int draws, Generator gen) => Tensor.Randn([draws, K], gen);

    /// <summary>Rows of probabilities and their logs from rows of log-probabilities, renormalised in float64.</summary>
    private static (double[,] P, double[,] Log) Table(float[] logs, int offset, int rows, int cols)
    {
        var t = new double[rows, cols];
        var l = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < cols; j++) max = Math.Max(max, logs[offset + i * cols + j]);
            for (int j = 0; j < cols; j++) sum += t[i, j] = Math.Exp(logs[offset + i * cols + j] - max);
            for (int j = 0; j < cols; j++)
            {
                t[i, j] /= sum;
                l[i, j] = logs[offset + i * cols + j] - max - Math.Log(sum);
            }
        }
        return (t, l);
    }

    private static Tensor Init(int n, Func<int, double> value)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)value(i);
        return Tensor.FromArray(v);
    }

    private static double Normal(Generator gen)
    {
        // Box–Muller from two uniforms in (0, 1].
        double u = 1 - gen.NextDouble(), v = gen.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
