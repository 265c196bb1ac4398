// App. H's toy model and the TherML functionals (001_ada2633fde8fc741.txt): the float32 tensor path the trainer runs
// against an independent float64 reference written here from the formulas (the model's form, eqs. 10–13, the
// closed-form S); S against numerical integration of the weight posterior's divergence; every preset against the
// loss it is named for, computed independently; one training step of each route against the exact expected update;
// the hand-crafted optimal model's R = I(x; Z); bad input.
using Gibbs.Models.Therml;
using Gibbs.Rng;

namespace Gibbs.Tests.Therml;

public class ThermlToyTests
{
    private const int X = 30, K = 30;

    /// <summary>The model's parameters as float64 arrays, and an independent float64 evaluation of everything.</summary>
    private sealed class Reference
    {
        public double[] Ew, Eb, Dw, Db, Cw, Cb, Pi, LogAlpha;

        public Reference(ThermlToyModel m)
        {
            double[] D(Tensor t) => t.ToArray().Select(v => (double)v).ToArray();
            (Ew, Eb, Dw, Db, Cw, Cb, Pi, LogAlpha) = (D(m.EncoderWeight), D(m.EncoderBias), D(m.DecoderWeight), D(m.DecoderBias),
                                                       D(m.ClassifierWeight), D(m.ClassifierBias), D(m.MarginalLogits), D(m.LogAlpha));
        }

        public double[][] All => [Ew, Eb, Dw, Db, Cw, Cb, Pi, LogAlpha];

        private static double V(int i) => i - 14.5;

        private static double[] LogSoftmax(double[] a)
        {
            double max = a.Max(), lse = max + Math.Log(a.Sum(v => Math.Exp(v - max)));
            return a.Select(v => v - lse).ToArray();
        }

        /// <summary>log e(z|x) for one noise draw ξ (null: ε = 1).</summary>
        public double[][] LogEncoder(double[]? xi) => Enumerable.Range(0, X).Select(x => LogSoftmax(Enumerable.Range(0, K).Select(z =>
        {
            double a = Math.Exp(LogAlpha[z]);
            double w = Ew[z] * (xi is null ? 1 : Math.Exp(-a / 2 + Math.Sqrt(a) * xi[z]));
            return -Math.Pow(w * V(x) - Eb[z], 2);
        }).ToArray())).ToArray();

        public double[] LogMarginal => LogSoftmax(Pi);
        public double[][] LogDecoder => Enumerable.Range(0, K).Select(z => LogSoftmax(Enumerable.Range(0, X).Select(x => -Math.Pow(Dw[x] * V(z) - Db[x], 2)).ToArray())).ToArray();
        public double[][] LogClassifier => Enumerable.Range(0, K).Select(z => LogSoftmax(Enumerable.Range(0, 2).Select(y => -Math.Pow(Cw[y] * V(z) - Cb[y], 2)).ToArray())).ToArray();

        /// <summary>R, D, C per example averaged over the draws, straight from eqs. 11, 13, 12.</summary>
        public (double R, double D, double C) Terms(double[,] pxy, double[][]? xi)
        {
            double r = 0, d = 0, c = 0;
            var draws = xi ?? [null!];
            var lq = LogMarginal;
            var ld = LogDecoder;
            var lc = LogClassifier;
            foreach (var draw in draws)
            {
                var le = LogEncoder(draw);
                for (int x = 0; x < X; x++)
                    for (int z = 0; z < K; z++)
                    {
                        double e = Math.Exp(le[x][z]);
                        for (int y = 0; y < 2; y++)
                        {
                            double p = pxy[x, y];
                            r += p * e * (le[x][z] - lq[z]);
                            d -= p * e * ld[z][x];
                            c -= p * e * lc[z][y];
                        }
                    }
            }
            return (r / draws.Length, d / draws.Length, c / draws.Length);
        }

        /// <summary>S in closed form (the prior of ThermlToyModel's header), written out again.</summary>
        public double Entropy()
        {
            double s = 0, s2 = ThermlToyModel.PriorScale * ThermlToyModel.PriorScale;
            for (int i = 0; i < K; i++)
            {
                double a = Math.Exp(LogAlpha[i]), mu = Math.Log(Math.Abs(Ew[i])) - a / 2;
                s += Math.Log(2) + 0.5 * (Math.Log(s2 / a) + (a + mu * mu) / s2 - 1);
            }
            return s;
        }

