// An independent float64 implementation of one RBM training update, written from the formulas (not from
// the production code): likelihood gradients for given negative-phase rows, the TAP fixed-point iterations
// and negative phase of each order, the Gaussian free-energy gradient in closed form, and the SGD step with
// momentum and L1/L2 decay on W. Tests feed it what the trainer saw and compare the parameters.
namespace Gibbs.Tests.Rbm;

internal sealed class RbmReference
{
    public int Nv, Nh;
    public double[] W = [], Bv = [], Bh = [], Z = [];      // Z = log σ² (Gaussian only)
    public double[] VelW = [], VelBv = [], VelBh = [], VelZ = [];

    public static RbmReference Of(Gibbs.Models.Rbm.Rbm rbm)
    {
        var r = new RbmReference
        {
            Nv = rbm.NVisible, Nh = rbm.NHidden,
            W = D(rbm.W), Bv = D(rbm.VisibleBias), Bh = D(rbm.HiddenBias),
        };
        if (rbm is Gibbs.Models.Rbm.GaussianBernoulliRbm g) r.Z = D(g.LogVariance);
        r.VelW = new double[r.W.Length]; r.VelBv = new double[r.Nv]; r.VelBh = new double[r.Nh]; r.VelZ = new double[r.Z.Length];
        return r;
    }

    public static double[] D(Tensor t) => t.ToArray().Select(x => (double)x).ToArray();

    private static double Sig(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>P(h=1|v) for rows v [n × nv] (Bernoulli; for Gaussian pass u/σ² as v).</summary>
    public double[] Hidden(double[] v, int n)
    {
        var h = new double[n * Nh];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < Nh; j++)
            {
                double a = Bh[j];
                for (int i = 0; i < Nv; i++) a += v[r * Nv + i] * W[i * Nh + j];
                h[r * Nh + j] = Sig(a);
            }
        return h;
    }

