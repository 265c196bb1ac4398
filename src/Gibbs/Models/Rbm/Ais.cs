// Annealed importance sampling of log Z for a Bernoulli RBM (Neal 2001; Salakhutdinov & Murray 2008).
// Base model A: W = 0, b_h = 0, b_v = b_A (from the data's marginals: log(p/(1−p))), so
// log Z_A = Σ_i softplus(b_A,i) + n_hidden·log 2. Intermediate distributions, β from 0 to 1:
//   log p*_β(v) = (1−β) b_A·v + β b_v·v + Σ_j softplus(β (v·W + b_h)_j)
// with one block-Gibbs transition per β (h ~ σ(β(vW + b_h)), v ~ σ((1−β) b_A + β(hWᵀ + b_v))).
// log Z_B ≈ log Z_A + log mean_r w_r, and the standard error of that estimate by the delta method.
// Gaussian–Bernoulli RBMs (in their standardised units u): base model W = 0, c = 0, mean b_A (the data's mean
// of u) and the model's own σ, so log Z_A = Σ_i ½ log(2πσ_i²) + n_hidden·log 2 and
//   log p*_β(u) = −Σ_i [β(u_i − b_i)² + (1−β)(u_i − b_A,i)²]/(2σ_i²) + Σ_j softplus(β(c_j + Σ_i W_ij u_i/σ_i²)),
// with h ~ σ(β(c + (u/σ²)W)), u ~ N(β(b + W h) + (1−β) b_A, σ²) per temperature.
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

/// <summary>AIS settings: the β schedule and the number of independent runs.</summary>
public sealed record AisOptions
{
    /// <summary>Independent annealing runs (particles).</summary>
    public int Runs { get; init; } = 100;

    /// <summary>Intermediate distributions in [0, 0.5), [0.5, 0.9), [0.9, 1]: Salakhutdinov &amp; Murray's 500 / 4,000 / 10,000.</summary>
    public int[] Betas { get; init; } = [500, 4000, 10000];

    public ulong Seed { get; init; } = 1;

    public int TotalBetas => Betas.Sum();

    /// <summary>The schedule: 0 = β₀ &lt; … &lt; β_K = 1.</summary>
    public double[] Schedule()
    {
        if (Betas.Length != 3 || Betas.Any(b => b < 1)) throw new GibbsException("AIS schedule needs three positive segment counts (for [0,0.5), [0.5,0.9), [0.9,1])");
        var s = new List<double> { 0 };
        void Segment(double lo, double hi, int n) { for (int i = 1; i <= n; i++) s.Add(lo + (hi - lo) * i / n); }
        Segment(0, 0.5, Betas[0]);
        Segment(0.5, 0.9, Betas[1]);
        Segment(0.9, 1.0, Betas[2]);
        return s.ToArray();
    }
}

/// <summary>An AIS estimate: log Z, its standard error, and log Z ± 3 standard errors.</summary>
public sealed record AisResult(double LogZ, double StdErr, double LogZLow, double LogZHigh, double LogZBase, int Runs, int Betas);

public static class Ais
{
    /// <summary>Estimates log Z of <paramref name="rbm"/>; <paramref name="baseVisibleBias"/> is b_A [n_visible] (see <see cref="BaseRateBias"/>).</summary>
    public static AisResult LogZ(BernoulliRbm rbm, Tensor baseVisibleBias, AisOptions? options = null, Action<int, int>? progress = null)
    {
        var o = options ?? new AisOptions();
        if (o.Runs < 2) throw new GibbsException($"AIS needs at least 2 runs, got {o.Runs}");
        var betas = o.Schedule();
        var gen = new Generator(o.Seed);
        int m = o.Runs, nh = rbm.NHidden;
        using var _ = Tensor.NoGrad();
        using var outer = TensorScope.Begin();
        var bA = baseVisibleBias.Reshape(rbm.NVisible);
        double logZA = bA.Softplus().Sum().Item() + nh * Math.Log(2);
        var bAcol = bA.Reshape(rbm.NVisible, 1);
        var bvcol = rbm.VisibleBias.Reshape(rbm.NVisible, 1);

        var v = Tensor.Bernoulli(Tensor.Zeros([m, rbm.NVisible], rbm.Device) + bA.Sigmoid(), gen);
        var logW = Tensor.Zeros([m], rbm.Device);
        for (int k = 1; k < betas.Length; k++)
        {
            using var step = TensorScope.Begin();
            float b0 = (float)betas[k - 1], b1 = (float)betas[k];
            var vbA = Tensor.MatMul(v, bAcol).Reshape(-1);
            var vbv = Tensor.MatMul(v, bvcol).Reshape(-1);
            var hin = rbm.HiddenInput(v);
            // log p*_{β1}(v) − log p*_{β0}(v)
            var delta = (vbv - vbA) * (b1 - b0) + (hin * b1).Softplus().Sum(1) - (hin * b0).Softplus().Sum(1);
            logW.AddInPlace(delta);
            if (k == betas.Length - 1) break;
            var h = Tensor.Bernoulli((hin * b1).Sigmoid(), gen);
            var vin = Tensor.MatMul(h, rbm.W, transB: true) * b1 + rbm.VisibleBias * b1 + bA * (1f - b1);
            v.CopyFrom(Tensor.Bernoulli(vin.Sigmoid(), gen));
            if (progress is not null && (k % 100 == 0)) progress(k, betas.Length - 1);
        }
        progress?.Invoke(betas.Length - 1, betas.Length - 1);
        return Summarise(logW.ToArray(), logZA, m, betas.Length - 1);
    }