        public double Objective(Multipliers m, double[,] pxy, double[][]? xi, int n, double? priorSd = null)
        {
            var (r, d, c) = Terms(pxy, priorSd is null ? xi : null);
            double j = n * (m.Rho * r + m.Delta * d + m.Gamma * c);
            if (priorSd is { } sd) j += m.Sigma * All.Take(7).Sum(p => p.Sum(v => v * v)) / (2 * sd * sd);
            else j += m.Sigma * Entropy();
            return j;
        }
    }

    private static double[][] Rows(Tensor xi)
    {
        var v = xi.ToArray();
        return Enumerable.Range(0, xi.Dim(0)).Select(m => Enumerable.Range(0, K).Select(z => (double)v[m * K + z]).ToArray()).ToArray();
    }

    private static ThermlToyModel Perturbed(ulong seed)
    {
        // Initialisation plus larger, visible noise (α around 0.05–0.5) and a non-uniform marginal, so every term matters.
        var m = new ThermlToyModel(new Generator(seed));
        var gen = new Generator(seed + 100);
        m.LogAlpha.AddInPlace(Tensor.Rand([K], gen, 6f, 8.5f));
        m.MarginalLogits.AddInPlace(Tensor.Randn([K], gen));
        m.DecoderWeight.AddInPlace(Tensor.Randn([X], gen, 0f, 0.3f));
        m.ClassifierWeight.AddInPlace(Tensor.Randn([2], gen, 0f, 0.3f));
        return m;
    }

    [Fact]
    public void TheModelHas184Parameters() =>
        Assert.Equal(184, new ThermlToyModel(new Generator(1)).ParameterCount);

    [Fact]
    public void TheFunctionalsMatchAnIndependentFloat64Evaluation()
    {
        var model = Perturbed(3);
        var reference = new Reference(model);
        var toy = ToyData.AppendixH;
        var (xs, ys) = toy.Sample(50, new Generator(5));
        foreach (var pxy in new[] { toy.Exact(), ToyData.Empirical(xs, ys) })
        {
            using var xi = ThermlToyModel.Noise(3, new Generator(9));
            using var p = Tensor.FromArray(pxy.Cast<double>().Select(v => (float)v).ToArray(), [X, 2]);
            var (r, d, c) = model.Terms(p, xi);
            var want = reference.Terms(pxy, Rows(xi));
            Assert.Equal(want.R, r.Item(), 3e-4 * Math.Max(1, Math.Abs(want.R)));
            Assert.Equal(want.D, d.Item(), 3e-4 * Math.Abs(want.D));
            Assert.Equal(want.C, c.Item(), 3e-4 * Math.Abs(want.C));
            Assert.Equal(reference.Entropy(), model.Entropy().Item(), 1e-4 * Math.Abs(reference.Entropy()));
            // The float64 evaluation the reports use (Evaluate, via TabularChannels) agrees too.
            var f = model.Evaluate(pxy, xi);
            Assert.Equal(want.R, f.R, 2e-4 * Math.Max(1, Math.Abs(want.R)));
            Assert.Equal(want.D, f.D, 2e-4 * Math.Abs(want.D));
            Assert.Equal(want.C, f.C, 2e-4 * Math.Abs(want.C));
            // Noise-free channels (ε = 1).
            var (r0, d0, c0) = model.Terms(p, null);
            var want0 = reference.Terms(pxy, null);
            Assert.Equal(want0.R, r0.Item(), 3e-4 * Math.Max(1, Math.Abs(want0.R)));
            Assert.Equal(want0.D, d0.Item(), 3e-4 * Math.Abs(want0.D));
            Assert.NotEqual(want.R, want0.R, 3);   // the noise is visible, so the draws above were tested
        }
    }

