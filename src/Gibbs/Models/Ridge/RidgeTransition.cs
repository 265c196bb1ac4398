// The phase-transition experiment of issue 14 item 5 (seed 003, "When regularization fails", the Tomioka figure):
// ridge as λ → 0 when the number of instances n crosses the number of features p (or the data's rank).
//  (a) Synthetic isotropic Gaussian designs, y = Xw* + ε, ‖w*‖² = r², ε ~ N(0, σ²), no intercept: the estimation risk
//      ‖ŵ − w*‖² (= the excess test risk for x ~ N(0, I)) averaged over repetitions, beside RidgeTheory's curves — the
//      exact finite-n expectation for λ = 0 (and, as its limit, λ = 1e-6), the asymptotic ridge risk for λ > 0. The
//      penalties are scikit-learn alphas: 0, 1e-6 and α*/4, α*, 4α* with α* = nλ* = σ²p/r² (λ* = σ²γ/r² per sample).
//  (b) Real images (pixels, p = 784) with a ±1 one-vs-rest target: test error against n at fixed alphas, the rank of
//      the centred design, and where LOO, GCV, the L-curve corner and the test-optimal alpha sit on a grid.
//  (c) The same sweep with L2 logistic regression (LogisticRegression, on the engine), classification error and ‖w‖.
// Every (size, repetition) draws from its own forked generator and results are reduced in a fixed order, so a sweep is
// bit-identical for any thread count.
using Gibbs.Data;
using Gibbs.Rng;

namespace Gibbs.Models.Ridge;

/// <summary>Which dimension a synthetic sweep varies: the rows n at fixed p, or the features p at fixed n.</summary>
public enum SweepAxis { Rows, Features }

/// <summary>A synthetic ridge sweep (isotropic Gaussian design).</summary>
public sealed record SyntheticSweepOptions
{
    /// <summary>What varies: n at fixed p (the blog's N_instances sweep), or p at fixed n (the γ sweep).</summary>
    public SweepAxis Axis { get; init; } = SweepAxis.Rows;
    /// <summary>The fixed dimension: p for <see cref="SweepAxis.Rows"/>, n for <see cref="SweepAxis.Features"/>.</summary>
    public int Fixed { get; init; } = 200;
    /// <summary>The varied dimension's values; default <see cref="RidgeTransition.DefaultSizes"/> of <see cref="Fixed"/>.</summary>
    public int[]? Sizes { get; init; }
    /// <summary>r² = ‖w*‖².</summary>
    public double SignalPower { get; init; } = 1;
    /// <summary>σ², the noise variance.</summary>
    public double NoiseVariance { get; init; } = 0.25;
    /// <summary>Designs (with fresh w* and noise) per size.</summary>
    public int Repetitions { get; init; } = 50;
}

/// <summary>One penalty of the sweep: its label and its scikit-learn alpha at (n, p).</summary>
public sealed record SweepPenalty(string Label, Func<int, int, double> Alpha)
{
    /// <summary>0, 1e-6, α*/4, α*, 4α* with α* = σ²p/r² (the per-sample λ* = σ²γ/r² times n).</summary>
    public static IReadOnlyList<SweepPenalty> Standard(double r2, double sigma2) =>
    [
        new("λ = 0", (_, _) => 0),
        new("λ = 1e-6", (_, _) => 1e-6),
        new("λ*/4", (n, p) => sigma2 * p / r2 / 4),
        new("λ*", (n, p) => sigma2 * p / r2),
        new("4λ*", (n, p) => 4 * sigma2 * p / r2),
    ];
}

/// <summary>The simulated mean risk at one (n, p, penalty) beside the theory curve.</summary>
/// <param name="MeanRisk">Mean of ‖ŵ − w*‖² over the repetitions.</param>
/// <param name="StandardError">Its standard error (sample s.d./√reps).</param>
/// <param name="Theory">The finite-n exact risk (λ ≤ 1e-6) or the asymptotic ridge risk (λ &gt; 1e-6); ∞ in the band.</param>
public sealed record RiskPoint(int Rows, int Features, string Penalty, double Alpha, double MeanRisk, double StandardError, double Theory, int Repetitions)
{
    /// <summary>(mean − theory)/s.e.</summary>
    public double Z => (MeanRisk - Theory) / StandardError;
    /// <summary>n − 1 ≤ p ≤ n + 1, where the λ = 0 risk is infinite.</summary>
    public bool InSingularBand => Math.Abs(Rows - Features) <= 1;
}

