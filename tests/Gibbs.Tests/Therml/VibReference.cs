// An independent float64 VIB for the tests: the network of Vib.cs written out with loops (2x − 1, ReLU layers, the
// [μ | ρ] head, σ = softplus(ρ − 5), the softmax classifier), the rate KL(N(μ, σ²) ‖ N(0, I)) from its closed form, and
// C = −log softmax(z)[y] at z = μ + σ·ε for a given ε; gradients by central differences of this float64 loss.
namespace Gibbs.Tests.Therml;

internal sealed class VibReference
{
    // name → (values, rows, cols) with W stored [in×out] as the engine does; biases have rows = 1.
    public readonly Dictionary<string, double[]> P = new(StringComparer.Ordinal);
    public readonly int[] Sizes;
    public readonly int Classes;

    public VibReference(Gibbs.Models.Therml.Vib model)
    {
        Sizes = model.Sizes;
        Classes = model.Classes;
        foreach (var (name, t) in model.StateDict()) P[name] = t.ToArray().Select(v => (double)v).ToArray();
    }

    public int Latent => Sizes[^1];

    private static double Softplus(double v) => v > 30 ? v : Math.Log(1 + Math.Exp(v));

    private static double[] Affine(double[] x, double[] w, double[] b, int inF, int outF)
    {
        var y = new double[outF];
        for (int j = 0; j < outF; j++)
        {
            double s = b[j];
            for (int i = 0; i < inF; i++) s += x[i] * w[i * outF + j];
            y[j] = s;
        }
        return y;
    }

    /// <summary>μ and σ of one row x.</summary>
    public (double[] Mu, double[] Sigma) Encode(ReadOnlySpan<float> x)
    {
        var h = new double[x.Length];
        for (int i = 0; i < x.Length; i++) h[i] = 2.0 * x[i] - 1.0;
        for (int l = 1; l < Sizes.Length - 1; l++)
        {
            h = Affine(h, P[$"encoder{l - 1}.W"], P[$"encoder{l - 1}.b"], Sizes[l - 1], Sizes[l]);
            for (int j = 0; j < h.Length; j++) h[j] = Math.Max(0, h[j]);
        }
        var head = Affine(h, P["head.W"], P["head.b"], Sizes[^2], 2 * Latent);
        return (head[..Latent], head[Latent..].Select(r => Softplus(r - 5)).ToArray());
    }

    /// <summary>KL(N(μ, σ²) ‖ N(0, I)) in nats.</summary>
    public static double Kl(double[] mu, double[] sigma)
    {
        double s = 0;
        for (int k = 0; k < mu.Length; k++) s += 0.5 * (mu[k] * mu[k] + sigma[k] * sigma[k] - 1) - Math.Log(sigma[k]);
        return s;
    }

    /// <summary>log softmax of the classifier at z.</summary>
    public double[] LogSoftmax(double[] z)
    {
        var logits = Affine(z, P["classifier.W"], P["classifier.b"], Latent, Classes);
        double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
        return logits.Select(l => l - max - Math.Log(sum)).ToArray();
    }

    /// <summary>Batch means (C, R) for rows x [n×f], labels, noise ε [n×K] (null: z = μ).</summary>
    public (double C, double R) Terms(float[] x, int[] labels, float[]? eps)
    {
        int n = labels.Length, f = Sizes[0], k = Latent;
        double c = 0, r = 0;
        for (int i = 0; i < n; i++)
        {
            var (mu, sigma) = Encode(x.AsSpan(i * f, f));
            r += Kl(mu, sigma);
            var z = new double[k];
            for (int j = 0; j < k; j++) z[j] = mu[j] + (eps is null ? 0 : sigma[j] * eps[i * k + j]);
            c -= LogSoftmax(z)[labels[i]];
        }
        return (c / n, r / n);
    }

    public double Loss(float[] x, int[] labels, float[]? eps, double beta)
    {
        var (c, r) = Terms(x, labels, eps);
        return c + beta * r;
    }

    /// <summary>∂Loss/∂θ for every parameter, by central differences in float64.</summary>
    public Dictionary<string, double[]> Gradient(float[] x, int[] labels, float[]? eps, double beta, double h = 1e-6)
    {
        var g = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (name, values) in P)
        {
            var d = new double[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                double v = values[i];
                values[i] = v + h;
                double up = Loss(x, labels, eps, beta);
                values[i] = v - h;
                double down = Loss(x, labels, eps, beta);
                values[i] = v;
                d[i] = (up - down) / (2 * h);
            }
            g[name] = d;
        }
        return g;
    }
}