    [Fact]
    public void TabularFunctionalsOnATwoByTwoModelByHand()
    {
        // x, z, y ∈ {0, 1}: e(z|x) = [[0.9, 0.1], [0.2, 0.8]], q(z) = [0.5, 0.5], q(x|z) = [[0.7, 0.3], [0.4, 0.6]],
        // q(y|z) = [[0.6, 0.4], [0.1, 0.9]], p(x, y) = [[0.3, 0.1], [0.2, 0.4]].
        var t = new TabularChannels(new[,] { { 0.9, 0.1 }, { 0.2, 0.8 } }, [0.5, 0.5], new[,] { { 0.7, 0.3 }, { 0.4, 0.6 } }, new[,] { { 0.6, 0.4 }, { 0.1, 0.9 } });
        var p = new[,] { { 0.3, 0.1 }, { 0.2, 0.4 } };
        var f = t.Evaluate(p, entropy: 7);
        double r = 0.4 * (0.9 * Math.Log(1.8) + 0.1 * Math.Log(0.2)) + 0.6 * (0.2 * Math.Log(0.4) + 0.8 * Math.Log(1.6));
        double d = -0.4 * (0.9 * Math.Log(0.7) + 0.1 * Math.Log(0.4)) - 0.6 * (0.2 * Math.Log(0.3) + 0.8 * Math.Log(0.6));
        double c = -0.3 * (0.9 * Math.Log(0.6) + 0.1 * Math.Log(0.1)) - 0.1 * (0.9 * Math.Log(0.4) + 0.1 * Math.Log(0.9))
                   - 0.2 * (0.2 * Math.Log(0.6) + 0.8 * Math.Log(0.1)) - 0.4 * (0.2 * Math.Log(0.4) + 0.8 * Math.Log(0.9));
        Assert.Equal(r, f.R, 12);
        Assert.Equal(d, f.D, 12);
        Assert.Equal(c, f.C, 12);
        Assert.Equal(7, f.S);
        // The panel's distributions: g(x) = Σ q(z)q(x|z); e(z) = Σ p(x)e(z|x); d(x) = Σ e(z)q(x|z); q(x′|x) = Σ e(z|x)q(x′|z).
        Assert.Equal([0.55, 0.45], t.Generative(), new DoubleTolerance(1e-12));
        Assert.Equal([0.48, 0.52], t.Induced([0.4, 0.6]), new DoubleTolerance(1e-12));
        Assert.Equal([0.48 * 0.7 + 0.52 * 0.4, 0.48 * 0.3 + 0.52 * 0.6], t.Reconstruction([0.4, 0.6]), new DoubleTolerance(1e-12));
        Assert.Equal(0.9 * 0.3 + 0.1 * 0.6, t.Transition()[0, 1], 12);
        Assert.Throws<GibbsException>(() => t.Evaluate(new[,] { { 0.5, 0.1 }, { 0.2, 0.4 } }));
    }

    private sealed class DoubleTolerance(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(double v) => 0;
    }

