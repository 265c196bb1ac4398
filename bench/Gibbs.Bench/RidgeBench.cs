// `ridge`: issue 14 item 6 — RidgeSvd (src/Gibbs/Models/Ridge/) against scikit-learn 1.2 (bench/peers/sklearn_ridge.py)
// in the same run, on the same float64 data, which this bench writes once as .npy files for the peer:
//   fashion-MNIST pixels/255 (the first n training rows, n = 1000, 2000, 5000; p = 784; y = ±1, class 0 against the
//   rest) and a well-conditioned Gaussian design (n = 1000, p = 200, y = 1 + Xw* + 0.5 ε, w* ~ N(0, I/p), seed 14).
// Correctness: coefficients and intercept against Ridge(α, solver='svd', fit_intercept=True) at α = 1e-3, 1, 100, and
// at 0 and 1e-8, where scikit-learn's absolute cut (s > 1e-15) and our relative tol part; α = 0 also against numpy's
// minimum-norm lstsq. Scan(…).LooMse and its argmin against RidgeCV(alphas=np.logspace(-3, 4, 100),
// store_cv_values=True) in gcv_mode 'svd', 'auto' and 'eigen' (n ≤ 2000), and the per-sample LOO errors at three α.
// Speed: alternating rounds, one timed run a side per round (ours warmed up once first): ours Fit, Solve(1), Scan(100 α)
// and 100 × LooMse alone, against Ridge(solver='svd').fit and RidgeCV.fit; where our Fit's time goes (Math.NET's
// managed QR, SVD of R and Q·U, the steps of RidgeSvd's constructor) against the peer's bare LAPACK SVD; and a sketch of
// the 100-α LOO on plain row-major arrays (what Scan could cost without Math.NET's indexer).
// Options: --rounds N (5), --sets fashion-1000,…,gaussian-1000x200, --keep DIR (keep the .npy files to run the peer alone).
// Not a test: the asserts live in tests/; this prints tables for docs/benchmarks.md.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gibbs.Models.Ridge;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Gibbs.Bench;

public static class RidgeBench
{
    private sealed record DataSet(string Name, double[,] X, double[] Y);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The α of the brief (issue 14 item 6); 0 and 1e-8 are added to show where the two rank rules part.</summary>
    private static readonly double[] Briefed = [1e-3, 1, 100];
    private const string RidgeAlphas = "0,1e-8,1e-3,1,100";

