// Exact log Z by enumerating the smaller layer (≤ 20 units): for Bernoulli RBMs
// log Z = LSE_h [b_h·h + Σ_i softplus((h·Wᵀ + b_v)_i)]  or  LSE_v [−F(v)];
// for Gaussian–Bernoulli RBMs the Gaussian integral over v is done in closed form.
namespace Gibbs.Models.Rbm;

public static class PartitionFunction
{
    /// <summary>Largest layer size that is enumerated exactly (2^20 states).</summary>
    public const int MaxEnumeratedUnits = 20;

    /// <summary>Exact log Z (in double precision) of a small RBM.</summary>
    public static double ExactLogZ(Rbm rbm)
    {
        if (rbm is GaussianBernoulliRbm g)
        {
            if (g.NHidden > MaxEnumeratedUnits) throw TooBig(rbm);
            return g.LogGaussianNormalizer() + LogSumExpOverStates(g.NHidden, rbm.Device, g.HiddenLogWeight);
        }
        var b = (BernoulliRbm)rbm;
        if (b.NHidden <= MaxEnumeratedUnits && b.NHidden <= b.NVisible)
            return LogSumExpOverStates(b.NHidden, rbm.Device, h => (Tensor.MatMul(h, b.HiddenBias.Reshape(b.NHidden, 1)).Reshape(-1) + b.VisibleInput(h).Softplus().Sum(1)));
        if (b.NVisible <= MaxEnumeratedUnits)
            return LogSumExpOverStates(b.NVisible, rbm.Device, v => -b.FreeEnergy(v));
        if (b.NHidden <= MaxEnumeratedUnits)
            return LogSumExpOverStates(b.NHidden, rbm.Device, h => (Tensor.MatMul(h, b.HiddenBias.Reshape(b.NHidden, 1)).Reshape(-1) + b.VisibleInput(h).Softplus().Sum(1)));
        throw TooBig(rbm);
    }

    private static GibbsException TooBig(Rbm rbm) =>
        new($"exact log Z enumerates a layer of at most {MaxEnumeratedUnits} units; this RBM has {rbm.NVisible} visible and {rbm.NHidden} hidden: use --logz ais (or tap).");

    /// <summary>log Σ over all 2^n binary states s of f(s), f evaluated on batches of states [B × n] → [B].</summary>
    internal static double LogSumExpOverStates(int n, Backends.Device device, Func<Tensor, Tensor> f)
    {
        long total = 1L << n;
        int batch = (int)Math.Min(total, 1 << 14);
        var values = new List<float>((int)total);
        var states = new float[batch * n];
        using var _ = Tensor.NoGrad();
        for (long start = 0; start < total; start += batch)
        {
            int count = (int)Math.Min(batch, total - start);
            for (int r = 0; r < count; r++)
            {
                long s = start + r;
                for (int j = 0; j < n; j++) states[r * n + j] = (s >> j & 1) != 0 ? 1f : 0f;
            }
            using var scope = TensorScope.Begin();
            values.AddRange(f(Tensor.FromArray(states.AsSpan(0, count * n), [count, n], device)).ToArray());
        }
        return LogSumExp(values);
    }

    internal static double LogSumExp(IReadOnlyList<float> v)
    {
        double m = double.NegativeInfinity;
        foreach (var x in v) m = Math.Max(m, x);
        if (double.IsNegativeInfinity(m) || double.IsNaN(m)) return m;
        double s = 0;
        foreach (var x in v) s += Math.Exp(x - m);
        return m + Math.Log(s);
    }
}
