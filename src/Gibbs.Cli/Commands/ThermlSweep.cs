// `gibbs therml sweep`: the frontier on a (δ, γ, σ) grid at fixed ρ (001_ada2633fde8fc741.txt §3–4, App. F). Each grid
// point is an independent unit — one `gibbs therml toy … --json` process (several in parallel, --jobs), one JSON line
// appended to <out>/sweep.jsonl — so an interrupted sweep resumes where it stopped and points can run anywhere. The
// file's first line holds the sweep's settings; a file from other settings, or with a line that is not a point, is
// refused with its name and left as it is. Once the grid is full: the first law on every edge, the Maxwell relations and
// K_D on every cube (FrontierAnalysis), frontier.json, and the R–D and R–C projections as pictures.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gibbs.Models.Therml;
using Gibbs.Plots;

namespace Gibbs.Cli.Commands;

public static class ThermlSweep
{
    public const string Format = "gibbs-therml-sweep";

    /// <summary>The settings every point of a sweep shares (the file's first line).</summary>
    public sealed record Settings(double Rho, int Steps, int Draws, int Restarts, bool Infinite, ulong Seed, float LearningRate)
    {
        public JsonObject ToJson() => new()
        {
            ["format"] = Format, ["version"] = 1, ["rho"] = Rho, ["steps"] = Steps, ["draws"] = Draws, ["restarts"] = Restarts,
            ["infinite"] = Infinite, ["seed"] = Seed, ["learning_rate"] = LearningRate,
        };

        /// <summary>The command line of one point's process.</summary>
        public string[] PointArguments(double delta, double gamma, double sigma)
        {
            var a = new List<string> { "therml", "toy", "--rho", S(Rho), "--delta", S(delta), "--gamma", S(gamma), "--sigma", S(sigma),
                "--steps", Steps.ToString(CultureInfo.InvariantCulture), "--draws", Draws.ToString(CultureInfo.InvariantCulture), "--anneal",
                "--seeds", Restarts.ToString(CultureInfo.InvariantCulture), "--seed", Seed.ToString(CultureInfo.InvariantCulture),
                "--lr", LearningRate.ToString("R", CultureInfo.InvariantCulture), "--threads", "1", "--json" };
            if (Infinite) a.Add("--infinite");
            return a.ToArray();
        }

        /// <summary>The same point in this process (what the child process computes).</summary>
        public JsonObject RunHere(double delta, double gamma, double sigma)
        {
            var m = new Multipliers(Rho, delta, gamma, sigma);
            var runs = Enumerable.Range(0, Restarts).Select(r => ThermlToyTrainer.Train(new ThermlToyOptions
            {
                Multipliers = m, Steps = Steps, Draws = Draws, Anneal = true, Infinite = Infinite, LearningRate = LearningRate, Seed = Seed + (ulong)r,
            })).ToList();
            return ThermlReport.Summary(runs, m.ToString());
        }
    }

