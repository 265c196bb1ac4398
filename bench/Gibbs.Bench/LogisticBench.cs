// `logistic`: issue 14 item 6, the logistic part — LogisticRegression.Fit (src/Gibbs/Models/Ridge/, L-BFGS on float32
// tensors) against scikit-learn 1.2's LogisticRegression(C = 1/α, penalty='l2') (bench/peers/sklearn_logistic.py) in the
// same run, on the same float64 data, which this bench writes once as .npy files for the peer:
//   fashion-MNIST pixels/255, n = 500, 780, 2000 random training rows (RidgeTransition.TrainingRows, seed 14), p = 784,
//   y = ±1 for class 0 against the rest; mnist10k the same with n = 560; a well-conditioned synthetic set (n = 1000,
//   p = 50, x ~ N(0, I), P(y = 1) = σ(xᵀw* + 0.5), w* ~ N(0, 9I/p), seed 14). Test rows: the first 2000 of each test split
//   (2000 fresh synthetic rows).
// Correctness, α = 1e-2, 1, 100: ours at Tolerance 1e-7 (MaxIterations 20000) and at Tolerance 0 (until the line
// search finds no float32 decrease, 5000 iterations at most) against solver='lbfgs' (tol 1e-10, max_iter 100000) and
// 'newton-cg' (tol 1e-10, max_iter 200) and a float64 Newton reference; the peer evaluates F, ‖∇F‖∞, the errors and the
// distances in float64 for every solution, and the Newton displacement H⁻¹g₃₂ that a float32 gradient at the reference
// implies (what float32 allows).
// Speed: alternating rounds, one timed fit a side per round (ours warmed up once first): ours at the default Tolerance
// (‖∇F‖∞ ≤ 1e-5·F) and at sklearn's absolute test carried over (Tolerance = 1e-4/F*, i.e. ‖∇F‖∞ ≤ 1e-4), against
// LogisticRegression(C = 1/α).fit at its defaults (lbfgs, tol 1e-4, max_iter 100; ours at 1e-5 against it) and uncapped
// (max_iter 100000; ours at ‖∇F‖∞ ≤ 1e-4 against it). F and ‖∇F‖∞ at every result in float64, gaps to the reference F.
// Options: --rounds N (5), --sets fashion-500,…,synthetic-1000x50, --speed-sets fashion-780,fashion-2000, --keep DIR,
// --alphas a,b,… (the correctness α; speed runs only where they include 1 and 1e-2).
// Not a test: the asserts live in tests/; this prints tables for docs/benchmarks.md.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gibbs.Data;
using Gibbs.Models.Ridge;

namespace Gibbs.Bench;

public static class LogisticBench
{
    private sealed record DataSet(string Name, double[,] X, double[] Y, double[,] Xt, double[] Yt);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly double[] BriefAlphas = [1e-2, 1, 100];
    private static readonly double[] SpeedAlphas = [1, 1e-2];

    /// <summary>Our two correctness settings: the brief's tight tolerance, and 0 (run until the line search finds no
    /// float32 decrease, or 5000 iterations: at α = 100 the approximate-Wolfe test can keep accepting steps at the floor).</summary>
    private static readonly (string Name, LogisticOptions Options)[] Variants =
    [
        ("ours (tol 1e-7)", new LogisticOptions { Tolerance = 1e-7, MaxIterations = 20000 }),
        ("ours (tol 0)", new LogisticOptions { Tolerance = 0, MaxIterations = 5000 }),
    ];

