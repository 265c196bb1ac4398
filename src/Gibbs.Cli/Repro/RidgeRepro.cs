// `gibbs repro 003-ridge-transition` and `003-ridge-vs-logistic` (seed 003, "When regularization fails"; issue 14).
//  • transition: (a) synthetic isotropic Gaussian designs, the n sweep at p = 200 and the p sweep at n = 200, 50 designs
//    per point, simulation against the theory curves (exact finite-n ridgeless risk, asymptotic ridge risk at α*/4, α*,
//    4α*); (b) fashion-mnist and mnist10k pixels, class 0 vs rest, 3 random training subsets per n: the test-MSE spike as
//    λ → 0 where n crosses the rank of the centred design, and where LOO, GCV, the L-curve corner and the test-optimal α
//    sit; the L-curve and Picard plot at the spike.
//  • vs logistic: the same image sweep with L2 logistic regression (on the engine, L-BFGS) beside ridge at the same small
//    α: classification error and ‖w‖ against n.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gibbs.Cli.Commands;
using Gibbs.Data;
using Gibbs.Models.Ridge;
using Gibbs.Plots;

namespace Gibbs.Cli.Repro;

internal static class RidgeRepro
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] ImageSets = ["fashion-mnist", "mnist10k"];

    private static int[] ImageSizes(bool quick) => quick ? [200, 560, 780] : new RealSweepOptions().Sizes;

    public static int Transition(ReproRun run)
    {
        var md = new StringBuilder();
        var json = new JsonObject { ["figure"] = "003-ridge-transition" };
        md.AppendLine("# 003-ridge-transition — ridge regression as λ → 0 across N_features ≈ N_instances");
        md.AppendLine();
        md.AppendLine("Seed (003, “When regularization fails”): with λ → 0, “the accuracy sharps to zero at N_f = N_i, and then increases sharply again”; "
            + "the variance Σ sᵢ⁻² diverges as the smallest singular value → 0; “the optimal regularized solution lives ‘just below’ the phase transition, where the norm diverges”. "
            + "The blog writes (XᵀX − λI)⁻¹ and “unit mean” noise; the standard forms are used here: (XᵀX + λI)⁻¹ and zero-mean noise of variance σ². "
            + "α is scikit-learn's alpha (‖y − Xw‖² + α‖w‖²); the per-sample λ of the theory is α/n, and α* = nλ* = σ²p/r².");
        md.AppendLine();
        // (a) synthetic
        int fixedSize = run.Quick ? 30 : 200, reps = run.Quick ? 20 : 50;
        var synth = new JsonArray();
        md.AppendLine("## (a) Isotropic Gaussian designs against the theory");
        md.AppendLine();
        md.AppendLine($"x ~ N(0, I_p), ‖w*‖² = r² = 1 (w* uniform on the sphere), σ² = 0.25, no intercept; risk = ‖ŵ − w*‖² (the excess test risk), mean over {reps} designs with fresh w* and noise. "
            + "Theory: the exact finite-n expectation σ²p/(n − p − 1) (p ≤ n − 2), r²(1 − n/p) + σ²n/(p − n − 1) (p ≥ n + 2) for α = 0 and 1e-6; the asymptotic ridge risk of Hastie, Montanari, Rosset & Tibshirani (2019) for α > 0 (Marchenko–Pastur).");
        md.AppendLine();
        md.AppendLine("| sweep | penalty | points within 3 s.e. of theory (away from n − 1 ≤ p ≤ n + 1) | max abs z |");
        md.AppendLine("|---|---|---|---|");
        foreach (var axis in new[] { SweepAxis.Rows, SweepAxis.Features })
        {
            var o = new SyntheticSweepOptions { Axis = axis, Fixed = fixedSize, Repetitions = reps };
            var points = RidgeTransition.Synthetic(o, run.Ctx.Seed);
            string name = axis == SweepAxis.Rows ? "risk-rows.png" : "risk-features.png";
            RidgeFigures.SyntheticPicture(Path.Combine(run.OutDir, name), points, o);
            string label = axis == SweepAxis.Rows ? $"n varies, p = {fixedSize}" : $"p varies, n = {fixedSize}";
            foreach (var (pen, within, total, maxZ) in RidgeFigures.Agreement(points))
                md.AppendLine(string.Create(Inv, $"| {label} | {pen} | {within}/{total} | {maxZ:F2} |"));
            synth.Add(new JsonObject { ["axis"] = axis == SweepAxis.Rows ? "rows" : "features", ["fixed"] = fixedSize, ["points"] = RidgeFigures.SyntheticJson(points) });
        }
        json["synthetic"] = synth;
        md.AppendLine();
        md.AppendLine("![risk against n](risk-rows.png)");
        md.AppendLine("![risk against p](risk-features.png)");
        md.AppendLine();
        md.AppendLine("At α = 0 and 1e-6 the risk diverges in the band n − 1 ≤ p ≤ n + 1 (the smallest singular value of X → 0); with α ≥ α*/4 there is no peak, as the theory says, and α* is the lowest curve at every size.");
        md.AppendLine();
        // (b) real images
        md.AppendLine("## (b) Image pixels, one class against the rest");
        md.AppendLine();
        var real = new JsonArray();
        foreach (var set in ImageSets)
        {
            var o = new RealSweepOptions { Sizes = ImageSizes(run.Quick), Repetitions = run.Quick ? 1 : Math.Max(3, run.Seeds), TestRows = run.Quick ? 500 : 2000 };
            var (train, test) = (Datasets.Load(set, DatasetSplit.Train), Datasets.Load(set, DatasetSplit.Test));
            var fits = RidgeTransition.Real(train, test, o, run.Ctx.Seed);
            var s = RidgeTransition.Summarise(fits);
            RidgeFigures.RealPicture(Path.Combine(run.OutDir, $"sweep-{set}.png"), s, $"{set}: class 0 vs rest, ridge as λ → 0 across n ≈ rank(X)");
            var spike = Spike(s, 1e-6);
            md.AppendLine(string.Create(Inv, $"**{set}** (p = {train.Features}, {o.Repetitions} random training subsets per n, {o.TestRows} test rows). "
                + $"At α = 1e-6 the test MSE peaks at n = {spike.Rows} ({spike.TestMse.Mean:G4} ± {spike.TestMse.Sd:G2}), where the centred design's rank is {spike.Rank.Mean:F0} — n − 1 ≈ rank: the square, singular system. "));
            md.AppendLine();
            md.AppendLine("| n | rank(X) | test MSE α = 0 | α = 1e-6 | α = 1 | LOO: log10 α, MSE | GCV: log10 α, MSE | L-corner: log10 α, MSE | best on the grid: log10 α, MSE | error α = 1e-6 | error, LOO |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (int n in o.Sizes)
            {
                RealSummary? Get(string choice, double alpha = double.NaN) => s.FirstOrDefault(q => q.Rows == n && q.Model == "ridge" && q.Choice == choice && (choice != "fixed" || q.Alpha == alpha));
                string Mse(RealSummary? q) => q is null ? "–" : string.Create(Inv, $"{q.TestMse.Mean:G3}");
                string Choice(RealSummary? q) => q is null ? "–" : string.Create(Inv, $"{q.Log10Alpha.Mean:F1}, {q.TestMse.Mean:G3}");
                md.AppendLine(string.Create(Inv, $"| {n} | {Get("fixed", 0)?.Rank.Mean:F0} | {Mse(Get("fixed", 0))} | {Mse(Get("fixed", 1e-6))} | {Mse(Get("fixed", 1))} | {Choice(Get("loo"))} | {Choice(Get("gcv"))} | {Choice(Get("corner"))} | {Choice(Get("oracle"))} | {Get("fixed", 1e-6)?.TestError.Mean:F3} | {Get("loo")?.TestError.Mean:F3} |"));
            }
            md.AppendLine();
            md.AppendLine($"![{set}](sweep-{set}.png)");
            md.AppendLine();
            // The L-curve and Picard plot of one training subset at the spike.
            var rows = RidgeTransition.TrainingRows(train.Count, spike.Rows, 0, run.Ctx.Seed);
            var svd = RidgeSvd.Fit(RidgeTransition.Design(train, rows), RidgeTransition.OneVsRest(train, rows, 0), intercept: true);
            var scan = svd.Scan(o.ScanAlphas);
            string sub = Path.Combine(run.OutDir, $"path-{set}");
            Directory.CreateDirectory(sub);
            RidgeFigures.PathPictures(sub, svd, scan, $"{set}, n = {spike.Rows} (the spike), class 0 vs rest");
            md.AppendLine($"At the spike (n = {spike.Rows}, one subset): ![L-curve](path-{set}/lcurve.png) ![Picard](path-{set}/picard.png)");
            md.AppendLine();
            real.Add(new JsonObject { ["dataset"] = set, ["spike_rows"] = spike.Rows, ["spike_rank"] = spike.Rank.Mean, ["summary"] = RidgeFigures.RealJson(s), ["path_at_spike"] = RidgeFigures.ScanJson(svd, scan) });
        }
        json["images"] = real;
        md.AppendLine(Findings);
        OutputPaths.WriteJson(Path.Combine(run.OutDir, "metrics.json"), (JsonObject)json.DeepClone());
        return ReproTables.Finish(run, md, json);
    }

    public static int VsLogistic(ReproRun run)
    {
        var md = new StringBuilder();
        var json = new JsonObject { ["figure"] = "003-ridge-vs-logistic" };
        md.AppendLine("# 003-ridge-vs-logistic — ridge and logistic regression across the transition");
        md.AppendLine();
        md.AppendLine("Seed (003, “Ridge Regression vs Logistic Regression: Getting out of the Hole”): “Where Ridge Regression fails, Logistic Regression bounces back … "
            + "In Regression, the variance goes to infinity; in Classification, the norm ‖ŵ‖ goes to infinity.” Here: the same random training subsets of image pixels (class 0 vs rest, ±1), "
            + "ridge (‖y − Xw‖² + α‖w‖², intercept) and L2 logistic regression (Σ log(1 + e^{−y(xᵀw + b)}) + (α/2)‖w‖², scikit-learn's C = 1/α; fitted on the engine by L-BFGS) at the same α; "
            + "the test error of sign(ŷ), the training error (0: the classes are separated) and ‖w‖ against n.");
        md.AppendLine();
        double[] alphas = [1e-6, 1];
        var sets = new JsonArray();
        foreach (var set in ImageSets)
        {
            var o = new RealSweepOptions
            {
                Sizes = ImageSizes(run.Quick), Repetitions = run.Quick ? 1 : Math.Max(3, run.Seeds), TestRows = run.Quick ? 500 : 2000,
                Alphas = alphas, LogisticAlphas = alphas, ScanAlphas = [],
            };
            var (train, test) = (Datasets.Load(set, DatasetSplit.Train), Datasets.Load(set, DatasetSplit.Test));
            var s = RidgeTransition.Summarise(RidgeTransition.Real(train, test, o, run.Ctx.Seed));
            RidgeFigures.RealPicture(Path.Combine(run.OutDir, $"vs-{set}.png"), s, $"{set}: ridge vs logistic regression, class 0 vs rest");
            RealSummary Get(string model, double alpha, int n) => s.Single(q => q.Rows == n && q.Model == model && q.Alpha == alpha);
            var spike = Spike(s, 1e-6);
            var lrAtSpike = Get("logistic", 1e-6, spike.Rows);
            md.AppendLine(string.Create(Inv, $"**{set}** ({o.Repetitions} subsets per n, {o.TestRows} test rows): at the ridge spike (n = {spike.Rows}, rank {spike.Rank.Mean:F0}) the test error is "
                + $"{spike.TestError.Mean:F3} ± {spike.TestError.Sd:F3} for ridge and {lrAtSpike.TestError.Mean:F3} ± {lrAtSpike.TestError.Sd:F3} for logistic regression (α = 1e-6)."));
            md.AppendLine();
            md.AppendLine("| n | rank(X) | ridge error α = 1e-6 | logistic error α = 1e-6 | ridge error α = 1 | logistic error α = 1 | ridge ‖w‖ α = 1e-6 | logistic ‖w‖ α = 1e-6 | logistic train error α = 1e-6 |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (int n in o.Sizes)
            {
                var (r6, l6, r1, l1) = (Get("ridge", 1e-6, n), Get("logistic", 1e-6, n), Get("ridge", 1, n), Get("logistic", 1, n));
                md.AppendLine(string.Create(Inv, $"| {n} | {r6.Rank.Mean:F0} | {r6.TestError.Mean:F3} ± {r6.TestError.Sd:F3} | {l6.TestError.Mean:F3} ± {l6.TestError.Sd:F3} | {r1.TestError.Mean:F3} | {l1.TestError.Mean:F3} | {r6.Norm.Mean:G3} | {l6.Norm.Mean:G3} | {l6.TrainError.Mean:F3} |"));
            }
            md.AppendLine();
            md.AppendLine($"![{set}](vs-{set}.png)");
            md.AppendLine();
            var norms = NormsAgainstAlpha(train, spike.Rows, run.Ctx.Seed, run.Quick);
            LinePlot.Save(Path.Combine(run.OutDir, $"norms-{set}.png"), $"{set}, n = {spike.Rows} (the ridge spike): ‖w‖ against α", "α", "‖w‖", [
                new Series("ridge", norms.Where(q => q.Alpha > 0).Select(q => q.Alpha).ToArray(), norms.Where(q => q.Alpha > 0).Select(q => q.Ridge).ToArray()),
                new Series("logistic", norms.Where(q => q.Alpha > 0).Select(q => q.Alpha).ToArray(), norms.Where(q => q.Alpha > 0).Select(q => q.Logistic).ToArray()),
            ], new LinePlotOptions { LogX = true, LogY = true, Markers = true });
            md.AppendLine(string.Create(Inv, $"‖w‖ against α at n = {spike.Rows} (one training subset; logistic: L-BFGS to ‖∇F‖∞ ≤ 1e-7·F or {(run.Quick ? QuickCap : LogisticCap)} iterations):"));
            md.AppendLine();
            md.AppendLine("| α | ridge ‖w‖ | logistic ‖w‖ | logistic iterations | converged | logistic train error |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var q in norms)
                md.AppendLine(string.Create(Inv, $"| {q.Alpha:G3} | {q.Ridge:G4} | {q.Logistic:G4} | {q.Iterations} | {(q.Converged ? "yes" : "no")} | {q.TrainError:F3} |"));
            md.AppendLine();
            md.AppendLine($"![norms](norms-{set}.png)");
            md.AppendLine();
            sets.Add(new JsonObject
            {
                ["dataset"] = set, ["spike_rows"] = spike.Rows, ["summary"] = RidgeFigures.RealJson(s),
                ["norms_at_spike"] = new JsonArray(norms.Select(q => (JsonNode)new JsonObject
                {
                    ["alpha"] = q.Alpha, ["ridge_norm"] = TrainRun.Num(q.Ridge), ["logistic_norm"] = q.Logistic, ["logistic_iterations"] = q.Iterations,
                    ["logistic_converged"] = q.Converged, ["logistic_train_error"] = q.TrainError,
                }).ToArray()),
            });
        }
        json["images"] = sets;
        md.AppendLine(LogisticFindings);
        OutputPaths.WriteJson(Path.Combine(run.OutDir, "metrics.json"), (JsonObject)json.DeepClone());
        return ReproTables.Finish(run, md, json);
    }

    private const int LogisticCap = 3000, QuickCap = 300;

    /// <summary>Ridge's and logistic regression's ‖w‖ over α (and α = 0) on one training subset of size n.</summary>
    private static List<(double Alpha, double Ridge, double Logistic, int Iterations, bool Converged, double TrainError)> NormsAgainstAlpha(Dataset train, int n, ulong seed, bool quick)
    {
        var rows = RidgeTransition.TrainingRows(train.Count, n, 0, seed);
        var x = RidgeTransition.Design(train, rows);
        var y = RidgeTransition.OneVsRest(train, rows, 0);
        var svd = RidgeSvd.Fit(x, y, intercept: true);
        double[] alphas = quick ? [1, 1e-6, 0] : [1e2, 10, 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 0];
        return alphas.Select(a =>
        {
            var lr = LogisticRegression.Fit(x, y, a, true, new LogisticOptions { MaxIterations = quick ? QuickCap : LogisticCap, Tolerance = 1e-7 });
            return (a, svd.SolutionNorm(a), lr.Norm, lr.Iterations, lr.Converged, lr.Error(x, y));
        }).ToList();
    }

    /// <summary>The size with the largest mean test MSE at the fixed alpha.</summary>
    internal static RealSummary Spike(IReadOnlyList<RealSummary> s, double alpha) =>
        s.Where(q => q.Model == "ridge" && q.Choice == "fixed" && q.Alpha == alpha).MaxBy(q => q.TestMse.Mean)!;

    private const string Findings = "What it shows, measured at full size, and why: docs/replication.md, “Ridge regression across N_features ≈ N_instances”.";
    private const string LogisticFindings = "What it shows, measured at full size: docs/replication.md, “Ridge vs logistic regression”.";
}
