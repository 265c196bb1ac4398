// An independent float64 Gibbs machine for tests: the same network and objectives written out in doubles from a
// model's named parameters (nothing here calls the engine), so gradients can be checked by central differences.
using Gibbs.Models.Gm;

namespace Gibbs.Tests.Gm;

internal sealed class GmReference
{
    private readonly GmArchitecture _arch;
    private readonly ILatentFamily _family;
    private readonly bool _bernoulli;

    public GmReference(GibbsMachine m)
    {
        _arch = m.Architecture;
        _family = m.Latent;
        _bernoulli = m.Reconstruction == ReconstructionKind.Bernoulli;
        Params = m.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.ToArray().Select(v => (double)v).ToArray());
    }

    /// <summary>The parameters by name (row-major, W stored [in×out] as in Linear); edit them to move the point.</summary>
    public Dictionary<string, double[]> Params { get; }

    private double[] Linear(string name, double[] x, int inF, int outF)
    {
        var w = Params[name + ".W"];
        var b = Params[name + ".b"];
        var y = new double[outF];
        for (int o = 0; o < outF; o++)
        {
            double s = b[o];
            for (int i = 0; i < inF; i++) s += x[i] * w[i * outF + o];
            y[o] = s;
        }
        return y;
    }

    public (double[] Mu, double[] LogSigma) Encode(double[] x)
    {
        var h = x;
        int width = _arch.Input;
        for (int i = 0; i < _arch.Encoder.Count; i++)
        {
            h = Linear($"encoder{i}", h, width, _arch.Encoder[i]).Select(Math.Tanh).ToArray();
            width = _arch.Encoder[i];
        }
        return (Linear("mu", h, width, _arch.Latent), Linear("log_sigma", h, width, _arch.Latent));
    }

    public double[] Decode(double[] z)
    {
        var h = z;
        int width = _arch.Latent;
        for (int i = 0; i < _arch.Decoder.Count; i++)
        {
            h = Linear($"decoder{i}", h, width, _arch.Decoder[i]).Select(Math.Tanh).ToArray();
            width = _arch.Decoder[i];
        }
        return Linear("output", h, width, _arch.Output);
    }

    public double LogRec(double[] x, double[] z)
    {
        var y = Decode(z);
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (_bernoulli) s += x[i] * y[i] - Softplus(y[i]);
            else
            {
                double ls = Params["output_log_sigma"][i], d = (x[i] - y[i]) / Math.Exp(ls);
                s += -0.5 * d * d - ls - 0.5 * Math.Log(2 * Math.PI);
            }
        }
        return s;
    }

    private static double Softplus(double v) => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)));

    /// <summary>The noise scale c of z = μ + σ·c·ε.</summary>
    private double C => _family.Name == "laplace" ? Math.Sqrt(0.5) : 1.0;

    /// <summary>The objective of one row x with the given standard noise draws eps[d][latent].</summary>
    public double Objective(double[] x, double[][] eps, GmObjective objective)
    {
        var (mu, ls) = Encode(x);
        double dgen = 0;
        for (int j = 0; j < mu.Length; j++) dgen += _family.GenerativeError(mu[j], Math.Exp(ls[j]));
        var logRec = new double[eps.Length];
        var logW = new double[eps.Length];
        for (int d = 0; d < eps.Length; d++)
        {
            var z = mu.Select((m, j) => m + Math.Exp(ls[j]) * C * eps[d][j]).ToArray();
            logRec[d] = LogRec(x, z);
            logW[d] = logRec[d];
            for (int j = 0; j < z.Length; j++) logW[d] += _family.LogPrior(z[j]) - _family.LogPosterior(z[j], mu[j], Math.Exp(ls[j]));
        }
        double bound = dgen - logRec.Average();
        switch (objective)
        {
            case GmObjective.Bound: return bound;
            case GmObjective.Iwae:
                double mx = logW.Max();
                return -(mx + Math.Log(logW.Sum(w => Math.Exp(w - mx)) / logW.Length));
            default:
                double mean = logW.Average();
                return bound - 0.5 * logW.Sum(w => (w - mean) * (w - mean)) / (logW.Length - 1);
        }
    }

    /// <summary>Mean objective over rows; eps[row][draw][latent].</summary>
    public double MeanObjective(double[][] rows, double[][][] eps, GmObjective objective) =>
        rows.Select((x, r) => Objective(x, eps[r], objective)).Average();
}