/// <summary>One fit of the real-data sweep.</summary>
/// <param name="Model">"ridge" or "logistic".</param>
/// <param name="Choice">"fixed", or how alpha was chosen on the grid: "loo", "gcv", "corner", "oracle" (best test MSE).</param>
/// <param name="Rank">The numerical rank of the centred training design.</param>
/// <param name="TestMse">Mean squared error of the ±1 target on the test rows (NaN for logistic).</param>
/// <param name="TestError">Misclassification rate of sign(ŷ) on the test rows.</param>
/// <param name="Norm">‖w‖ (intercept excluded).</param>
/// <param name="TrainError">Misclassification rate on the training rows (0: the classes were separated).</param>
public sealed record RealFit(int Rows, int Repetition, int Rank, string Model, string Choice, double Alpha, double TestMse, double TestError, double Norm, double TrainError);

/// <summary>A real-data sweep: images as rows, a one-vs-rest ±1 target.</summary>
public sealed record RealSweepOptions
{
    /// <summary>The class whose images are +1 (the rest are −1).</summary>
    public int PositiveClass { get; init; }
    /// <summary>Training sizes n.</summary>
    public int[] Sizes { get; init; } = [100, 200, 300, 400, 500, 550, 600, 650, 700, 750, 780, 800, 850, 900, 1000, 1200, 1500, 2000, 3000, 4000];
    /// <summary>Fixed alphas for ridge (λ → 0 is the transition).</summary>
    public double[] Alphas { get; init; } = [0, 1e-6, 1];
    /// <summary>The log-spaced grid on which LOO, GCV, the L-curve corner and the oracle choose.</summary>
    public double[] ScanAlphas { get; init; } = RidgeTransition.LogSpace(-6, 4, 41);
    /// <summary>Random training subsets per size.</summary>
    public int Repetitions { get; init; } = 3;
    /// <summary>Test rows used (the first ones of the test set).</summary>
    public int TestRows { get; init; } = 2000;
    /// <summary>Logistic-regression alphas (C = 1/alpha); empty for none.</summary>
    public double[] LogisticAlphas { get; init; } = [];
    /// <summary>Logistic L-BFGS iteration cap (alpha = 0 on separable data runs to it).</summary>
    public int LogisticIterations { get; init; } = 500;
}

public static class RidgeTransition
{
    /// <summary>10^from … 10^to, <paramref name="count"/> points evenly spaced in the exponent.</summary>
    public static double[] LogSpace(double from, double to, int count) =>
        Enumerable.Range(0, count).Select(i => Math.Pow(10, from + (to - from) * i / (count - 1))).ToArray();

    /// <summary>Sizes for a sweep around <paramref name="fixedSize"/>: from a quarter to five times it, dense near it,
    /// skipping the singular band (|size − fixed| ≤ 1) where the λ = 0 risk has no mean.</summary>
    public static int[] DefaultSizes(int fixedSize)
    {
        double[] ratios = [0.25, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.05, 1.1, 1.15, 1.2, 1.3, 1.5, 1.75, 2, 2.5, 3, 4, 5];
        return ratios.Select(r => (int)Math.Round(r * fixedSize)).Where(s => s >= 2 && Math.Abs(s - fixedSize) > 1).Distinct().Order().ToArray();
    }