    public static void Run(string[] args)
    {
        var (rounds, _) = PeerBench.Parse(args, rounds: 5);
        var only = Option(args, "--sets")?.Split(',');
        var keep = Option(args, "--keep");
        MathNet.Numerics.Control.MaxDegreeOfParallelism = Engine.Threads;
        Console.WriteLine($"CPU: {Timing.CpuModel()}, {Engine.Threads} threads (Math.NET MaxDegreeOfParallelism {MathNet.Numerics.Control.MaxDegreeOfParallelism}, "
                          + $"provider {MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider}); {Hardware.Date()}; load {Hardware.Load()}");
        var dir = keep ?? Path.Combine(Path.GetTempPath(), $"gibbs-ridge-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var correct = new List<string>();
        var loo = new List<string>();
        var speed = new List<string>();
        var profile = new List<string>();
        try
        {
            foreach (var set in Sets().Where(s => only is null || only.Contains(s.Name, StringComparer.OrdinalIgnoreCase)))
            {
                string xPath = Path.Combine(dir, $"{set.Name}-X.npy"), yPath = Path.Combine(dir, $"{set.Name}-y.npy");
                WriteNpy(xPath, set.X);
                WriteNpy(yPath, set.Y);
                string files = $"--x {xPath} --y {yPath}";
                var check = Peer("check", $"{files} --alphas {RidgeAlphas}");
                if (correct.Count == 0)
                    Console.WriteLine($"peer: scikit-learn {check.GetProperty("sklearn")}, numpy {check.GetProperty("numpy")}, scipy {check.GetProperty("scipy")}, "
                                      + $"python {check.GetProperty("python")}; {string.Join("; ", check.GetProperty("blas").EnumerateArray().Select(e => e.GetString()))}");
                Check(set, check, correct, loo);
                var alphas = check.GetProperty("alphas").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                Time(set, alphas, files, rounds, speed, profile);
            }
        }
        finally { if (keep is null) Directory.Delete(dir, recursive: true); }
        Console.WriteLine("\nCoefficients against Ridge(alpha, solver='svd', fit_intercept=True): ‖w − w_sk‖∞/‖w_sk‖∞ and |b − b_sk|/|b_sk|");
        Console.WriteLine("| data (n × p) | rank: ours (tol) / sklearn svd (s > 1e-15) | α | coef rel. diff | intercept rel. diff | sklearn's part from 1e-15 < s ≤ tol, rel. | ≤ 1e-6 |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---|");
        correct.ForEach(Console.WriteLine);
        Console.WriteLine("\nLOO against RidgeCV(alphas=np.logspace(-3, 4, 100), fit_intercept=True, store_cv_values=True): our Scan(…).LooMse vs cv_values_.mean(0)");
        Console.WriteLine("| data (n × p) | gcv_mode | sklearn alpha_ | our BestLoo α | same argmin | max rel. diff of the LOO curve (at α) | per-sample squared LOO errors, ∞-norm rel. diff (first, chosen, last α) |");
        Console.WriteLine("|---|---|---:|---:|---|---:|---|");
        loo.ForEach(Console.WriteLine);
        Console.WriteLine($"\nSpeed: median (range) of {rounds} alternating rounds, seconds; ratio = median of per-round ratios (> 1: ours slower)");
        Console.WriteLine("| data (n × p) | ours Fit | ours Scan (100 α) | ours 100 × LooMse | ours Fit + Scan | sklearn RidgeCV.fit | **Fit + Scan / RidgeCV** | ours Fit + Solve(1) | sklearn Ridge(svd).fit | **Fit + Solve / Ridge** |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        speed.ForEach(Console.WriteLine);
        Console.WriteLine("\nThe managed fallback's steps (GIBBS_LAPACK=managed: Math.NET's QR and SVD, median of the rounds, s) beside our native Fit and the peer's LAPACK SVD");
        Console.WriteLine("| data (n × p) | centre + copy | thin QR | SVD of R | Q·U_R (or Q·V_R) | Uᵀy | sum | ours Fit (native) | managed SVD ÷ our Fit + Scan (> 100%: the fallback alone is slower than the native path) | scipy svd(X_c) | scipy svd([X_c, 1]) | its share of RidgeCV.fit | sketch: 100-α LOO on plain arrays | its max rel. diff to LooMse |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        profile.ForEach(Console.WriteLine);
    }

    private static IEnumerable<DataSet> Sets()
    {
        var fashion = Gibbs.Data.Datasets.Load("fashion-mnist", Gibbs.Data.DatasetSplit.Train);
        foreach (int n in new[] { 1000, 2000, 5000 })
        {
            var x = new double[n, 784];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {   // Datasets stores byte/255f; the byte back, then /255 in float64, as the peer would compute it from the file.
                for (int j = 0; j < 784; j++) x[i, j] = MathF.Round(fashion.X[i * 784 + j] * 255f) / 255.0;
                y[i] = fashion.Labels![i] == 0 ? 1 : -1;
            }
            yield return new DataSet($"fashion-{n}", x, y);
        }
        yield return Gaussian(1000, 200, 14);
    }

    private static DataSet Gaussian(int n, int p, ulong seed)
    {
        var g = new Gibbs.Rng.Generator(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - g.NextDouble())) * Math.Cos(2 * Math.PI * g.NextDouble());   // Box–Muller
        var w = Enumerable.Range(0, p).Select(_ => Normal() / Math.Sqrt(p)).ToArray();
        var x = new double[n, p];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 1;
            for (int j = 0; j < p; j++) { x[i, j] = Normal(); s += x[i, j] * w[j]; }
            y[i] = s + 0.5 * Normal();
        }
        return new DataSet($"gaussian-{n}x{p}", x, y);
    }

    private static string Label(DataSet s) => $"{s.Name.Split('-')[0]} ({s.X.GetLength(0)} × {s.X.GetLength(1)})";

    private static void Check(DataSet set, JsonElement peer, List<string> correct, List<string> loo)
    {
        var fit = RidgeSvd.Fit(set.X, set.Y, intercept: true);
        int skRank = peer.GetProperty("above_1e-15").GetInt32();
        foreach (var r in peer.GetProperty("ridge").EnumerateArray())
        {
            double alpha = r.GetProperty("alpha").GetDouble();
            var wSk = Doubles(r.GetProperty("coef"));
            double bSk = r.GetProperty("intercept").GetDouble();
            var sol = fit.Solve(alpha);
            var w = sol.Coefficient();
            double dw = w.Zip(wSk, (a, b) => Math.Abs(a - b)).Max() / wSk.Max(Math.Abs);
            double db = Math.Abs(sol.Intercepts[0] - bSk) / Math.Abs(bSk);
            double cut = r.GetProperty("cut_part").GetDouble() / wSk.Max(Math.Abs);
            correct.Add($"| {Label(set)} | {fit.Rank} ({fit.Tolerance:0.0e+0}) / {skRank} | {alpha.ToString("G", Inv)} | {dw:0.0e+0} | {db:0.0e+0} | {cut:0.0e+0} | "
                        + $"{(Math.Max(dw, db) <= 1e-6 ? "yes" : "**no**")}{(Briefed.Contains(alpha) ? "" : " (extra α)")} |");
        }
        {   // λ = 0 against numpy's minimum-norm least squares (the same rank rule as ours)
            var ls = peer.GetProperty("lstsq");
            var wLs = Doubles(ls.GetProperty("coef"));
            var sol = fit.Solve(0);
            double dw = sol.Coefficient().Zip(wLs, (a, b) => Math.Abs(a - b)).Max() / wLs.Max(Math.Abs);
            double db = Math.Abs(sol.Intercepts[0] - ls.GetProperty("intercept").GetDouble()) / Math.Abs(ls.GetProperty("intercept").GetDouble());
            correct.Add($"| {Label(set)} | {fit.Rank} / {peer.GetProperty("above_tol").GetInt32()} | 0 vs np.linalg.lstsq(X_c, y_c, rcond=None) | {dw:0.0e+0} | {db:0.0e+0} | – | {(Math.Max(dw, db) <= 1e-6 ? "yes" : "**no**")} (extra) |");
        }
        var alphas = Doubles(peer.GetProperty("alphas"));
        var scan = fit.Scan(alphas);
        foreach (var mode in peer.GetProperty("cv").EnumerateObject())
        {
            var cv = mode.Value;
            var curve = Doubles(cv.GetProperty("loo"));
            int best = cv.GetProperty("best").GetInt32();
            int at = Enumerable.Range(0, curve.Length).MaxBy(k => Math.Abs(scan.LooMse[k] - curve[k]) / curve[k]);
            double maxRel = Math.Abs(scan.LooMse[at] - curve[at]) / curve[at];
            var perSample = cv.GetProperty("per_sample").EnumerateObject().Select(e =>
            {
                int k = int.Parse(e.Name, Inv);
                var sk = Doubles(e.Value);
                var mine = fit.LooResiduals(alphas[k]);
                double num = 0, den = 0;
                for (int i = 0; i < sk.Length; i++) { num = Math.Max(num, Math.Abs(mine[i, 0] * mine[i, 0] - sk[i])); den = Math.Max(den, Math.Abs(sk[i])); }
                return $"{num / den:0.0e+0} (α {alphas[k].ToString("G4", Inv)})";
            });
            loo.Add($"| {Label(set)} | {mode.Name} | {cv.GetProperty("alpha_").GetDouble().ToString("G6", Inv)} | {alphas[scan.BestLoo].ToString("G6", Inv)} | "
                    + $"{(best == scan.BestLoo ? "yes" : "**no**")} | {maxRel:0.0e+0} ({alphas[at].ToString("G4", Inv)}) | {string.Join(", ", perSample)} |");
        }
    }

    private static void Time(DataSet set, double[] alphas, string files, int rounds, List<string> speed, List<string> profile)
    {
        var (x, y) = (set.X, set.Y);
        RidgeSvd Fit() => RidgeSvd.Fit(x, y, intercept: true);
        var warm = Fit();   // JIT and Math.NET's first calls, untimed
        warm.Solve(1);
        warm.Scan(alphas);
        PlainLoo([1, 0, 0, 1], 2, [2, 1], [1, 1], [1, -1], alphas);
        var cols = new[] { "fit", "solve", "scan", "loo", "ridgecv", "ridge", "centre", "qr", "svd", "qu", "uty", "sk_svd", "sk_svd1", "plain" }
            .ToDictionary(k => k, _ => new List<double>());
        var ratioPath = new List<double>();
        var ratioOne = new List<double>();
        double plainDiff = 0;
        for (int r = 0; r < rounds; r++)
        {
            JsonElement peer = default;
            double fit = 0, solve = 0, scan = 0, looOnly = 0;
            void Ours()
            {
                var sw = Stopwatch.StartNew();
                var m = Fit();
                fit = sw.Elapsed.TotalSeconds;
                sw.Restart(); m.Solve(1); solve = sw.Elapsed.TotalSeconds;
                sw.Restart(); m.Scan(alphas); scan = sw.Elapsed.TotalSeconds;
                sw.Restart(); foreach (var a in alphas) m.LooMse(a); looOnly = sw.Elapsed.TotalSeconds;
                var (seconds, u, s, uty, yc) = Steps(x, y);
                foreach (var (k, v) in seconds) cols[k].Add(v);
                sw.Restart(); var plain = PlainLoo(u, x.GetLength(1), s, uty, yc, alphas); cols["plain"].Add(sw.Elapsed.TotalSeconds);
                if (r == 0)
                {
                    var loo = m.Scan(alphas).LooMse;
                    plainDiff = Enumerable.Range(0, alphas.Length).Max(k => Math.Abs(plain[k] - loo[k]) / loo[k]);
                }
            }
            void Theirs() => peer = Peer("time", files);
            if (r % 2 == 0) { Ours(); Theirs(); } else { Theirs(); Ours(); }
            double cv = peer.GetProperty("ridgecv_s").GetDouble(), one = peer.GetProperty("ridge_s").GetDouble();
            cols["fit"].Add(fit); cols["solve"].Add(solve); cols["scan"].Add(scan); cols["loo"].Add(looOnly);
            cols["ridgecv"].Add(cv); cols["ridge"].Add(one);
            cols["sk_svd"].Add(peer.GetProperty("svd_s").GetDouble()); cols["sk_svd1"].Add(peer.GetProperty("svd_with_ones_s").GetDouble());
            ratioPath.Add((fit + scan) / cv);
            ratioOne.Add((fit + solve) / one);
            Console.WriteLine($"  {set.Name} round {r + 1}: ours Fit {fit:F3} s, Scan {scan:F3} s, LOO only {looOnly:F3} s; sklearn RidgeCV {cv:F3} s, Ridge {one:F3} s; load {Hardware.Load()}");
        }
        string Cell(string k) => $"{Median(cols[k]):F3} ({cols[k].Min():F3}–{cols[k].Max():F3})";
        var path = cols["fit"].Zip(cols["scan"], (a, b) => a + b).ToList();
        var oneAlpha = cols["fit"].Zip(cols["solve"], (a, b) => a + b).ToList();
        speed.Add($"| {Label(set)} | {Cell("fit")} | {Cell("scan")} | {Cell("loo")} | {Median(path):F3} | {Cell("ridgecv")} | **{Median(ratioPath):F2}** | "
                  + $"{Median(oneAlpha):F3} | {Cell("ridge")} | **{Median(ratioOne):F2}** |");
        double steps = new[] { "centre", "qr", "svd", "qu", "uty" }.Sum(k => Median(cols[k]));
        double svdShare = (Median(cols["qr"]) + Median(cols["svd"]) + Median(cols["qu"])) / Median(path);
        profile.Add($"| {Label(set)} | {Median(cols["centre"]):F3} | {Median(cols["qr"]):F3} | {Median(cols["svd"]):F3} | {Median(cols["qu"]):F3} | {Median(cols["uty"]):F3} | "
                    + $"{steps:F3} | {Median(cols["fit"]):F3} | {100 * svdShare:F0}% | {Median(cols["sk_svd"]):F3} | {Median(cols["sk_svd1"]):F3} | "
                    + $"{100 * Median(cols["sk_svd1"]) / Median(cols["ridgecv"]):F0}% | {Cell("plain")} | {plainDiff:0.0e+0} |");
    }

    /// <summary>RidgeSvd's constructor written out step by step with Math.NET (seconds each): centring into a dense
    /// matrix, the thin QR, the SVD of the triangular factor, the product giving U (n ≥ p) or V (n &lt; p), and Uᵀy;
    /// returns U [n×m] row-major, s [m], Uᵀy_c [m] and y_c [n] for <see cref="PlainLoo"/>.</summary>
    private static (Dictionary<string, double> Seconds, double[] U, double[] S, double[] Uty, double[] Yc) Steps(double[,] x, double[] y)
    {
        int n = x.GetLength(0), p = x.GetLength(1);
        var t = new Dictionary<string, double>();
        var sw = Stopwatch.StartNew();
        var mean = new double[p];
        double ym = y.Average();
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) mean[j] += x[i, j];
        for (int j = 0; j < p; j++) mean[j] /= n;
        var xc = Matrix<double>.Build.Dense(n, p, (i, j) => x[i, j] - mean[j]);
        var yc = Matrix<double>.Build.Dense(n, 1, (i, _) => y[i] - ym);
        t["centre"] = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var qr = (n >= p ? xc : xc.Transpose()).QR(QRMethod.Thin);
        var (q, rr) = (qr.Q, qr.R);
        t["qr"] = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var svd = (n >= p ? rr : rr.Transpose()).Svd(computeVectors: true);
        t["svd"] = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var u = n >= p ? q * svd.U : svd.U;
        if (n < p) _ = q * svd.VT.Transpose();
        t["qu"] = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var uty = u.TransposeThisAndMultiply(yc);
        t["uty"] = sw.Elapsed.TotalSeconds;
        return (t, u.ToRowMajorArray(), svd.S.ToArray(), uty.Column(0).ToArray(), yc.Column(0).ToArray());
    }