    [Fact]
    public void TheHandCraftedOptimalModelHasRateIAndDistortionHOfXGivenZ()
    {
        var toy = ToyData.AppendixH;
        var f = TabularChannels.HandCrafted(toy).Evaluate(toy.Exact());
        Assert.Equal(0.5, f.R, 9);   // R = I(x; Z)
        // D = H(x|Z) = H(x) − I(x; Z), written out.
        double hx = -Enumerable.Range(0, X).Sum(x => toy.Marginal(x) * Math.Log(toy.Marginal(x)));
        Assert.Equal(hx - 0.5, f.D, 9);
        // C = H(y|z) for z a fresh draw of p(Z|x): p(z, y) = Σₓ p(x, y) p(z|x).
        double c = 0;
        var pzy = new double[2, 2];
        for (int x = 0; x < X; x++)
            for (int z = 0; z < 2; z++)
                for (int y = 0; y < 2; y++)
                    pzy[z, y] += toy.Joint(x, y) * (z == 1 ? toy.ClassGivenX(x) : 1 - toy.ClassGivenX(x));
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 2; y++) c -= pzy[z, y] * Math.Log(pzy[z, y] / (pzy[z, 0] + pzy[z, 1]));
        Assert.Equal(c, f.C, 9);
        // R + D ≥ H(x) (eq. 16's weaker form) holds with equality here.
        Assert.Equal(hx, f.R + f.D, 9);
    }

    [Theory]
    [InlineData(0.3, 0.01)]
    [InlineData(-2.0, 0.2)]
    [InlineData(5.0, 1.5)]
    public void TheClosedFormSMatchesNumericalIntegration(double w, double alpha)
    {
        // KL(p ‖ q) = ∫ p(w̃) log[p(w̃)/q(w̃)] dw̃ over w̃ with the sign of w: p the density of w·ε, log ε ~ N(−α/2, α);
        // q(w̃) = ½·LogNormal(|w̃|; 0, s₀²). Simpson's rule on u = log|w̃| (the Jacobian cancels in the ratio but not in dw̃).
        double s0 = ThermlToyModel.PriorScale, mu = Math.Log(Math.Abs(w)) - alpha / 2, sd = Math.Sqrt(alpha);
        double LogNormalPdf(double v, double m, double s) => -Math.Log(v * s * Math.Sqrt(2 * Math.PI)) - Math.Pow(Math.Log(v) - m, 2) / (2 * s * s);
        int n = 20000;
        double lo = mu - 12 * sd, hi = mu + 12 * sd, h = (hi - lo) / n, kl = 0;
        for (int i = 0; i <= n; i++)
        {
            double u = lo + i * h, v = Math.Exp(u);           // v = |w̃|
            double logp = LogNormalPdf(v, mu, sd), logq = Math.Log(0.5) + LogNormalPdf(v, 0, s0);
            double f = Math.Exp(logp) * (logp - logq) * v;    // dw̃ = v du
            kl += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
        }
        kl *= h / 3;
        var model = new ThermlToyModel(new Generator(1));
        model.EncoderWeight.CopyFrom(Tensor.Full([K], (float)w));
        model.LogAlpha.CopyFrom(Tensor.Full([K], (float)Math.Log(alpha)));
        Assert.Equal(K * kl, model.Entropy().Item(), 2e-4 * K * Math.Max(1, Math.Abs(kl)));
    }

    [Fact]
    public void EveryPresetIsTheLossItIsNamedFor()
    {
        var model = Perturbed(7);
        var reference = new Reference(model);
        var toy = ToyData.AppendixH;
        var (xs, ys) = toy.Sample(50, new Generator(11));
        var pxy = ToyData.Empirical(xs, ys);
        using var p = Tensor.FromArray(pxy.Cast<double>().Select(v => (float)v).ToArray(), [X, 2]);
        using var xi = ThermlToyModel.Noise(2, new Generator(13));
        var draws = Rows(xi);
        var (r, d, c) = reference.Terms(pxy, draws);
        double s = reference.Entropy();
        // The named losses over the 50 examples, each written from its paper: sums of per-example terms, KL in full.
        double ce = 50 * c;                                    // Σᵢ −log q(yᵢ|zᵢ)
        double negElbo = 0;                                    // −Σᵢ E_e[log q(xᵢ|z) + log q(z) − log e(z|xᵢ)]
        var le = draws.Select(reference.LogEncoder).ToArray();
        for (int i = 0; i < 50; i++)
            foreach (var l in le)
                for (int z = 0; z < K; z++)
                    negElbo -= Math.Exp(l[xs[i]][z]) * (reference.LogDecoder[z][xs[i]] + reference.LogMarginal[z] - l[xs[i]][z]) / le.Length;
        double rate = 50 * r, distortion = 50 * d;
        var known = new Dictionary<string, double>
        {
            ["deterministic-classifier"] = ce,
            ["entropy-classifier"] = ce + 0.1 * s,
            ["entropy-ib"] = ce + 0.01 * s,                    // Achille & Soatto: C + βS
            ["bayesian-nn"] = ce + s,                          // Blundell et al.: Σ NLL + KL(posterior ‖ prior)
            ["vib"] = ce + 0.5 * rate,                         // Alemi et al. 2016: C + βR
            ["entropy-vib"] = ce + 0.9 * rate + 0.1 * s,
            ["autoencoder"] = distortion,
            ["entropy-autoencoder"] = distortion + 0.01 * s,
            ["vae"] = negElbo,                                 // Kingma & Welling: −ELBO
            ["beta-vae"] = distortion + 0.9 * rate,            // Higgins et al.: D + βR
            ["semi-supervised"] = negElbo + ce,                // Kingma et al. 2014 with α = 1
            ["entropy-vae"] = negElbo + 0.5 * s,
            ["full"] = 0.9 * rate + distortion + 1000 * ce + 0.5 * s,
        };
        Assert.Equal(known.Keys.Order(), ThermlPresets.Names.Order());
        foreach (var preset in ThermlPresets.All)
        {
            var (j, _, _, _) = ThermlToyTrainer.Objective(model, preset.Multipliers, p, xi, 50);
            Assert.True(Math.Abs(known[preset.Name] - j.Item()) <= 3e-4 * Math.Abs(known[preset.Name]), $"{preset.Name}: {j.Item()} vs {known[preset.Name]}");
        }
        // The −ELBO bounds −Σ log g(xᵢ) (the model's marginal likelihood of the examples) from above.
        var g = TabularChannels.Mean(model.Tabulate(null)).Generative();
        Assert.True(negElbo >= -xs.Sum(x => Math.Log(g[x])) - 1e-9);
    }

    /// <summary>∂J/∂θ by central differences of the float64 reference.</summary>
    private static double[][] NumericalGradient(Reference reference, Func<Reference, double> j)
    {
        var grads = new double[reference.All.Length][];
        for (int a = 0; a < reference.All.Length; a++)
        {
            var arr = reference.All[a];
            grads[a] = new double[arr.Length];
            for (int i = 0; i < arr.Length; i++)
            {
                double keep = arr[i], h = 1e-6 * Math.Max(1, Math.Abs(keep));
                arr[i] = keep + h;
                double up = j(reference);
                arr[i] = keep - h;
                double down = j(reference);
                arr[i] = keep;
                grads[a][i] = (up - down) / (2 * h);
            }
        }
        return grads;
    }

    [Fact]
    public void TheObjectiveGradientIsTheFiniteDifferenceOfTheReference()
    {
        // The gradient the trainer steps on (ThermlToyTrainer.Objective, S included) against central differences of the
        // float64 reference: magnitudes, not only the signs Adam's first step shows.
        var model = Perturbed(17);
        var reference = new Reference(model);
        var toy = ToyData.AppendixH;
        var (xs, ys) = toy.Sample(50, new Generator(19));
        var pxy = ToyData.Empirical(xs, ys);
        using var p = Tensor.FromArray(pxy.Cast<double>().Select(v => (float)v).ToArray(), [X, 2]);
        using var xi = ThermlToyModel.Noise(2, new Generator(31));
        var m = new Multipliers(0.9, 1, 2, 0.5);
        var (j, _, _, _) = ThermlToyTrainer.Objective(model, m, p, xi, 50);
        j.Backward();
        var want = NumericalGradient(reference, r => r.Objective(m, pxy, Rows(xi), 50));
        var got = new[] { model.EncoderWeight, model.EncoderBias, model.DecoderWeight, model.DecoderBias, model.ClassifierWeight, model.ClassifierBias, model.MarginalLogits, model.LogAlpha }
            .Select(t => t.Grad!.ToArray()).ToArray();
        double scale = want.SelectMany(g => g).Max(Math.Abs);
        for (int a = 0; a < want.Length; a++)
            for (int i = 0; i < want[a].Length; i++)
                Assert.True(Math.Abs(got[a][i] - want[a][i]) <= 2e-3 * Math.Abs(want[a][i]) + 1e-5 * scale, $"block {a}[{i}]: {got[a][i]} vs {want[a][i]}");
    }

    [Fact]
    public void OneNoiseRouteStepIsTheExpectedAdamStep()
    {
        // The trainer's first step from seed 21: data Fork(1), initialisation Fork(2), noise Fork(3) — replayed here.
        var m = new Multipliers(0.9, 1, 1, 0.1);
        var options = new ThermlToyOptions { Multipliers = m, Steps = 1, LearningRate = 0.03f, Seed = 21, EvalDraws = 1 };
        var root = new Generator(21);
        var (xs, ys) = ToyData.AppendixH.Sample(50, root.Fork(1));
        var before = new Reference(new ThermlToyModel(root.Fork(2)));
        using var xi = ThermlToyModel.Noise(1, root.Fork(3));
        var draws = Rows(xi);
        var pxy = ToyData.Empirical(xs, ys);
        var grad = NumericalGradient(before, r => r.Objective(m, pxy, draws, 50));
        var after = new Reference(ThermlToyTrainer.Train(options).Model);
        // Adam's first step: m̂ = g, v̂ = g², so θ₁ = θ₀ − η·g/(|g| + 1e-8).
        for (int a = 0; a < grad.Length; a++)
            for (int i = 0; i < grad[a].Length; i++)
            {
                double g = grad[a][i], want = before.All[a][i] - 0.03 * g / (Math.Abs(g) + 1e-8);
                double tol = Math.Abs(g) < 1e-3 ? 0.031 : 2e-4 * Math.Max(1, Math.Abs(want));   // tiny gradients: only the size of the move is sure
                Assert.True(Math.Abs(after.All[a][i] - want) <= tol, $"parameter block {a}[{i}]: {after.All[a][i]} vs {want} (g = {g})");
            }
    }

    [Fact]
    public void OneLangevinStepAtZeroTemperatureIsGradientDescentOnTheObjective()
    {
        var m = new Multipliers(1, 1, 1, 0);
        var options = new ThermlToyOptions { Multipliers = m, Steps = 1, LearningRate = 1e-3f, Seed = 23, Route = ThermlRoute.Langevin, Infinite = true };
        var root = new Generator(23);
        var before = new Reference(new ThermlToyModel(root.Fork(2)));
        var exact = ToyData.AppendixH.Exact();
        var grad = NumericalGradient(before, r => r.Objective(m, exact, null, 50, priorSd: 10));
        var after = new Reference(ThermlToyTrainer.Train(options).Model);
        for (int a = 0; a < grad.Length; a++)
            for (int i = 0; i < grad[a].Length; i++)
            {
                double want = a == 7 ? before.All[a][i] : before.All[a][i] - 1e-3 * grad[a][i];   // α is not a Langevin parameter
                Assert.True(Math.Abs(after.All[a][i] - want) <= 2e-5 * Math.Max(1, Math.Abs(want)) + 1e-6 * Math.Abs(grad[a][i]),
                    $"parameter block {a}[{i}]: {after.All[a][i]} vs {want}");
            }
    }

    [Fact]
    public void TheLangevinPotentialCarriesTheGaussianPriorAtTemperatureSigma()
    {
        var model = Perturbed(29);
        var reference = new Reference(model);
        var exact = ToyData.AppendixH.Exact();
        using var p = Tensor.FromArray(exact.Cast<double>().Select(v => (float)v).ToArray(), [X, 2]);
        var m = new Multipliers(1, 0.5, 2, 0.7);
        var (u, _, _, _) = ThermlToyTrainer.Objective(model, m, p, null, 50, langevinPriorSd: 3);
        double want = reference.Objective(m, exact, null, 50, priorSd: 3);
        Assert.Equal(want, u.Item(), 3e-4 * Math.Abs(want));
    }

    [Fact]
    public void SameSeedSameRun()
    {
        var o = new ThermlToyOptions { Multipliers = ThermlPresets.Get("full").Multipliers, Steps = 50, Seed = 4, EvalDraws = 8 };
        var a = ThermlToyTrainer.Train(o);
        var b = ThermlToyTrainer.Train(o);
        Assert.Equal(a.OnExact, b.OnExact);
        Assert.Equal(a.Model.EncoderBias.ToArray(), b.Model.EncoderBias.ToArray());
        Assert.NotEqual(a.OnExact, ThermlToyTrainer.Train(o with { Seed = 5 }).OnExact);
    }

    [Fact]
    public void TheReportedFunctionalsAreTheModelsOnTheRightDistributions()
    {
        var o = new ThermlToyOptions { Multipliers = ThermlPresets.Get("vae").Multipliers, Steps = 30, Seed = 8, EvalDraws = 16 };
        var run = ThermlToyTrainer.Train(o);
        using var xi = ThermlToyModel.Noise(16, new Generator(ThermlToyTrainer.EvaluationSeed));
        var (xs, ys) = run.Data!.Value;
        Assert.Equal(50, xs.Length);
        Assert.Equal(ToyData.AppendixH.Sample(50, new Generator(8).Fork(1)).X, xs);
        Assert.Equal(run.Model.Evaluate(ToyData.AppendixH.Exact(), xi), run.OnExact);
        Assert.Equal(run.Model.Evaluate(ToyData.Empirical(xs, ys), xi), run.OnTrain);
        Assert.Equal(o.Multipliers.Objective(run.OnTrain, 50), run.Objective);
        // Infinite data: trained and evaluated on the exact distribution.
        var inf = ThermlToyTrainer.Train(o with { Infinite = true });
        Assert.Null(inf.Data);
        Assert.Equal(inf.OnExact, inf.OnTrain);
        // Langevin: chain averages of the noise-free model; S has no closed form there.
        var lang = ThermlToyTrainer.Train(o with { Route = ThermlRoute.Langevin, LearningRate = 1e-4f, Steps = 400, Multipliers = new Multipliers(1, 1, 0, 0.5) });
        Assert.True(double.IsNaN(lang.OnTrain.S) && double.IsFinite(lang.OnExact.D));
        Assert.Equal(200 / 100, lang.History.Count(h => h.Step > 200));
    }

    [Fact]
    public void AnnealingRunsTheRateFromItsStartToOnePercent()
    {
        var o = new ThermlToyOptions { Multipliers = ThermlPresets.Get("vib").Multipliers, Steps = 100, LearningRate = 0.02f, Anneal = true, Seed = 3, EvalDraws = 4 };
        Assert.Equal(0.02f, ThermlToyTrainer.Rate(o, 1));
        Assert.Equal(0.02 * (0.01 + 0.99 * 0.5 * (1 + Math.Cos(Math.PI * 50 / 100))), ThermlToyTrainer.Rate(o, 51), 1e-8);
        Assert.Equal(0.02 * 0.01, ThermlToyTrainer.Rate(o, 101), 1e-9);
        Assert.Equal(0.02f, ThermlToyTrainer.Rate(o with { Anneal = false }, 60));
        Assert.NotEqual(ThermlToyTrainer.Train(o).OnTrain, ThermlToyTrainer.Train(o with { Anneal = false }).OnTrain);
    }

    [Fact]
    public void ADivergingChainIsOneLineWithTheFix()
    {
        // γ = 1000 makes SGLD's steps 1000 times larger: at 1e-4 the chain leaves for infinity.
        var o = new ThermlToyOptions { Multipliers = ThermlPresets.Get("full").Multipliers, Route = ThermlRoute.Langevin, LearningRate = 1e-4f, Steps = 400, Seed = 1 };
        var e = Assert.Throws<GibbsException>(() => ThermlToyTrainer.Train(o));
        Assert.Contains("training diverged by step", e.Message);
        Assert.Contains("use a smaller --lr", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        // The rate it suggests works.
        var suggested = float.Parse(System.Text.RegularExpressions.Regex.Match(e.Message, @"try ([0-9.E+-]+)\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(suggested < 1e-5f);
        Assert.True(double.IsFinite(ThermlToyTrainer.Train(o with { LearningRate = suggested }).OnExact.C));
    }

    [Fact]
    public void BadMultipliersAndPresetsAreOneLine()
    {
        var e = Assert.Throws<GibbsException>(() => new Multipliers(1, -0.5, 0, 0));
        Assert.Contains("δ (--delta) must be a finite number ≥ 0, got -0.5", e.Message);
        Assert.Throws<GibbsException>(() => new Multipliers(double.NaN, 1, 0, 0));
        Assert.Contains("give at least one of", Assert.Throws<GibbsException>(() => new Multipliers(0, 0, 0, 1)).Message);
        var p = Assert.Throws<GibbsException>(() => ThermlPresets.Get("vea"));
        Assert.Contains("unknown TherML preset 'vea'", p.Message);
        foreach (var name in ThermlPresets.Names) Assert.Contains(name, p.Message);
        Assert.DoesNotContain('\n', p.Message);
        Assert.Equal("vae", ThermlPresets.Get("VAE").Name);
    }
}
