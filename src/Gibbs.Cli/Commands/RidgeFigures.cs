// Pictures and JSON of the ridge commands and repro entries: the L-curve with its three choices, the Picard plot,
// LOO/GCV against alpha, the synthetic risk sweep (simulation as points on the theory curves) and the real-data sweep
// (test error, norm, rank and the chosen alphas against n).
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Models.Ridge;
using Gibbs.Plots;

namespace Gibbs.Cli.Commands;

internal static class RidgeFigures
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>lcurve.png, picard.png and criteria.png of one decomposition and scan.</summary>
    public static void PathPictures(string dir, RidgeSvd svd, RidgeScan scan, string title)
    {
        var marks = new List<Series> { new("L-curve", scan.ResidualNorms, scan.SolutionNorms) };
        foreach (var (name, i, color) in new[] { ("LOO", scan.BestLoo, 1), ("GCV", scan.BestGcv, 2), ("corner", scan.Corner, 3) })
            if (i >= 0)
                marks.Add(new Series(string.Create(Inv, $"{name}: α = {scan.Alphas[i]:G3}"), [scan.ResidualNorms[i]], [scan.SolutionNorms[i]]) { MarkersOnly = true, Color = color });
        LinePlot.Save(Path.Combine(dir, "lcurve.png"), $"L-curve — {title}", "residual norm ‖Xw − y‖", "solution norm ‖w‖", marks,
            new LinePlotOptions { LogX = true, LogY = true });
        var pic = svd.Picard();
        var idx = Enumerable.Range(1, pic.SingularValues.Length).Select(i => (double)i).ToArray();
        LinePlot.Save(Path.Combine(dir, "picard.png"), $"Picard plot — {title}", "index i", "value", [
            new Series("sᵢ", idx, pic.SingularValues),
            new Series("|uᵢᵀy|", idx, pic.Coefficients) { MarkersOnly = true },
            new Series("|uᵢᵀy| / sᵢ", idx, pic.Coefficients.Select((c, i) => pic.SingularValues[i] > pic.Tolerance ? c / pic.SingularValues[i] : double.NaN).ToArray()) { MarkersOnly = true },
        ], new LinePlotOptions { LogY = true });
        LinePlot.Save(Path.Combine(dir, "criteria.png"), $"Leave-one-out and GCV — {title}", "α", "mean squared error", [
            new Series("LOO", scan.Alphas, scan.LooMse),
            new Series("GCV", scan.Alphas, scan.Gcv),
        ], new LinePlotOptions { LogX = true, LogY = true });
    }

    public static JsonObject ScanJson(RidgeSvd svd, RidgeScan scan)
    {
        JsonNode? At(int i) => i < 0 ? null : new JsonObject { ["alpha"] = scan.Alphas[i], ["loo_mse"] = TrainRun.Num(scan.LooMse[i]), ["gcv"] = TrainRun.Num(scan.Gcv[i]), ["solution_norm"] = scan.SolutionNorms[i] };
        return new JsonObject
        {
            ["rows"] = svd.Rows, ["features"] = svd.Features, ["targets"] = svd.Targets, ["intercept"] = svd.FitIntercept,
            ["rank"] = svd.Rank, ["tolerance"] = svd.Tolerance, ["largest_singular_value"] = svd.SingularValues[0],
            ["smallest_kept_singular_value"] = svd.Rank > 0 ? svd.SingularValues[svd.Rank - 1] : null,
            ["best_loo"] = At(scan.BestLoo), ["best_gcv"] = At(scan.BestGcv), ["lcurve_corner"] = At(scan.Corner),
            ["alphas"] = Array(scan.Alphas), ["loo_mse"] = Array(scan.LooMse), ["gcv"] = Array(scan.Gcv),
            ["residual_norm"] = Array(scan.ResidualNorms), ["solution_norm"] = Array(scan.SolutionNorms), ["curvature"] = Array(scan.Curvature),
        };
    }

    public static JsonArray Array(IEnumerable<double> v) => new(v.Select(TrainRun.Num).ToArray());

    /// <summary>Risk against the varied size: theory curves (lines, finely sampled) and the simulated means (points).</summary>
    public static void SyntheticPicture(string path, IReadOnlyList<RiskPoint> points, SyntheticSweepOptions o, string? title = null)
    {
        bool rows = o.Axis == SweepAxis.Rows;
        var series = new List<Series>();
        var labels = points.Select(q => q.Penalty).Distinct().ToList();
        int lo = points.Min(q => rows ? q.Rows : q.Features), hi = points.Max(q => rows ? q.Rows : q.Features);
        var fine = Enumerable.Range(lo, hi - lo + 1).ToArray();
        for (int c = 0; c < labels.Count; c++)
        {
            var pts = points.Where(q => q.Penalty == labels[c]).ToList();
            double alphaAt(int n, int p) => pts[0].Alpha == 0 || pts[0].Alpha == 1e-6 ? pts[0].Alpha : pts[0].Alpha / pts[0].Features * p;   // α* ∝ p
            var theory = fine.Select(s =>
            {
                int n = rows ? s : o.Fixed, p = rows ? o.Fixed : s;
                return RidgeTransition.Theory(n, p, alphaAt(n, p), o.SignalPower, o.NoiseVariance);
            }).ToArray();
            series.Add(new Series($"theory, {labels[c]}", fine.Select(s => (double)s).ToArray(), theory) { Color = c });
            series.Add(new Series($"simulation, {labels[c]}", pts.Select(q => (double)(rows ? q.Rows : q.Features)).ToArray(), pts.Select(q => q.MeanRisk).ToArray()) { MarkersOnly = true, Color = c });
        }
        string fixedText = rows ? $"p = {o.Fixed}" : $"n = {o.Fixed}";
        LinePlot.Save(path, title ?? string.Create(Inv, $"Ridge risk ‖ŵ − w*‖², isotropic Gaussian design, {fixedText}, r² = {o.SignalPower}, σ² = {o.NoiseVariance}, {points[0].Repetitions} reps"),
            rows ? "instances n" : "features p", "risk ‖ŵ − w*‖²", series, new LinePlotOptions { LogY = true, Width = 1000, Height = 620 });
    }

    public static JsonArray SyntheticJson(IReadOnlyList<RiskPoint> points) => new(points.Select(q => (JsonNode)new JsonObject
    {
        ["rows"] = q.Rows, ["features"] = q.Features, ["penalty"] = q.Penalty, ["alpha"] = q.Alpha, ["mean_risk"] = TrainRun.Num(q.MeanRisk),
        ["standard_error"] = TrainRun.Num(q.StandardError), ["theory"] = TrainRun.Num(q.Theory), ["z"] = TrainRun.Num(q.Z), ["repetitions"] = q.Repetitions,
    }).ToArray());

    /// <summary>Points away from the singular band whose |z| ≤ 3, of those away from it, per penalty.</summary>
    public static IEnumerable<(string Penalty, int Within, int Total, double MaxAbsZ)> Agreement(IReadOnlyList<RiskPoint> points) =>
        points.Where(q => !q.InSingularBand && double.IsFinite(q.Z)).GroupBy(q => q.Penalty)
            .Select(g => (g.Key, g.Count(q => Math.Abs(q.Z) <= 3), g.Count(), g.Max(q => Math.Abs(q.Z))));

    /// <summary>A 2×2 panel: test MSE, classification error, ‖w‖ and the chosen alphas against n (log scale), one colour
    /// per curve across the panels, legends beside the charts.</summary>
    public static void RealPicture(string path, IReadOnlyList<RealSummary> s, string title)
    {
        static double[] X(IEnumerable<RealSummary> g) => g.Select(q => (double)q.Rows).ToArray();
        string Name(RealSummary q) => q.Choice == "fixed" ? string.Create(Inv, $"{q.Model}, α = {q.Alpha:G3}") : $"{q.Model}, {q.Choice}";
        var groups = s.GroupBy(q => (q.Model, q.Choice, q.Alpha)).Select(g => g.OrderBy(q => q.Rows).ToList())
            .OrderBy(g => g[0].Choice == "fixed" ? 0 : 1).ThenBy(g => g[0].Model).ThenBy(g => g[0].Alpha).ThenBy(g => g[0].Choice).ToList();
        var colour = groups.Select((g, i) => (Name(g[0]), i)).ToDictionary(t => t.Item1, t => t.i);
        Series Curve(List<RealSummary> g, Func<RealSummary, double> y) => new(Name(g[0]), X(g), g.Select(y).ToArray()) { Color = colour[Name(g[0])] };
        var ridge = groups.Where(g => g[0].Model == "ridge").ToList();
        var chosen = ridge.Where(g => g[0].Choice != "fixed").ToList();
        var mse = ridge.Select(g => Curve(g, q => q.TestMse.Mean)).ToList();
        var err = groups.Select(g => Curve(g, q => q.TestError.Mean)).ToList();
        var norm = groups.Where(g => g[0].Choice == "fixed").Select(g => Curve(g, q => q.Norm.Mean)).ToList();
        var alphas = chosen.Select(g => Curve(g, q => Math.Pow(10, q.Log10Alpha.Mean))).ToList();
        var log = new LinePlotOptions { LogX = true, LogY = true, Markers = true, LegendOutside = true };
        var cells = new List<PanelCell?>
        {
            new PanelCell.Lines("test MSE of the ±1 target", "training instances n", "test MSE", mse, log),
            new PanelCell.Lines("test classification error of sign(ŷ)", "training instances n", "error", err, new LinePlotOptions { LogX = true, Markers = true, LegendOutside = true }),
            new PanelCell.Lines("solution norm ‖w‖", "training instances n", "‖w‖", norm, log),
        };
        cells.Add(alphas.Count > 0 ? new PanelCell.Lines("chosen α (geometric mean over repetitions)", "training instances n", "α", alphas, log) : null);
        Panel.Save(path, title, cells, 2, 820, 480);
    }

    public static JsonArray RealJson(IReadOnlyList<RealSummary> s) => new(s.Select(q => (JsonNode)new JsonObject
    {
        ["rows"] = q.Rows, ["model"] = q.Model, ["choice"] = q.Choice, ["alpha"] = TrainRun.Num(q.Alpha), ["repetitions"] = q.Repetitions,
        ["rank"] = q.Rank.Mean, ["test_mse"] = TrainRun.Num(q.TestMse.Mean), ["test_mse_sd"] = TrainRun.Num(q.TestMse.Sd),
        ["test_error"] = q.TestError.Mean, ["test_error_sd"] = q.TestError.Sd, ["train_error"] = q.TrainError.Mean, ["norm"] = TrainRun.Num(q.Norm.Mean), ["norm_sd"] = TrainRun.Num(q.Norm.Sd),
        ["log10_alpha"] = q.Choice == "fixed" ? null : TrainRun.Num(q.Log10Alpha.Mean), ["log10_alpha_sd"] = q.Choice == "fixed" ? null : TrainRun.Num(q.Log10Alpha.Sd),
    }).ToArray());
}