    /// <summary>A sketch of what Scan's LOO could cost without Math.NET's indexer: the same formula as RidgeSvd.LooMse
    /// (eᵢ = rᵢ/(1 − Hᵢᵢ), r = y_c − U diag(f) Uᵀy_c, Hᵢᵢ = 1/n + Σⱼ Uᵢⱼ² fⱼ) on a row-major U, every α per row (the
    /// shape of two GEMMs (U∘U)·F and U·(F∘Uᵀy) [n×m · m×α]), vectorised dots, rows split over Engine.Threads.</summary>
    private static double[] PlainLoo(double[] u, int p, double[] s, double[] uty, double[] yc, double[] alphas)
    {
        int n = yc.Length, m = s.Length, k = alphas.Length;
        double tol = Math.Max(n, p) * Math.Pow(2, -52) * s[0];   // RidgeSvd.Tolerance
        var f = new double[k * m];
        var c = new double[k * m];
        for (int a = 0; a < k; a++)
            for (int j = 0; j < m; j++)
            {
                f[a * m + j] = s[j] > tol ? s[j] * s[j] / (s[j] * s[j] + alphas[a]) : 0;
                c[a * m + j] = f[a * m + j] * uty[j];
            }
        var partial = new double[Engine.Threads][];
        Parallel.For(0, Engine.Threads, new ParallelOptions { MaxDegreeOfParallelism = Engine.Threads }, w =>
        {
            var sum = partial[w] = new double[k];
            var sq = new double[m];
            for (int i = w * n / Engine.Threads; i < (w + 1) * n / Engine.Threads; i++)
            {
                var row = u.AsSpan(i * m, m);
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, row, sq);
                for (int a = 0; a < k; a++)
                {
                    double h = 1.0 / n + System.Numerics.Tensors.TensorPrimitives.Dot<double>(sq, f.AsSpan(a * m, m));
                    double e = (yc[i] - System.Numerics.Tensors.TensorPrimitives.Dot<double>(row, c.AsSpan(a * m, m))) / (1 - h);
                    sum[a] += e * e;
                }
            }
        });
        return Enumerable.Range(0, k).Select(a => partial.Sum(v => v[a]) / n).ToArray();
    }

    private static double[] Doubles(JsonElement a) => a.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static double Median(List<double> v) => SklearnPeer.Median(v);
    private static string? Option(string[] args, string name) => SklearnPeer.Option(args, name);
    private static void WriteNpy(string path, Array data) => SklearnPeer.WriteNpy(path, data);
    private static JsonElement Peer(string mode, string arguments) => SklearnPeer.Run("sklearn_ridge.py", mode, arguments);
}
