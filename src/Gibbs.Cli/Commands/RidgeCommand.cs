// `gibbs ridge fit|path|sweep` (issue 14, seed 003 "When regularization fails"): ridge regression on one SVD in
// scikit-learn's alpha convention, its whole path with leave-one-out, GCV and the L-curve corner, and the phase-transition
// sweep (synthetic designs against the theory curves, or image pixels with a ±1 one-vs-rest target, with logistic
// regression beside). Inputs are checked, and output paths too, before any decomposition; writes are atomic.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.IO;
using Gibbs.Models.Ridge;

namespace Gibbs.Cli.Commands;

public static class RidgeCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Build()
    {
        var cmd = new Command("ridge", "Ridge regression on the SVD (seed 003): fit, the regularisation path with LOO/GCV/L-curve, the N_features ≈ N_instances phase transition.");
        cmd.Add(BuildFit());
        cmd.Add(BuildPath());
        cmd.Add(BuildSweep());
        return cmd;
    }

    private sealed record InputOptions(Option<string> X, Option<string?> Y, Option<int?> Class, Option<int?> Rows, Option<bool> Intercept)
    {
        public static InputOptions Create() => new(
            new Option<string>("--x") { Description = "Design X: a .npy file [n × p] (read as float64), an IDX file or a dataset name (fashion-mnist, mnist10k: pixels in [0, 1])", Required = true },
            new Option<string?>("--y") { Description = "Targets y: .npy [n] or [n × targets], or IDX; default: the labels of X's dataset" },
            new Option<int?>("--class") { Description = "One-vs-rest: y becomes +1 where it equals this label, −1 elsewhere" },
            new Option<int?>("--rows") { Description = "Use only the first N rows" },
            new Option<bool>("--intercept") { Description = "Fit an unpenalised intercept (centre X and y)" });

        public void AddTo(Command c)
        {
            c.Add(X);
            c.Add(Y);
            c.Add(Class);
            c.Add(Rows);
            c.Add(Intercept);
        }

        public (RidgeInput Input, RidgeSvd Svd) Fit(ParseResult parse)
        {
            var input = RidgeInput.Load(parse.GetValue(X)!, parse.GetValue(Y), parse.GetValue(Class), parse.GetValue(Rows));
            return (input, RidgeSvd.Fit(input.X, input.Y, parse.GetValue(Intercept)));
        }
    }

    private static Command BuildFit()
    {
        var io = InputOptions.Create();
        var alpha = new Option<double>("--alpha") { Description = "Penalty α ≥ 0 in ‖y − Xw‖² + α‖w‖² (scikit-learn's alpha; 0 = minimum-norm least squares)", DefaultValueFactory = _ => 1.0 };
        var truncate = new Option<int?>("--truncate") { Description = "Truncated SVD instead of ridge: keep the K largest singular values" };
        var output = new Option<string>("--out") { Description = "Coefficients .npy ([p], or [p × targets]); with --intercept also NAME.intercept.npy", Required = true };
        var c = new Command("fit", "Fit ridge (or truncated SVD) and write the coefficients.") { alpha, truncate, output };
        io.AddTo(c);
        c.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            string path = parse.GetValue(output)!;
            OutputPaths.CheckFile(path, "--out");
            if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new GibbsException($"--out '{path}': the coefficients are written as .npy; give a name ending in .npy");
            double a = parse.GetValue(alpha);
            RidgeSvd.CheckAlpha(a);
            var (input, svd) = io.Fit(parse);
            int? k = parse.GetValue(truncate);
            var sol = k is int kk ? svd.Truncated(kk) : svd.Solve(a);
            var w = sol.Coefficients;
            int p = w.GetLength(0), t = w.GetLength(1);
            var flat = new double[p * t];
            Buffer.BlockCopy(w, 0, flat, 0, flat.Length * sizeof(double));
            string? interceptPath = svd.FitIntercept ? Path.ChangeExtension(path, null) + ".intercept.npy" : null;
            Npy.SaveDoubles(path, flat, t == 1 ? [p] : [p, t]);
            if (interceptPath is not null) Npy.SaveDoubles(interceptPath, sol.Intercepts, t == 1 ? [] : [t]);
            double loo = double.NaN, trainMse = double.NaN;   // ridge only: the hat matrix of a truncated SVD is not computed
            if (k is null)
            {
                loo = svd.LooMse(a);
                double rn = svd.ResidualNorm(a);
                trainMse = rn * rn / (input.Rows * input.Targets);
            }
            ctx.Say(string.Create(Inv, $"ridge: n = {input.Rows}, p = {input.Features}, targets = {input.Targets}, rank = {svd.Rank} (tolerance {svd.Tolerance:G3}), singular values {svd.SingularValues[0]:G4} … {svd.SingularValues[^1]:G4}"));
            ctx.Say(k is int kt ? $"truncated SVD, k = {kt}" : string.Create(Inv, $"α = {a:G6}: training MSE {trainMse:G6}, leave-one-out MSE {loo:G6}"));
            if (svd.FitIntercept) ctx.Say("intercept: " + string.Join(", ", sol.Intercepts.Select(b => b.ToString("G8", Inv))));
            ctx.Say($"coefficients → {path}" + (interceptPath is null ? "" : $", intercept → {interceptPath}"));
            ctx.Result(new JsonObject
            {
                ["command"] = "ridge fit", ["rows"] = input.Rows, ["features"] = input.Features, ["targets"] = input.Targets, ["rank"] = svd.Rank,
                ["alpha"] = k is null ? a : null, ["truncate"] = k, ["intercept"] = svd.FitIntercept ? RidgeFigures.Array(sol.Intercepts) : null,
                ["train_mse"] = TrainRun.Num(trainMse), ["loo_mse"] = TrainRun.Num(loo),
                ["coefficient_norm"] = Math.Sqrt(flat.Sum(v => v * v)), ["out"] = Path.GetFullPath(path), ["intercept_out"] = interceptPath is null ? null : Path.GetFullPath(interceptPath),
            });
            return 0;
        });
        return c;
    }

    private static Command BuildPath()
    {
        var io = InputOptions.Create();
        var alphas = new Option<string>("--alphas") { Description = "The grid: FROM:TO:COUNT log-spaced (FROM > 0), or a list of positive alphas", DefaultValueFactory = _ => "1e-6:1e4:100" };
        var pictures = new Option<string?>("--pictures") { Description = "Folder for lcurve.png, picard.png and criteria.png" };
        var c = new Command("path", "The ridge path over many alphas from one SVD: leave-one-out, GCV, the L-curve corner; L-curve and Picard pictures.") { alphas, pictures };
        io.AddTo(c);
        c.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var grid = RidgeInput.Alphas(parse.GetValue(alphas)!);
            string? dir = parse.GetValue(pictures);
            if (dir is not null)
            {
                OutputPaths.CheckDirectory(dir, "--pictures");
                OutputPaths.CheckFilesIn(dir, "lcurve.png", "picard.png", "criteria.png");
            }
            var (input, svd) = io.Fit(parse);
            var scan = svd.Scan(grid);
            ctx.Say(string.Create(Inv, $"ridge path: n = {input.Rows}, p = {input.Features}, targets = {input.Targets}, rank = {svd.Rank}, singular values {svd.SingularValues[0]:G4} … {svd.SingularValues[^1]:G4}, {scan.Alphas.Length} alphas"));
            ctx.Say($"{"alpha",12} {"LOO MSE",12} {"GCV",12} {"‖Xw − y‖",12} {"‖w‖",12} {"curvature",10}");
            for (int i = 0; i < scan.Alphas.Length; i++)
                ctx.Say(string.Create(Inv, $"{scan.Alphas[i],12:G4} {scan.LooMse[i],12:G6} {scan.Gcv[i],12:G6} {scan.ResidualNorms[i],12:G6} {scan.SolutionNorms[i],12:G6} {scan.Curvature[i],10:F3}"));
            foreach (var (name, i) in new[] { ("leave-one-out", scan.BestLoo), ("GCV", scan.BestGcv), ("L-curve corner", scan.Corner) })
                ctx.Say(i < 0 ? $"{name}: none on this grid" : string.Create(Inv, $"{name}: α = {scan.Alphas[i]:G4} (LOO MSE {scan.LooMse[i]:G6}, ‖w‖ {scan.SolutionNorms[i]:G4})"));
            if (dir is not null)
            {
                RidgeFigures.PathPictures(dir, svd, scan, $"{Path.GetFileName(input.Source)}, n = {input.Rows}, p = {input.Features}");
                ctx.Say($"pictures → {Path.Combine(dir, "lcurve.png")}, picard.png, criteria.png");
            }
            var json = RidgeFigures.ScanJson(svd, scan);
            json["command"] = "ridge path";
            json["pictures"] = dir is null ? null : Path.GetFullPath(dir);
            ctx.Result(json);
            return 0;
        });
        return c;
    }

    private static Command BuildSweep()
    {
        var data = new Option<string>("--data") { Description = "synthetic (isotropic Gaussian design), or images: fashion-mnist, mnist10k, or an IDX/.npy/.safetensors file with labels", DefaultValueFactory = _ => "synthetic" };
        var axis = new Option<string>("--axis") { Description = "synthetic: rows (vary n at fixed p) or features (vary p at fixed n)", DefaultValueFactory = _ => "rows" };
        var fix = new Option<int>("--fixed") { Description = "synthetic: the fixed dimension (p for --axis rows, n for --axis features)", DefaultValueFactory = _ => 200 };
        var sizes = new Option<string?>("--sizes") { Description = "The varied sizes, a comma list (default: synthetic ¼…5 × fixed; images 100…4000, dense near 784)" };
        var r2 = new Option<double>("--r2") { Description = "synthetic: signal power ‖w*‖²", DefaultValueFactory = _ => 1 };
        var sigma2 = new Option<double>("--sigma2") { Description = "synthetic: noise variance σ²", DefaultValueFactory = _ => 0.25 };
        var reps = new Option<int?>("--reps") { Description = "Repetitions per size (default 50 synthetic, 3 images)" };
        var cls = new Option<int>("--class") { Description = "images: the +1 class of the one-vs-rest target", DefaultValueFactory = _ => 0 };
        var alphas = new Option<string>("--alphas") { Description = "images: fixed ridge alphas, a list", DefaultValueFactory = _ => "0,1e-6,1" };
        var logistic = new Option<string?>("--logistic") { Description = "images: also fit L2 logistic regression at these alphas (C = 1/alpha), a list, e.g. 1e-6,1" };
        var testRows = new Option<int>("--test-rows") { Description = "images: test rows scored", DefaultValueFactory = _ => 2000 };
        var outDir = new Option<string>("--out-dir") { Description = "Folder for the picture and metrics.json", Required = true };
        var c = new Command("sweep", "The phase-transition experiment: test risk against the number of instances as λ → 0, with the theory curves (synthetic) or the rank spike (images).")
            { data, axis, fix, sizes, r2, sigma2, reps, cls, alphas, logistic, testRows, outDir };
        c.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            string dir = parse.GetValue(outDir)!;
            OutputPaths.CheckDirectory(dir, "--out-dir");
            OutputPaths.CheckFilesIn(dir, "risk.png", "sweep.png", "metrics.json");
            int[]? sizeList = parse.GetValue(sizes) is { } st ? Sizes(st) : null;
            string name = parse.GetValue(data)!;
            JsonObject result;
            if (name == "synthetic")
            {
                var o = new SyntheticSweepOptions
                {
                    Axis = parse.GetValue(axis) switch { "rows" => SweepAxis.Rows, "features" => SweepAxis.Features, var x => throw new GibbsException($"--axis '{x}': use rows or features") },
                    Fixed = parse.GetValue(fix), Sizes = sizeList, SignalPower = parse.GetValue(r2), NoiseVariance = parse.GetValue(sigma2), Repetitions = parse.GetValue(reps) ?? 50,
                };
                var points = Progress.Run("ridge sweep", report => RidgeTransition.Synthetic(o, ctx.Seed, (d, t) => report(d, t, null)));
                result = SyntheticReport(ctx, dir, o, points);
            }
            else
            {
                var o = new RealSweepOptions
                {
                    PositiveClass = parse.GetValue(cls), Repetitions = parse.GetValue(reps) ?? 3, TestRows = parse.GetValue(testRows),
                    Alphas = RidgeInput.Alphas(parse.GetValue(alphas)!), LogisticAlphas = parse.GetValue(logistic) is { } l ? RidgeInput.Alphas(l) : [],
                };
                if (sizeList is not null) o = o with { Sizes = sizeList };
                var train = Datasets.Load(name, DatasetSplit.Train);
                var test = Datasets.Load(name, DatasetSplit.Test);
                var fits = Progress.Run("ridge sweep", report => RidgeTransition.Real(train, test, o, ctx.Seed, (d, t, label) => report(d, t, label)));
                result = RealReport(ctx, dir, train.Name, o, fits);
            }
            OutputPaths.WriteJson(Path.Combine(dir, "metrics.json"), (JsonObject)result.DeepClone());
            ctx.Result(result);
            return 0;
        });
        return c;
    }

    internal static JsonObject SyntheticReport(Context ctx, string dir, SyntheticSweepOptions o, IReadOnlyList<RiskPoint> points, string picture = "risk.png")
    {
        bool rows = o.Axis == SweepAxis.Rows;
        ctx.Say(string.Create(Inv, $"synthetic ridge sweep: {(rows ? $"p = {o.Fixed}, n varies" : $"n = {o.Fixed}, p varies")}, r² = {o.SignalPower}, σ² = {o.NoiseVariance}, {points[0].Repetitions} repetitions; risk = ‖ŵ − w*‖² (mean ± s.e.) vs theory"));
        foreach (var g in points.GroupBy(q => q.Penalty))
        {
            ctx.Say($"  {g.Key}:");
            foreach (var q in g)
                ctx.Say(string.Create(Inv, $"    n = {q.Rows,5} p = {q.Features,5}  α = {q.Alpha,-9:G3} risk {q.MeanRisk,10:G4} ± {q.StandardError,-9:G3} theory {q.Theory,10:G4}  z = {q.Z,6:F2}{(q.InSingularBand ? "  (singular band)" : "")}"));
        }
        foreach (var (pen, within, total, maxZ) in RidgeFigures.Agreement(points))
            ctx.Say(string.Create(Inv, $"{pen}: {within}/{total} points within 3 s.e. of theory away from the band (max |z| {maxZ:F2})"));
        RidgeFigures.SyntheticPicture(Path.Combine(dir, picture), points, o);
        ctx.Say($"picture → {Path.Combine(dir, picture)}");
        return new JsonObject
        {
            ["command"] = "ridge sweep", ["data"] = "synthetic", ["axis"] = rows ? "rows" : "features", ["fixed"] = o.Fixed, ["r2"] = o.SignalPower, ["sigma2"] = o.NoiseVariance,
            ["agreement"] = new JsonArray(RidgeFigures.Agreement(points).Select(a => (JsonNode)new JsonObject { ["penalty"] = a.Penalty, ["within_3se"] = a.Within, ["points"] = a.Total, ["max_abs_z"] = a.MaxAbsZ }).ToArray()),
            ["points"] = RidgeFigures.SyntheticJson(points), ["out_dir"] = Path.GetFullPath(dir),
        };
    }

    internal static JsonObject RealReport(Context ctx, string dir, string name, RealSweepOptions o, IReadOnlyList<RealFit> fits, string picture = "sweep.png")
    {
        var s = RidgeTransition.Summarise(fits);
        ctx.Say($"{name} ridge sweep: class {o.PositiveClass} vs rest (±1), {o.Repetitions} random training subsets per n, {o.TestRows} test rows");
        ctx.Say($"{"model",-9} {"choice",-7} {"alpha",9} {"n",6} {"rank",7} {"test MSE",18} {"test error",16} {"‖w‖",18}");
        foreach (var q in s)
            ctx.Say(string.Create(Inv, $"{q.Model,-9} {q.Choice,-7} {(q.Choice == "fixed" ? q.Alpha.ToString("G3", Inv) : "10^" + q.Log10Alpha.Mean.ToString("F1", Inv)),9} {q.Rows,6} {q.Rank.Mean,7:F1} {q.TestMse.Mean,9:G4} ± {q.TestMse.Sd,-6:G2} {q.TestError.Mean,7:F4} ± {q.TestError.Sd,-6:F4} {q.Norm.Mean,9:G4} ± {q.Norm.Sd,-6:G2}"));
        RidgeFigures.RealPicture(Path.Combine(dir, picture), s, $"{name}: class {o.PositiveClass} vs rest, ridge as λ → 0 across n ≈ rank(X)");
        ctx.Say($"picture → {Path.Combine(dir, picture)}");
        return new JsonObject
        {
            ["command"] = "ridge sweep", ["data"] = name, ["class"] = o.PositiveClass, ["repetitions"] = o.Repetitions, ["test_rows"] = o.TestRows,
            ["summary"] = RidgeFigures.RealJson(s), ["out_dir"] = Path.GetFullPath(dir),
        };
    }

    private static int[] Sizes(string text) => text.Split(',', StringSplitOptions.TrimEntries).Select(v =>
        int.TryParse(v, NumberStyles.None, Inv, out int n) && n >= 1 ? n : throw new GibbsException($"--sizes '{text}': '{v}' is not a whole number ≥ 1")).ToArray();
}