    public static void Run(string[] args)
    {
        var (rounds, _) = PeerBench.Parse(args, rounds: 5);
        var only = Option(args, "--sets")?.Split(',');
        var speedSets = (Option(args, "--speed-sets") ?? "fashion-780,fashion-2000").Split(',');
        var keep = Option(args, "--keep");
        var alphas = Option(args, "--alphas")?.Split(',').Select(v => double.Parse(v, Inv)).ToArray() ?? BriefAlphas;
        Console.WriteLine($"CPU: {Timing.CpuModel()}, {Engine.Threads} threads; GEMM: {Gibbs.Backends.Cpu.Gemm.GemmProvider.Current.Name}; "
                          + $"device {Engine.DefaultDevice}; {Hardware.Date()}; load {Hardware.Load()}");
        var dir = keep ?? Path.Combine(Path.GetTempPath(), $"gibbs-logistic-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var correct = new List<string>();
        var detail = new List<string>();
        var speed = new List<string>();
        try
        {
            foreach (var set in Sets().Where(s => only is null || only.Contains(s.Name, StringComparer.OrdinalIgnoreCase)))
            {
                string F(string what) => Path.Combine(dir, $"{set.Name}-{what}.npy");
                WriteNpy(F("X"), set.X);
                WriteNpy(F("y"), set.Y);
                WriteNpy(F("Xt"), set.Xt);
                WriteNpy(F("yt"), set.Yt);
                string files = $"--x {F("X")} --y {F("y")}";
                var fStar = Check(set, alphas, files + $" --xt {F("Xt")} --yt {F("yt")} --ours {F("ours")}", F("ours"), correct, detail);
                if (speedSets.Contains(set.Name, StringComparer.OrdinalIgnoreCase) && SpeedAlphas.All(fStar.ContainsKey))
                    Time(set, files, fStar, rounds, speed);
            }
        }
        finally { if (keep is null) Directory.Delete(dir, recursive: true); }

        Console.WriteLine("\nCorrectness: ‖w − w₀‖∞/‖w₀‖∞ against sklearn's lbfgs (tol 1e-10) and against the float64 Newton reference; F − F_ref relative, F in float64");
        Console.WriteLine("| data (n × p, rank [X 1]) | α | ours (tol 1e-7): iter (stop) | ours vs sklearn lbfgs: coef / \\|Δb\\| | ours vs ref: coef (tol 1e-7 / tol 0) | sklearn lbfgs vs ref | newton-cg vs ref | float32 floor ‖H⁻¹g₃₂‖∞ (X rounded only) | (F − F_ref)/F_ref: ours 1e-7 / ours 0 / lbfgs / newton-cg | lower F, ours or lbfgs | train error ours / sk | test error ours / sk | ‖w‖ ours / sk |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
        correct.ForEach(Console.WriteLine);
        Console.WriteLine("\nGradients and iterations: ‖∇F‖∞ in float64 at each solution (F at the reference for scale), iterations and how each stopped");
        Console.WriteLine("| data | α | F_ref | ref ‖∇F‖∞ (Newton steps) | ours 1e-7: ‖∇F‖∞, iter, stop | ours 0: ‖∇F‖∞, iter, stop | sklearn lbfgs: ‖∇F‖∞, n_iter | newton-cg: ‖∇F‖∞, n_iter, warnings | g₃₂ at ref ‖·‖∞ | H eigenvalues min / max |");
        Console.WriteLine("|---|---:|---:|---:|---|---|---|---|---:|---:|");
        detail.ForEach(Console.WriteLine);
        Console.WriteLine($"\nSpeed: one fit, median (range) of {rounds} alternating rounds, seconds; ratio = median of per-round ratios (> 1: ours slower); gap = (F − F_ref)/F_ref");
        Console.WriteLine("| data (n × p) | α | ours, default Tolerance 1e-5 (‖∇F‖∞ ≤ 1e-5·F) | sklearn defaults (lbfgs, tol 1e-4, max_iter 100) | **ours / sklearn** | ours, ‖∇F‖∞ ≤ 1e-4 (Tolerance 1e-4/F_ref) | sklearn tol 1e-4, max_iter 1e5 | **ours / sklearn** | ms per iteration: ours default / sklearn max_iter 1e5 |");
        Console.WriteLine("|---|---:|---|---|---:|---|---|---:|---:|");
        speed.ForEach(Console.WriteLine);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Data

    private static IEnumerable<DataSet> Sets()
    {
        var fashion = Datasets.Load("fashion-mnist", DatasetSplit.Train);
        var fashionTest = Datasets.Load("fashion-mnist", DatasetSplit.Test);
        foreach (int n in new[] { 500, 780, 2000 }) yield return Images("fashion", fashion, fashionTest, n);
        yield return Images("mnist10k", Datasets.Load("mnist10k", DatasetSplit.Train), Datasets.Load("mnist10k", DatasetSplit.Test), 560);
        yield return Synthetic(1000, 50, 14);
    }

    private static DataSet Images(string name, Dataset train, Dataset test, int n)
    {
        var rows = RidgeTransition.TrainingRows(train.Count, n, 0, 14);
        var testRows = Enumerable.Range(0, Math.Min(2000, test.Count)).ToArray();
        return new DataSet($"{name}-{n}", Pixels(train, rows), RidgeTransition.OneVsRest(train, rows, 0),
                           Pixels(test, testRows), RidgeTransition.OneVsRest(test, testRows, 0));
    }

    /// <summary>Datasets stores byte/255f; the byte back, then /255 in float64, as the peer would compute it.</summary>
    private static double[,] Pixels(Dataset d, int[] rows)
    {
        var x = new double[rows.Length, d.Features];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < d.Features; j++) x[i, j] = MathF.Round(d.X[(long)rows[i] * d.Features + j] * 255f) / 255.0;
        return x;
    }

    private static DataSet Synthetic(int n, int p, ulong seed)
    {
        var g = new Gibbs.Rng.Generator(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - g.NextDouble())) * Math.Cos(2 * Math.PI * g.NextDouble());   // Box–Muller
        var w = Enumerable.Range(0, p).Select(_ => 3 * Normal() / Math.Sqrt(p)).ToArray();
        (double[,], double[]) Draw(int m)
        {
            var x = new double[m, p];
            var y = new double[m];
            for (int i = 0; i < m; i++)
            {
                double z = 0.5;
                for (int j = 0; j < p; j++) { x[i, j] = Normal(); z += x[i, j] * w[j]; }
                y[i] = g.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : -1;
            }
            return (x, y);
        }
        var (xTrain, yTrain) = Draw(n);
        var (xTest, yTest) = Draw(2000);
        return new DataSet($"synthetic-{n}x{p}", xTrain, yTrain, xTest, yTest);
    }

    private static string Label(DataSet s) => $"{s.Name.Split('-')[0]} ({s.X.GetLength(0)} × {s.X.GetLength(1)})";

    // ---------------------------------------------------------------------------------------------------------------
    // Correctness

    /// <summary>Fits ours (both variants, every α), hands the solutions to the peer's check, adds the table rows and
    /// returns F at the float64 reference per α (the speed rows measure gaps against it).</summary>
    private static Dictionary<double, double> Check(DataSet set, double[] alphas, string arguments, string oursPath, List<string> correct, List<string> detail)
    {
        int p = set.X.GetLength(1);
        var fits = new List<(LogisticSolution Sol, double Seconds)>();
        var packed = new double[Variants.Length * alphas.Length, p + 1];
        foreach (var (_, options) in Variants)
            foreach (var alpha in alphas)
            {
                var sw = Stopwatch.StartNew();
                var sol = LogisticRegression.Fit(set.X, set.Y, alpha, intercept: true, options);
                fits.Add((sol, sw.Elapsed.TotalSeconds));
                int row = fits.Count - 1;
                for (int j = 0; j < p; j++) packed[row, j] = sol.Coefficients[j];
                packed[row, p] = sol.Intercept;
                Console.WriteLine($"  {set.Name} α {alpha.ToString("G", Inv)} {Variants[row / alphas.Length].Name}: {sol.Iterations} iterations, {sol.Evaluations} evaluations, "
                                  + $"{sol.Stop}, {sw.Elapsed.TotalSeconds:F2} s, F {sol.Loss.ToString("R", Inv)}; load {Hardware.Load()}");
            }
        WriteNpy(oursPath, packed);
        var peer = Peer("check", $"{arguments} --alphas {string.Join(',', alphas.Select(a => a.ToString("R", Inv)))}");
        if (correct.Count == 0)
            Console.WriteLine($"peer: scikit-learn {peer.GetProperty("sklearn")}, numpy {peer.GetProperty("numpy")}, scipy {peer.GetProperty("scipy")}, "
                              + $"python {peer.GetProperty("python")}; {string.Join("; ", peer.GetProperty("blas").EnumerateArray().Select(e => e.GetString()))}");
        int rank = peer.GetProperty("rank").GetInt32();
        var fStar = new Dictionary<double, double>();
        int k = 0;
        foreach (var f in peer.GetProperty("fits").EnumerateArray())
        {
            double alpha = f.GetProperty("alpha").GetDouble();
            var (tight, floor) = (fits[k].Sol, fits[alphas.Length + k].Sol);
            k++;
            JsonElement refF = f.GetProperty("ref"), lb = f.GetProperty("lbfgs"), ncg = f.GetProperty("newton-cg");
            JsonElement o1 = f.GetProperty("ours")[0], o0 = f.GetProperty("ours")[1];
            double F0 = refF.GetProperty("F").GetDouble();
            fStar[alpha] = F0;
            double Gap(JsonElement e) => (e.GetProperty("F").GetDouble() - F0) / F0;
            string D(JsonElement e, string key) => Sci(e.GetProperty(key).GetDouble());
            string lower = o1.GetProperty("F").GetDouble() < lb.GetProperty("F").GetDouble() ? "ours"
                         : o1.GetProperty("F").GetDouble() > lb.GetProperty("F").GetDouble() ? "lbfgs" : "equal";
            correct.Add($"| {Label(set)}, {rank} | {alpha.ToString("G", Inv)} | {tight.Iterations} ({tight.Stop}) | {D(o1, "coef_vs_lbfgs")} / {D(o1, "intercept_vs_lbfgs")} | "
                        + $"{D(o1, "coef_vs_ref")} / {D(o0, "coef_vs_ref")} | {D(lb, "coef_vs_ref")} | {D(ncg, "coef_vs_ref")} | "
                        + $"{Sci(f.GetProperty("floor_float32").GetProperty("coef").GetDouble())} ({Sci(f.GetProperty("floor_x_rounded").GetProperty("coef").GetDouble())}) | "
                        + $"{Sci(Gap(o1))} / {Sci(Gap(o0))} / {Sci(Gap(lb))} / {Sci(Gap(ncg))} | {lower} | "
                        + $"{Pct(o1, "train_error")} / {Pct(lb, "train_error")} | {Pct(o1, "test_error")} / {Pct(lb, "test_error")} | "
                        + $"{o1.GetProperty("norm").GetDouble():G4} / {lb.GetProperty("norm").GetDouble():G4} |");
            var eig = f.GetProperty("hessian_eig");
            string warned = string.Join(", ", ncg.GetProperty("warnings").EnumerateArray().Select(e => e.GetString()));
            detail.Add($"| {Label(set)} | {alpha.ToString("G", Inv)} | {F0:G8} | {D(refF, "grad_inf")} ({refF.GetProperty("newton_iterations").GetInt32()}) | "
                       + $"{D(o1, "grad_inf")}, {tight.Iterations}, {tight.Stop} | {D(o0, "grad_inf")}, {floor.Iterations}, {floor.Stop} | "
                       + $"{D(lb, "grad_inf")}, {lb.GetProperty("n_iter").GetInt32()} | {D(ncg, "grad_inf")}, {ncg.GetProperty("n_iter").GetInt32()}, {(warned.Length == 0 ? "none" : warned)} | "
                       + $"{Sci(f.GetProperty("floor_float32").GetProperty("grad_inf").GetDouble())} | {Sci(eig[0].GetDouble())} / {Sci(eig[1].GetDouble())} |");
        }
        return fStar;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Speed

    private static void Time(DataSet set, string files, Dictionary<double, double> fStar, int rounds, List<string> speed)
    {
        var (x, y) = (set.X, set.Y);
        LogisticRegression.Fit(x, y, 1, intercept: true);   // JIT, untimed
        var cells = SpeedAlphas.ToDictionary(a => a, _ => new Dictionary<string, List<double>>());
        void Add(double a, string key, double v) { if (!cells[a].TryGetValue(key, out var l)) cells[a][key] = l = []; l.Add(v); }
        for (int r = 0; r < rounds; r++)
        {
            JsonElement peer = default;
            var ours = new Dictionary<double, (double Def, LogisticSolution SolDef, double Matched, LogisticSolution SolMatched)>();
            void Ours()
            {
                foreach (var a in SpeedAlphas)
                {
                    var sw = Stopwatch.StartNew();
                    var d = LogisticRegression.Fit(x, y, a, intercept: true);
                    double td = sw.Elapsed.TotalSeconds;
                    sw.Restart();
                    var m = LogisticRegression.Fit(x, y, a, intercept: true, new LogisticOptions { Tolerance = 1e-4 / fStar[a] });
                    ours[a] = (td, d, sw.Elapsed.TotalSeconds, m);
                }
            }
            void Theirs() => peer = Peer("time", $"{files} --alphas {string.Join(',', SpeedAlphas.Select(a => a.ToString("R", Inv)))} --uncapped");
            if (r % 2 == 0) { Ours(); Theirs(); } else { Theirs(); Ours(); }
            foreach (var f in peer.GetProperty("fits").EnumerateArray())
            {
                double a = f.GetProperty("alpha").GetDouble();
                JsonElement def = f.GetProperty("default"), unc = f.GetProperty("uncapped");
                var o = ours[a];
                double sk = def.GetProperty("seconds").GetDouble();
                Add(a, "ours", o.Def); Add(a, "ours_iter", o.SolDef.Iterations);
                Add(a, "ours_gap", (Objective(x, y, o.SolDef, a) - fStar[a]) / fStar[a]); Add(a, "ours_grad", Gradient(x, y, o.SolDef, a));
                Add(a, "matched", o.Matched); Add(a, "matched_iter", o.SolMatched.Iterations);
                Add(a, "matched_gap", (Objective(x, y, o.SolMatched, a) - fStar[a]) / fStar[a]);
                Add(a, "sk", sk); Add(a, "sk_iter", def.GetProperty("n_iter").GetInt32());
                Add(a, "sk_gap", (def.GetProperty("F").GetDouble() - fStar[a]) / fStar[a]); Add(a, "sk_grad", def.GetProperty("grad_inf").GetDouble());
                Add(a, "sk_capped", def.GetProperty("capped").GetBoolean() ? 1 : 0);
                Add(a, "matched_grad", Gradient(x, y, o.SolMatched, a));
                double uncS = unc.GetProperty("seconds").GetDouble();
                Add(a, "unc", uncS); Add(a, "unc_iter", unc.GetProperty("n_iter").GetInt32());
                Add(a, "unc_gap", (unc.GetProperty("F").GetDouble() - fStar[a]) / fStar[a]); Add(a, "unc_grad", unc.GetProperty("grad_inf").GetDouble());
                Add(a, "ratio", o.Def / sk); Add(a, "ratio_matched", o.Matched / uncS);
                Add(a, "ours_ms", 1e3 * o.Def / Math.Max(1, o.SolDef.Iterations)); Add(a, "sk_ms", 1e3 * uncS / Math.Max(1, unc.GetProperty("n_iter").GetInt32()));
                Console.WriteLine($"  {set.Name} α {a.ToString("G", Inv)} round {r + 1}: ours {o.Def:F3} s ({o.SolDef.Iterations} it), at 1e-4 {o.Matched:F3} s ({o.SolMatched.Iterations} it); "
                                  + $"sklearn {sk:F3} s ({def.GetProperty("n_iter").GetInt32()} it), uncapped {unc.GetProperty("seconds").GetDouble():F3} s; load {Hardware.Load()}");
            }
        }
        foreach (var a in SpeedAlphas)
        {
            var c = cells[a];
            string T(string key) => $"{Median(c[key]):F3} ({c[key].Min():F3}–{c[key].Max():F3})";
            string It(string key) => c[key].Min() == c[key].Max() ? $"{c[key][0]:F0}" : $"{c[key].Min():F0}–{c[key].Max():F0}";
            string G(string key) => Sci(Median(c[key]));
            string Cell(string k) => $"{T(k)} s; {It(k + "_iter")} it; gap {G(k + "_gap")}; ‖∇F‖∞ {G(k + "_grad")}";
            speed.Add($"| {Label(set)} | {a.ToString("G", Inv)} | {Cell("ours")} | {Cell("sk")}{(c["sk_capped"].Max() > 0 ? " (hit max_iter)" : "")} | **{Median(c["ratio"]):F2}** | "
                      + $"{Cell("matched")} | {Cell("unc")} | **{Median(c["ratio_matched"]):F2}** | {Median(c["ours_ms"]):F2} / {Median(c["sk_ms"]):F2} |");
        }
    }

    /// <summary>F(w, b) = Σ log(1 + exp(−yᵢ(xᵢᵀw + b))) + (α/2)‖w‖² in float64.</summary>
    private static double Objective(double[,] x, double[] y, LogisticSolution s, double alpha)
    {
        var z = s.Decision(x);
        double f = 0;
        for (int i = 0; i < y.Length; i++) { double u = -y[i] * z[i]; f += Math.Max(u, 0) + Math.Log(1 + Math.Exp(-Math.Abs(u))); }
        return f + 0.5 * alpha * s.Coefficients.Sum(v => v * v);
    }

    /// <summary>‖∇F‖∞ over (w, b) in float64.</summary>
    private static double Gradient(double[,] x, double[] y, LogisticSolution s, double alpha)
    {
        int n = y.Length, p = s.Coefficients.Length;
        var z = s.Decision(x);
        var g = s.Coefficients.Select(v => alpha * v).ToArray();
        double gb = 0;
        for (int i = 0; i < n; i++)
        {
            double r = -y[i] / (1 + Math.Exp(y[i] * z[i]));   // −y σ(−yz)
            gb += r;
            for (int j = 0; j < p; j++) g[j] += x[i, j] * r;
        }
        return Math.Max(Math.Abs(gb), g.Max(Math.Abs));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers (as RidgeBench)

    private static string Sci(double v) => v == 0 ? "0" : v.ToString("0.0e+0", Inv);

    private static string Pct(JsonElement e, string key) => $"{100 * e.GetProperty(key).GetDouble():F2}%";

    private static double Median(List<double> v) => SklearnPeer.Median(v);
    private static string? Option(string[] args, string name) => SklearnPeer.Option(args, name);
    private static void WriteNpy(string path, Array data) => SklearnPeer.WriteNpy(path, data);
    private static JsonElement Peer(string mode, string arguments) => SklearnPeer.Run("sklearn_logistic.py", mode, arguments);
}