    /// <summary>Estimates log Z of a Gaussian–Bernoulli RBM; <paramref name="baseMean"/> is b_A [n_visible] in standardised units (see <see cref="BaseMean"/>).</summary>
    public static AisResult LogZ(GaussianBernoulliRbm rbm, Tensor baseMean, AisOptions? options = null, Action<int, int>? progress = null)
    {
        var o = options ?? new AisOptions();
        if (o.Runs < 2) throw new GibbsException($"AIS needs at least 2 runs, got {o.Runs}");
        var betas = o.Schedule();
        var gen = new Generator(o.Seed);
        int m = o.Runs, nh = rbm.NHidden, nv = rbm.NVisible;
        using var _ = Tensor.NoGrad();
        using var outer = TensorScope.Begin();
        var bA = baseMean.Reshape(nv);
        var precision = (-rbm.LogVariance).Exp();
        var std = (rbm.LogVariance * 0.5f).Exp();
        double logZA = rbm.LogGaussianNormalizer() + nh * Math.Log(2);
        var u = bA + Tensor.Randn([m, nv], gen, device: rbm.Device) * std;
        var logW = Tensor.Zeros([m], rbm.Device);
        for (int k = 1; k < betas.Length; k++)
        {
            using var step = TensorScope.Begin();
            float b0 = (float)betas[k - 1], b1 = (float)betas[k];
            var hin = Tensor.MatMul(u * precision, rbm.W) + rbm.HiddenBias;
            // log p*_{β1}(u) − log p*_{β0}(u): the quadratic part moves from the base to the model linearly in β.
            var quadDiff = (((u - rbm.VisibleBias).Square() - (u - bA).Square()) * precision).Sum(1) * (-0.5f * (b1 - b0));
            var delta = quadDiff + (hin * b1).Softplus().Sum(1) - (hin * b0).Softplus().Sum(1);
            logW.AddInPlace(delta);
            if (k == betas.Length - 1) break;
            var h = Tensor.Bernoulli((hin * b1).Sigmoid(), gen);
            var mean = (Tensor.MatMul(h, rbm.W, transB: true) + rbm.VisibleBias) * b1 + bA * (1f - b1);
            u.CopyFrom(mean + Tensor.Randn([m, nv], gen, device: rbm.Device) * std);
            if (progress is not null && (k % 100 == 0)) progress(k, betas.Length - 1);
        }
        progress?.Invoke(betas.Length - 1, betas.Length - 1);
        return Summarise(logW.ToArray(), logZA, m, betas.Length - 1);
    }

    /// <summary>b_A for a Gaussian–Bernoulli RBM: the mean of the standardised data u = (v − shift)/scale [n_visible].</summary>
    public static Tensor BaseMean(GaussianBernoulliRbm rbm, Tensor data)
    {
        using var _ = Tensor.NoGrad();
        using var scope = TensorScope.Begin();
        return ((data - rbm.Shift) / rbm.Scale).Mean(0).MoveToOuterScope();
    }

    /// <summary>log Z from the final log-weights: log Z_A + log mean w, its delta-method standard error and the ±3 s.e. range.</summary>
    private static AisResult Summarise(float[] logWeights, double logZA, int m, int betas)
    {
        var lw = logWeights.Select(x => (double)x).ToArray();
        if (lw.Any(x => !double.IsFinite(x)))
            throw new GibbsException("AIS weights overflowed (a non-finite log-weight): the model's energies exceed float32's range — its weights are too large to evaluate");
        double max = lw.Max();
        var w = lw.Select(x => Math.Exp(x - max)).ToArray();
        double mean = w.Average();
        double sd = Math.Sqrt(w.Select(x => (x - mean) * (x - mean)).Sum() / (m - 1));
        double se = sd / Math.Sqrt(m) / mean; // std. error of log(mean w) by the delta method
        double logMean = max + Math.Log(mean);
        double lo = mean - 3 * sd / Math.Sqrt(m) > 0 ? max + Math.Log(mean - 3 * sd / Math.Sqrt(m)) : double.NegativeInfinity;
        double hi = max + Math.Log(mean + 3 * sd / Math.Sqrt(m));
        return new AisResult(logZA + logMean, se, logZA + lo, logZA + hi, logZA, m, betas);
    }

    /// <summary>b_A = log(p/(1−p)) of the per-feature mean p of <paramref name="data"/> [N × n_visible], clipped to [1e-3, 1 − 1e-3].</summary>
    public static Tensor BaseRateBias(Tensor data)
    {
        using var _ = Tensor.NoGrad();
        using var scope = TensorScope.Begin();
        var p = data.Mean(0).Clamp(1e-3f, 1f - 1e-3f);
        return (p / (1f - p)).Log().MoveToOuterScope();
    }
}