    /// <summary>Σ_rows aᵀb / n: [nv × nh].</summary>
    private double[] Outer(double[] a, double[] b, int n)
    {
        var c = new double[Nv * Nh];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < Nv; i++)
                for (int j = 0; j < Nh; j++) c[i * Nh + j] += a[r * Nv + i] * b[r * Nh + j] / n;
        return c;
    }

    private static double[] Mean(double[] x, int n, int d)
    {
        var m = new double[d];
        for (int r = 0; r < n; r++) for (int i = 0; i < d; i++) m[i] += x[r * d + i] / n;
        return m;
    }

    /// <summary>Descent gradients (model − data) of a Bernoulli RBM for batch v and negative rows (vn, hn).</summary>
    public (double[] W, double[] Bv, double[] Bh) BernoulliGradient(double[] v, int n, double[] vn, double[] hn, int c)
    {
        var ph = Hidden(v, n);
        var pos = Outer(v, ph, n);
        var neg = Outer(vn, hn, c);
        return (neg.Select((x, i) => x - pos[i]).ToArray(),
                Mean(vn, c, Nv).Zip(Mean(v, n, Nv), (a, b) => a - b).ToArray(),
                Mean(hn, c, Nh).Zip(Mean(ph, n, Nh), (a, b) => a - b).ToArray());
    }

    private static double G(double m) => (m - m * m) * (0.5 - m);

    /// <summary>Damped TAP fixed-point iterations (order 1, 2, 3) from (mv, mh), in place: m_v first, then m_h.</summary>
    public void Iterate(double[] mv, double[] mh, int c, int order, int iterations, double damping = 0.5)
    {
        for (int it = 0; it < iterations; it++)
        {
            var nmv = new double[mv.Length];
            for (int r = 0; r < c; r++)
                for (int i = 0; i < Nv; i++)
                {
                    double f = Bv[i], mvi = mv[r * Nv + i];
                    for (int j = 0; j < Nh; j++)
                    {
                        double w = W[i * Nh + j], mhj = mh[r * Nh + j];
                        f += mhj * w;
                        if (order >= 2) f += (0.5 - mvi) * (mhj - mhj * mhj) * w * w;
                        if (order >= 3) f += (1.0 / 3 - 2 * (mvi - mvi * mvi)) * G(mhj) * w * w * w;
                    }
                    nmv[r * Nv + i] = damping * mvi + (1 - damping) * Sig(f);
                }
            Array.Copy(nmv, mv, mv.Length);
            var nmh = new double[mh.Length];
            for (int r = 0; r < c; r++)
                for (int j = 0; j < Nh; j++)
                {
                    double f = Bh[j], mhj = mh[r * Nh + j];
                    for (int i = 0; i < Nv; i++)
                    {
                        double w = W[i * Nh + j], mvi = mv[r * Nv + i];
                        f += mvi * w;
                        if (order >= 2) f += (0.5 - mhj) * (mvi - mvi * mvi) * w * w;
                        if (order >= 3) f += (1.0 / 3 - 2 * (mhj - mhj * mhj)) * G(mvi) * w * w * w;
                    }
                    nmh[r * Nh + j] = damping * mhj + (1 - damping) * Sig(f);
                }
            Array.Copy(nmh, mh, mh.Length);
        }
    }

    /// <summary>Descent gradients of the TAP solvers from batch v and converged magnetisations (mv, mh).</summary>
    public (double[] W, double[] Bv, double[] Bh) TapGradient(double[] v, int n, double[] mv, double[] mh, int c, int order)
    {
        var ph = Hidden(v, n);
        var pos = Outer(v, ph, n);
        var neg = Outer(mv, mh, c);
        if (order >= 2)
        {
            var fv = mv.Select(m => m - m * m).ToArray();
            var fh = mh.Select(m => m - m * m).ToArray();
            var f = Outer(fv, fh, c);
            for (int k = 0; k < neg.Length; k++) neg[k] += W[k] * f[k];
        }
        if (order >= 3)
        {
            var g = Outer(mv.Select(G).ToArray(), mh.Select(G).ToArray(), c);
            for (int k = 0; k < neg.Length; k++) neg[k] += 2 * W[k] * W[k] * g[k];
        }
        return (neg.Select((x, i) => x - pos[i]).ToArray(),
                Mean(mv, c, Nv).Zip(Mean(v, n, Nv), (a, b) => a - b).ToArray(),
                Mean(mh, c, Nh).Zip(Mean(ph, n, Nh), (a, b) => a - b).ToArray());
    }

    /// <summary>Descent gradients of a Gaussian RBM (shift 0, scale 1): ∂F̄/∂θ at the data minus at the negative rows.</summary>
    public (double[] W, double[] Bv, double[] Bh, double[] Z) GaussianGradient(double[] v, int n, double[] vn, int c)
    {
        var gw = new double[W.Length]; var gb = new double[Nv]; var gc = new double[Nh]; var gz = new double[Nv];
        void Add(double[] rows, int m, double sign)
        {
            for (int r = 0; r < m; r++)
            {
                var p = new double[Nh];
                for (int j = 0; j < Nh; j++)
                {
                    double a = Bh[j];
                    for (int i = 0; i < Nv; i++) a += W[i * Nh + j] * rows[r * Nv + i] * Math.Exp(-Z[i]);
                    p[j] = Sig(a);
                }
                for (int i = 0; i < Nv; i++)
                {
                    double u = rows[r * Nv + i], prec = Math.Exp(-Z[i]), wp = 0;
                    for (int j = 0; j < Nh; j++) { gw[i * Nh + j] += sign * -(u * prec) * p[j] / m; wp += W[i * Nh + j] * p[j]; }
                    gb[i] += sign * -(u - Bv[i]) * prec / m;
                    gz[i] += sign * (-(u - Bv[i]) * (u - Bv[i]) * prec / 2 + u * prec * wp) / m;
                }
                for (int j = 0; j < Nh; j++) gc[j] += sign * -p[j] / m;
            }
        }
        Add(v, n, 1);
        Add(vn, c, -1);
        return (gw, gb, gc, gz);
    }

    /// <summary>θ ← θ − lr·(μ·vel + g + decay), PyTorch's SGD, decay (L1 or L2) on W only.</summary>
    public void Sgd(double[] p, double[] vel, double[] g, double lr, double mu, double l2 = 0, double l1 = 0)
    {
        for (int k = 0; k < p.Length; k++)
        {
            double gk = g[k] + l2 * p[k] + l1 * Math.Sign(p[k]);
            vel[k] = mu * vel[k] + gk;
            p[k] -= lr * (mu > 0 ? vel[k] : gk);
        }
    }

    public static void AssertClose(double[] expected, Tensor actual, string what, double tol = 2e-5)
    {
        var a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int k = 0; k < a.Length; k++)
            Assert.True(Math.Abs(a[k] - expected[k]) <= tol * scale, $"{what}[{k}]: got {a[k]}, expected {expected[k]} (|Δ| {Math.Abs(a[k] - expected[k]):G3})");
    }
}
