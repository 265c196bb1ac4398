// Helpers for RBM tests: random small RBMs and brute-force sums in double precision.
using Gibbs.Models.Rbm;
using Gibbs.Rng;

namespace Gibbs.Tests.Rbm;

internal static class RbmTestUtil
{
    public static BernoulliRbm RandomBernoulli(int nv, int nh, float std, ulong seed)
    {
        var rbm = new BernoulliRbm(nv, nh);
        var gen = new Generator(seed);
        rbm.InitializeWeights(gen, std);
        using var scope = TensorScope.Begin();
        rbm.VisibleBias.CopyFrom(Tensor.Randn([nv], gen, 0f, std));
        rbm.HiddenBias.CopyFrom(Tensor.Randn([nh], gen, 0f, std));
        return rbm;
    }

    /// <summary>log Σ_{v,h} exp(−E(v,h)) over every joint state, in double.</summary>
    public static double BruteForceLogZ(BernoulliRbm rbm)
    {
        var w = rbm.W.ToArray();
        var bv = rbm.VisibleBias.ToArray();
        var bh = rbm.HiddenBias.ToArray();
        int nv = rbm.NVisible, nh = rbm.NHidden;
        var terms = new List<double>();
        for (int vs = 0; vs < 1 << nv; vs++)
            for (int hs = 0; hs < 1 << nh; hs++)
            {
                double e = 0;
                for (int i = 0; i < nv; i++) if ((vs >> i & 1) != 0) e += bv[i];
                for (int j = 0; j < nh; j++) if ((hs >> j & 1) != 0) e += bh[j];
                for (int i = 0; i < nv; i++)
                    for (int j = 0; j < nh; j++)
                        if ((vs >> i & 1) != 0 && (hs >> j & 1) != 0) e += w[i * nh + j];
                terms.Add(e);
            }
        double m = terms.Max();
        return m + Math.Log(terms.Sum(t => Math.Exp(t - m)));
    }

    /// <summary>Exact ⟨v hᵀ⟩ under the model by enumerating v (P(v) ∝ e^{−F(v)}), [nv × nh] row-major.</summary>
    public static double[] ExactModelCorrelation(BernoulliRbm rbm)
    {
        int nv = rbm.NVisible, nh = rbm.NHidden;
        var states = new float[(1 << nv) * nv];
        for (int s = 0; s < 1 << nv; s++) for (int i = 0; i < nv; i++) states[s * nv + i] = (s >> i & 1);
        using var scope = TensorScope.Begin();
        var v = Tensor.FromArray(states, [1 << nv, nv]);
        var negF = (-rbm.FreeEnergy(v)).ToArray();
        var ph = rbm.HiddenProbabilities(v).ToArray();
        double m = negF.Max();
        var p = negF.Select(x => Math.Exp(x - m)).ToArray();
        double z = p.Sum();
        var c = new double[nv * nh];
        for (int s = 0; s < 1 << nv; s++)
            for (int i = 0; i < nv; i++)
                for (int j = 0; j < nh; j++)
                    c[i * nh + j] += p[s] / z * states[s * nv + i] * ph[s * nh + j];
        return c;
    }
}