    private static string S(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static Command Build()
    {
        var deltas = new Option<string>("--deltas") { Description = "δ values, comma-separated", DefaultValueFactory = _ => "0.6,0.8,1,1.2" };
        var gammas = new Option<string>("--gammas") { Description = "γ values, comma-separated", DefaultValueFactory = _ => "0.6,0.8,1,1.2" };
        var sigmas = new Option<string>("--sigmas") { Description = "σ values, comma-separated (σ > 0: at σ = 0, S is not at equilibrium)", DefaultValueFactory = _ => "0.1,0.2,0.3,0.4" };
        var rho = new Option<double>("--rho") { Description = "ρ, the rate's multiplier, the same at every point", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Steps per point (cosine-annealed)", DefaultValueFactory = _ => 10_000 }.AtLeast(1);
        var draws = new Option<int>("--draws") { Description = "Noise draws per step", DefaultValueFactory = _ => 16 }.AtLeast(1);
        var restarts = new Option<int>("--restarts") { Description = "Initialisations per point; the lowest objective is kept (local optima)", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var lr = new Option<float>("--lr") { Description = "Adam's rate at the start", DefaultValueFactory = _ => 0.03f }.Positive();
        var finite = new Option<bool>("--finite") { Description = "Train on 50 examples instead of the exact distribution" };
        var jobs = new Option<int>("--jobs") { Description = "Points run at once, each its own process (0: one at a time in this process)", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(0);
        var output = new Option<string>("--out") { Description = "Sweep folder: sweep.jsonl (resumable), frontier.json, pictures", DefaultValueFactory = _ => "therml-sweep" };
        var cmd = new Command("sweep", "Trace the TherML frontier on a (δ, γ, σ) grid and measure its first law, Maxwell relations and K_D (§4, App. F).")
        {
            deltas, gammas, sigmas, rho, steps, draws, restarts, lr, finite, jobs, output,
        };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var grid = (D: Values(parse.GetValue(deltas)!, "--deltas", positive: false), G: Values(parse.GetValue(gammas)!, "--gammas", positive: false),
                        S: Values(parse.GetValue(sigmas)!, "--sigmas", positive: true));
            var settings = new Settings(parse.GetValue(rho), parse.GetValue(steps), parse.GetValue(draws), parse.GetValue(restarts), !parse.GetValue(finite), ctx.Seed, parse.GetValue(lr));
            _ = new Multipliers(settings.Rho, grid.D[0], grid.G[0], grid.S[0]);   // bad multipliers fail before any work
            string dir = parse.GetValue(output)!;
            OutputPaths.CheckDirectory(dir, "--out");
            OutputPaths.CheckFilesIn(dir, "sweep.jsonl", "frontier.json", "frontier-rd.png", "frontier-rc.png");
            var json = Run(ctx, dir, settings, grid.D, grid.G, grid.S, parse.GetValue(jobs));
            ctx.Result(json);
            return 0;
        });
        return cmd;
    }

    internal static double[] Values(string text, string what, bool positive)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var v = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i]) || v[i] < 0 || (positive && v[i] == 0))
                throw new GibbsException($"{what} '{text}': '{parts[i]}' is not a number {(positive ? "> 0" : "≥ 0")}; give comma-separated values, e.g. {what} 0.1,0.2,0.3");
        if (v.Length == 0) throw new GibbsException($"{what} is empty; give comma-separated values, e.g. {what} 0.5,1");
        if (v.Distinct().Count() != v.Length) throw new GibbsException($"{what} '{text}' repeats a value");
        return v.Order().ToArray();
    }

    /// <summary>Runs the missing points into dir/sweep.jsonl, then analyses the full grid.</summary>
    internal static JsonObject Run(Context ctx, string dir, Settings settings, double[] ds, double[] gs, double[] ss, int jobs)
    {
        string file = Path.Combine(dir, "sweep.jsonl");
        var done = Read(file, settings);
        var todo = (from d in ds from g in gs from s in ss where !done.ContainsKey((d, g, s)) select (d, g, s)).ToList();
        int total = ds.Length * gs.Length * ss.Length;
        ctx.Say($"TherML sweep: {ds.Length}×{gs.Length}×{ss.Length} = {total} points at ρ = {settings.Rho}, {(settings.Infinite ? "infinite data" : "50 examples")}; {total - todo.Count} done in {file}, {todo.Count} to run ({Math.Max(1, jobs)} at a time)");
        if (!File.Exists(file)) Append(file, settings.ToJson());
        var gate = new object();
        Progress.Run("therml sweep", report =>
        {
            int finished = 0;
            report(0, todo.Count, null);
            Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs) }, p =>
            {
                var result = jobs == 0 ? settings.RunHere(p.d, p.g, p.s) : RunProcess(settings.PointArguments(p.d, p.g, p.s));
                var line = new JsonObject { ["delta"] = p.d, ["gamma"] = p.g, ["sigma"] = p.s, ["result"] = result };
                lock (gate)
                {
                    Append(file, line);
                    done[(p.d, p.g, p.s)] = Best(result);
                    report(++finished, todo.Count, null);
                }
            });
            return 0;
        });
        var points = (from d in ds from g in gs from s in ss select new FrontierPoint(d, g, s, done[(d, g, s)].F, done[(d, g, s)].Spread)).ToList();
        return Analyse(ctx, dir, settings, points);
    }

    /// <summary>The restart with the lowest objective (the functionals on the training distribution) and the restarts' spread of J/N.</summary>
    private static (Functionals F, double Spread) Best(JsonObject result)
    {
        var runs = result["runs"]!.AsArray();
        var objectives = runs.Select(r => r!["objective"]?.GetValue<double>() ?? double.PositiveInfinity).ToList();
        var best = runs[objectives.IndexOf(objectives.Min())]!["train"]!;
        double G(string k) => best[k]?.GetValue<double>() ?? double.NaN;
        int n = result["examples"]?.GetValue<int>() ?? 50;
        return (new Functionals(G("R"), G("D"), G("C"), G("S")), objectives.Count > 1 ? (objectives.Max() - objectives.Min()) / n : double.NaN);
    }

    private static Dictionary<(double, double, double), (Functionals F, double Spread)> Read(string file, Settings settings)
    {
        var done = new Dictionary<(double, double, double), (Functionals F, double Spread)>();
        if (!File.Exists(file)) return done;
        var lines = File.ReadAllLines(file);
        string expected = settings.ToJson().ToJsonString();
        for (int i = 0; i < lines.Length; i++)
        {
            JsonObject line;
            try { line = JsonNode.Parse(lines[i])?.AsObject() ?? throw new JsonException("empty"); }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                throw new GibbsException($"{file} line {i + 1} is not a sweep record ({e.Message.Split('\n')[0].TrimEnd('.')}); the file is left as it is: delete that line (or the file) to rerun its point, or use another --out folder");
            }
            if (i == 0)
            {
                if (line["format"]?.GetValue<string>() != Format)
                    throw new GibbsException($"{file} is not a TherML sweep file (its first line has no \"format\": \"{Format}\"); use another --out folder");
                if (line.ToJsonString() != expected)
                    throw new GibbsException($"{file} was written by a sweep with other settings ({line.ToJsonString()}; this one is {expected}); nothing was overwritten: use another --out folder or the same settings");
                continue;
            }
            try
            {
                double d = line["delta"]!.GetValue<double>(), g = line["gamma"]!.GetValue<double>(), s = line["sigma"]!.GetValue<double>();
                done[(d, g, s)] = Best(line["result"]!.AsObject());
            }
            catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new GibbsException($"{file} line {i + 1} is not a sweep point (it lacks delta, gamma, sigma or a result); the file is left as it is: delete that line to rerun its point");
            }
        }
        if (lines.Length == 0) throw new GibbsException($"{file} is empty; delete it or use another --out folder");
        return done;
    }

    private static void Append(string file, JsonObject line)
    {
        using var fs = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.Read);
        var bytes = Encoding.UTF8.GetBytes(line.ToJsonString() + "\n");
        fs.Write(bytes);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>Runs one point as a child `gibbs` process and returns its JSON result line.</summary>
    private static JsonObject RunProcess(string[] arguments)
    {
        string self = Environment.ProcessPath ?? throw new GibbsException("cannot find this program's path to start the sweep's points; use --jobs 0");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ThermlSweep).Assembly.Location);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var p = Process.Start(start) ?? throw new GibbsException($"could not start {self}");
        var errTask = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string err = errTask.Result;
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (p.ExitCode != 0 || last is null)
            throw new GibbsException($"a sweep point failed ({string.Join(' ', arguments)}): {err.Trim().Split('\n').LastOrDefault() ?? $"exit code {p.ExitCode}"}");
        return JsonNode.Parse(last)!.AsObject();
    }

    private static JsonObject Analyse(Context ctx, string dir, Settings settings, IReadOnlyList<FrontierPoint> points)
    {
        const int n = 50;
        var edges = FrontierAnalysis.FirstLaw(points, settings.Rho, n);
        var (dsx, gsx, ssx) = FrontierAnalysis.Grid(points);
        var cubes = dsx.Length > 1 && gsx.Length > 1 && ssx.Length > 1 ? FrontierAnalysis.Cubes(points, settings.Rho, n) : [];
        static double Median(IEnumerable<double> v) { var a = v.Where(double.IsFinite).Order().ToArray(); return a.Length == 0 ? double.NaN : a.Length % 2 == 1 ? a[a.Length / 2] : 0.5 * (a[a.Length / 2 - 1] + a[a.Length / 2]); }
        var firstLaw = new JsonObject();
        ctx.Say("first law ρΔR + δ̄ΔD + γ̄ΔC + σ̄ΔS/N = 0 on the grid's edges (relative residual = |sum| / Σ|terms|):");
        foreach (var axis in new[] { "δ", "γ", "σ" })
        {
            var along = edges.Where(e => e.Axis == axis).ToList();
            if (along.Count == 0) continue;
            double med = Median(along.Select(e => e.Relative)), medAbs = Median(along.Select(e => Math.Abs(e.Residual))), noise = Median(along.Select(e => e.Noise));
            int within = along.Count(e => Math.Abs(e.Residual) <= e.Noise);
            firstLaw[axis] = new JsonObject
            {
                ["edges"] = along.Count, ["median_relative"] = TrainRun.Num(med), ["median_abs_residual"] = TrainRun.Num(medAbs), ["median_scale"] = TrainRun.Num(Median(along.Select(e => e.Scale))),
                ["median_restart_spread"] = TrainRun.Num(noise), ["within_restart_spread"] = within,
            };
            ctx.Say($"  along {axis}: {along.Count} edges, median relative residual {ThermlCommand.F(med, "F3")}, median |residual| {ThermlCommand.F(medAbs, "F4")} nats/example; " +
                    $"restarts' spread of J/N {ThermlCommand.F(noise, "F4")}; {within} of {along.Count} residuals within it");
        }
        var maxwell = new JsonObject();
        if (cubes.Count > 0)
        {
            maxwell["cubes"] = cubes.Count;
            maxwell["eq30_dDelta_dC_vs_dGamma_dD_median_relative"] = TrainRun.Num(Median(cubes.Select(c => c.MaxwellDC)));
            maxwell["dDelta_dS_vs_dSigma_dD_median_relative"] = TrainRun.Num(Median(cubes.Select(c => c.MaxwellDS)));
            maxwell["dGamma_dS_vs_dSigma_dC_median_relative"] = TrainRun.Num(Median(cubes.Select(c => c.MaxwellCS)));
            maxwell["fixed_delta_dGamma_dS_vs_dSigma_dC_median_relative"] = TrainRun.Num(Median(cubes.Select(c => c.MaxwellCSAtFixedDelta)));
            maxwell["K_D_median"] = TrainRun.Num(Median(cubes.Select(c => c.KD)));
            maxwell["K_D_from_entropy_median"] = TrainRun.Num(Median(cubes.Select(c => c.KDFromEntropy)));
            ctx.Say($"Maxwell relations on {cubes.Count} cubes (median relative residual): eq. 30 (∂δ/∂C)_D,S = (∂γ/∂D)_C,S: {ThermlCommand.F(Median(cubes.Select(c => c.MaxwellDC)), "F3")}; " +
                    $"(∂δ/∂S) = (∂σ/∂D): {ThermlCommand.F(Median(cubes.Select(c => c.MaxwellDS)), "F3")}; (∂γ/∂S) = (∂σ/∂C): {ThermlCommand.F(Median(cubes.Select(c => c.MaxwellCS)), "F3")}; " +
                    $"at fixed δ (∂γ/∂S)_C = (∂σ/∂C)_S: {ThermlCommand.F(Median(cubes.Select(c => c.MaxwellCSAtFixedDelta)), "F3")}");
            ctx.Say($"K_D = (∂R/∂σ)_D,C median {ThermlCommand.F(Median(cubes.Select(c => c.KD)), "F4")}; −(σ/N)(∂S/∂σ)_D,C median {ThermlCommand.F(Median(cubes.Select(c => c.KDFromEntropy)), "F4")}");
        }
        var table = new JsonArray();
        foreach (var p in points)
            table.Add(new JsonObject
            {
                ["delta"] = p.Delta, ["gamma"] = p.Gamma, ["sigma"] = p.Sigma, ["R"] = TrainRun.Num(p.F.R), ["D"] = TrainRun.Num(p.F.D), ["C"] = TrainRun.Num(p.F.C),
                ["S"] = TrainRun.Num(p.F.S), ["restart_spread"] = TrainRun.Num(p.Spread),
            });
        var cubeRows = new JsonArray();
        foreach (var c in cubes)
            cubeRows.Add(new JsonObject
            {
                ["delta"] = c.Delta, ["gamma"] = c.Gamma, ["sigma"] = c.Sigma, ["maxwell_dc"] = TrainRun.Num(c.MaxwellDC), ["maxwell_ds"] = TrainRun.Num(c.MaxwellDS),
                ["maxwell_cs"] = TrainRun.Num(c.MaxwellCS), ["maxwell_cs_fixed_delta"] = TrainRun.Num(c.MaxwellCSAtFixedDelta), ["dDelta_dC"] = TrainRun.Num(c.M[0, 1]), ["dGamma_dD"] = TrainRun.Num(c.M[1, 0]),
                ["K_D"] = TrainRun.Num(c.KD), ["K_D_from_entropy"] = TrainRun.Num(c.KDFromEntropy),
            });
        var json = new JsonObject
        {
            ["model"] = "therml-sweep", ["settings"] = settings.ToJson(), ["points"] = points.Count, ["first_law"] = firstLaw, ["maxwell"] = maxwell,
            ["table"] = table, ["cubes"] = cubeRows,
        };
        OutputPaths.WriteJson(Path.Combine(dir, "frontier.json"), (JsonObject)json.DeepClone());
        // Projections: R against D (one curve per γ at the middle σ, over δ) and R against C (one per δ, over γ).
        double sMid = ssx[ssx.Length / 2];
        LinePlot.Save(Path.Combine(dir, "frontier-rd.png"), $"R–D projection (σ = {sMid}, ρ = {settings.Rho}; along δ)", "D (nats/example)", "R (nats/example)",
            gsx.Select(g => new Series($"γ = {g}", dsx.Select(d => points.First(p => p.Delta == d && p.Gamma == g && p.Sigma == sMid).F.D).ToArray(),
                                                 dsx.Select(d => points.First(p => p.Delta == d && p.Gamma == g && p.Sigma == sMid).F.R).ToArray())).ToList(),
            new LinePlotOptions { Markers = true });
        LinePlot.Save(Path.Combine(dir, "frontier-rc.png"), $"R–C projection (σ = {sMid}, ρ = {settings.Rho}; along γ)", "C (nats/example)", "R (nats/example)",
            dsx.Select(d => new Series($"δ = {d}", gsx.Select(g => points.First(p => p.Delta == d && p.Gamma == g && p.Sigma == sMid).F.C).ToArray(),
                                                 gsx.Select(g => points.First(p => p.Delta == d && p.Gamma == g && p.Sigma == sMid).F.R).ToArray())).ToList(),
            new LinePlotOptions { Markers = true });
        ctx.Say($"wrote {Path.Combine(dir, "frontier.json")}, frontier-rd.png, frontier-rc.png");
        json.Remove("table");
        json.Remove("cubes");
        return json;
    }
}