    /// <summary>Runs the synthetic sweep; <paramref name="progress"/>(done, total) after each size.</summary>
    public static IReadOnlyList<RiskPoint> Synthetic(SyntheticSweepOptions options, ulong seed, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Fixed < 2) throw new GibbsException($"ridge sweep: the fixed dimension must be ≥ 2, not {options.Fixed}");
        if (options.Repetitions < 2) throw new GibbsException($"ridge sweep: need at least 2 repetitions for a standard error, not {options.Repetitions}");
        if (!(options.SignalPower > 0) || !(options.NoiseVariance > 0) || !double.IsFinite(options.SignalPower) || !double.IsFinite(options.NoiseVariance))
            throw new GibbsException($"ridge sweep: r² and σ² must be positive and finite, not {options.SignalPower} and {options.NoiseVariance}");
        var sizes = options.Sizes ?? DefaultSizes(options.Fixed);
        if (sizes.Length == 0 || sizes.Any(s => s < 1)) throw new GibbsException("ridge sweep: sizes must be ≥ 1");
        var penalties = SweepPenalty.Standard(options.SignalPower, options.NoiseVariance);
        var points = new List<RiskPoint>();
        for (int k = 0; k < sizes.Length; k++)
        {
            int n = options.Axis == SweepAxis.Rows ? sizes[k] : options.Fixed;
            int p = options.Axis == SweepAxis.Rows ? options.Fixed : sizes[k];
            var alphas = penalties.Select(q => q.Alpha(n, p)).ToArray();
            var risks = new double[options.Repetitions][];
            Parallel.For(0, options.Repetitions, r =>
            {
                var gen = new Generator(seed).Fork(((ulong)(uint)n << 40) | ((ulong)(uint)p << 16) | (uint)r);
                risks[r] = SyntheticRisks(n, p, options.SignalPower, options.NoiseVariance, alphas, gen);
            });
            for (int j = 0; j < penalties.Count; j++)
            {
                var (mean, sd) = Stat(risks.Select(r => r[j]));
                points.Add(new RiskPoint(n, p, penalties[j].Label, alphas[j], mean, sd / Math.Sqrt(risks.Length),
                    Theory(n, p, alphas[j], options.SignalPower, options.NoiseVariance), risks.Length));
            }
            progress?.Invoke(k + 1, sizes.Length);
        }
        return points;
    }

    /// <summary>The theory curve at one point: the exact finite-n ridgeless risk for alpha ≤ 1e-6, else the asymptotic
    /// ridge risk at γ = p/n and per-sample λ = alpha/n.</summary>
    public static double Theory(int n, int p, double alpha, double r2, double sigma2) =>
        alpha <= 1e-6 ? RidgeTheory.RidgelessFinite(n, p, r2, sigma2) : RidgeTheory.Ridge(alpha / n, (double)p / n, r2, sigma2);

    /// <summary>One design: X ~ N(0, 1)^{n×p}, w* uniform on the sphere of radius r, y = Xw* + σε; ‖ŵ_α − w*‖² per alpha.</summary>
    internal static double[] SyntheticRisks(int n, int p, double r2, double sigma2, double[] alphas, Generator gen)
    {
        var x = new double[n, p];
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) x[i, j] = Normal(gen);
        var w = new double[p];
        for (int j = 0; j < p; j++) w[j] = Normal(gen);
        double scale = Math.Sqrt(r2 / w.Sum(v => v * v));
        for (int j = 0; j < p; j++) w[j] *= scale;
        double sigma = Math.Sqrt(sigma2);
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < p; j++) s += x[i, j] * w[j];
            y[i] = s + sigma * Normal(gen);
        }
        var fit = RidgeSvd.Fit(x, y);
        return alphas.Select(a =>
        {
            var c = fit.Solve(a).Coefficients;
            double s = 0;
            for (int j = 0; j < p; j++) s += (c[j, 0] - w[j]) * (c[j, 0] - w[j]);
            return s;
        }).ToArray();
    }

    /// <summary>A standard normal from two uniforms (Box–Muller, one of the pair).</summary>
    internal static double Normal(Generator gen)
    {
        double u = 1 - gen.NextDouble();   // (0, 1]
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * gen.NextDouble());
    }

    /// <summary>Rows of <paramref name="data"/> as float64 [rows × features].</summary>
    public static double[,] Design(Dataset data, IReadOnlyList<int> rows)
    {
        var x = new double[rows.Count, data.Features];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < data.Features; j++) x[i, j] = data.X[(long)rows[i] * data.Features + j];
        return x;
    }

    /// <summary>The ±1 one-vs-rest target of <paramref name="rows"/>: +1 for <paramref name="positiveClass"/>.</summary>
    public static double[] OneVsRest(Dataset data, IReadOnlyList<int> rows, int positiveClass)
    {
        var labels = data.Labels ?? throw new GibbsException($"{data.Name}: the dataset has no labels, so there is no one-vs-rest target");
        if (positiveClass < 0 || positiveClass >= data.Classes) throw new GibbsException($"{data.Name}: class {positiveClass} is not in 0..{data.Classes - 1}");
        return rows.Select(i => labels[i] == positiveClass ? 1.0 : -1.0).ToArray();
    }

    /// <summary>Runs the real-data sweep: random training subsets of <paramref name="train"/>, scored on the first
    /// <see cref="RealSweepOptions.TestRows"/> rows of <paramref name="test"/>.</summary>
    public static IReadOnlyList<RealFit> Real(Dataset train, Dataset test, RealSweepOptions options, ulong seed, Action<int, int, string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        if (train.Features != test.Features) throw new GibbsException($"ridge sweep: train has {train.Features} features but test has {test.Features}");
        if (options.Sizes.Length == 0 || options.Sizes.Any(s => s < 3 || s > train.Count))
            throw new GibbsException($"ridge sweep: sizes must be in 3..{train.Count} (the training rows of {train.Name})");
        if (options.Repetitions < 1) throw new GibbsException("ridge sweep: need at least one repetition");
        foreach (var a in options.Alphas.Concat(options.LogisticAlphas)) RidgeSvd.CheckAlpha(a);
        var testRows = Enumerable.Range(0, Math.Min(options.TestRows, test.Count)).ToArray();
        var xt = Design(test, testRows);
        var yt = OneVsRest(test, testRows, options.PositiveClass);
        var fits = new List<RealFit>();
        int total = options.Sizes.Length * options.Repetitions, done = 0;
        foreach (int n in options.Sizes)
            for (int r = 0; r < options.Repetitions; r++)
            {
                var rows = TrainingRows(train.Count, n, r, seed);
                var x = Design(train, rows);
                var y = OneVsRest(train, rows, options.PositiveClass);
                fits.AddRange(RealOne(x, y, xt, yt, n, r, options));
                progress?.Invoke(++done, total, $"n = {n}, repetition {r + 1}");
            }
        return fits;
    }

    private static IEnumerable<RealFit> RealOne(double[,] x, double[] y, double[,] xt, double[] yt, int n, int r, RealSweepOptions options)
    {
        var svd = RidgeSvd.Fit(x, y, intercept: true);
        var list = new List<RealFit>();
        RealFit Ridge(string choice, double alpha)
        {
            var sol = svd.Solve(alpha);
            var (mse, err) = Score(sol.Predict(xt), yt);
            return new RealFit(n, r, svd.Rank, "ridge", choice, alpha, mse, err, svd.SolutionNorm(alpha), Score(sol.Predict(x), y).Error);
        }
        foreach (var a in options.Alphas) list.Add(Ridge("fixed", a));
        if (options.ScanAlphas.Length >= 3)
        {
            var scan = svd.Scan(options.ScanAlphas);
            var onGrid = scan.Alphas.Select(a => Ridge("grid", a)).ToList();
            list.AddRange(onGrid);
            int oracle = Enumerable.Range(0, onGrid.Count).MinBy(i => onGrid[i].TestMse);
            foreach (var (choice, i) in new[] { ("loo", scan.BestLoo), ("gcv", scan.BestGcv), ("corner", scan.Corner), ("oracle", oracle) })
                if (i >= 0) list.Add(onGrid[i] with { Choice = choice });
        }
        foreach (var a in options.LogisticAlphas)
        {
            var lr = LogisticRegression.Fit(x, y, a, intercept: true, new LogisticOptions { MaxIterations = options.LogisticIterations });
            list.Add(new RealFit(n, r, svd.Rank, "logistic", "fixed", a, double.NaN, lr.Error(xt, yt), lr.Norm, lr.Error(x, y)));
        }
        return list;
    }

    /// <summary>Test MSE of ŷ against ±1 targets and the misclassification rate of sign(ŷ).</summary>
    private static (double Mse, double Error) Score(double[,] yhat, double[] y)
    {
        double se = 0;
        int wrong = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double d = yhat[i, 0] - y[i];
            se += d * d;
            if ((yhat[i, 0] >= 0 ? 1 : -1) != y[i]) wrong++;
        }
        return (se / y.Length, (double)wrong / y.Length);
    }

    /// <summary>The training rows the real-data sweep draws for size <paramref name="n"/>, repetition <paramref name="repetition"/>.</summary>
    public static int[] TrainingRows(int count, int n, int repetition, ulong seed) =>
        Sample(count, n, new Generator(seed).Fork(((ulong)(uint)n << 32) | (uint)repetition));

    /// <summary><paramref name="k"/> distinct indices of 0..<paramref name="count"/>−1 (partial Fisher–Yates), in drawn order.</summary>
    internal static int[] Sample(int count, int k, Generator gen)
    {
        var all = Enumerable.Range(0, count).ToArray();
        for (int i = 0; i < k; i++)
        {
            int j = i + gen.NextInt(count - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..k];
    }

    /// <summary>Mean and sample s.d. over the repetitions of each (rows, model, choice, alpha); the "grid" rows are left out.</summary>
    public static IReadOnlyList<RealSummary> Summarise(IEnumerable<RealFit> fits) =>
        fits.Where(f => f.Choice != "grid")
            .GroupBy(f => (f.Rows, f.Model, f.Choice, Alpha: f.Choice == "fixed" ? f.Alpha : double.NaN))
            .Select(g => new RealSummary(g.Key.Rows, g.Key.Model, g.Key.Choice, g.Key.Alpha, g.Count(),
                Stat(g.Select(f => (double)f.Rank)), Stat(g.Select(f => f.TestMse)), Stat(g.Select(f => f.TestError)), Stat(g.Select(f => f.Norm)),
                Stat(g.Select(f => Math.Log10(f.Alpha))), Stat(g.Select(f => f.TrainError))))
            .OrderBy(s => s.Model).ThenBy(s => s.Choice).ThenBy(s => s.Alpha).ThenBy(s => s.Rows).ToList();

    private static (double Mean, double Sd) Stat(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average();
        return (mean, v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0);
    }
}

/// <summary>Mean ± s.d. over repetitions of one (rows, model, choice, alpha); <see cref="Log10Alpha"/> for the chosen alphas.</summary>
public sealed record RealSummary(int Rows, string Model, string Choice, double Alpha, int Repetitions, (double Mean, double Sd) Rank,
    (double Mean, double Sd) TestMse, (double Mean, double Sd) TestError, (double Mean, double Sd) Norm, (double Mean, double Sd) Log10Alpha,
    (double Mean, double Sd) TrainError);
