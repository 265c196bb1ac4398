// A training step of ours against the same step in PyTorch (a script in bench/peers on /usr/bin/python3), alternating
// rounds so a disturbance hits both: per round our steps/s is the median of 3 runs of `steps` steps, the peer's the same
// in its own process. A row reports the medians (ranges), the median per-round ratio and the share of the measured peak.
namespace Gibbs.Bench;

internal static class PeerBench
{
    /// <summary>--rounds N and --batches a,b from the arguments.</summary>
    public static (int Rounds, int[] Batches) Parse(string[] args, int rounds = 5, int[]? batches = null)
    {
        batches ??= [100, 1000];
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--rounds") rounds = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            if (args[i] == "--batches") batches = args[i + 1].Split(',').Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        return (rounds, batches);
    }

    /// <summary>Prints the machine line and the table header; returns the measured peak GFLOP/s.</summary>
    public static double Header(string label)
    {
        double peak = Hardware.BestPeak(Engine.Threads);
        Console.WriteLine($"CPU: {Timing.CpuModel()}, {Engine.Threads} threads; GEMM: {Gibbs.Backends.Cpu.Gemm.GemmProvider.Current.Name}; "
                          + $"measured peak {peak:F1} GFLOP/s; {Hardware.Date()}; load {Hardware.Load()}");
        Console.WriteLine($"| {label} | Gibbs steps/s | PyTorch steps/s | Gibbs / PyTorch (median of rounds) | Gibbs GFLOP/s | Gibbs % peak | PyTorch % peak | rounds |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        return peak;
    }

    /// <summary>One row: <paramref name="steps"/> runs `steps` of our steps; <paramref name="peer"/> returns the peer's steps/s.</summary>
    public static void Row(string label, Action steps, int count, Func<double> peer, double flopsPerStep, int rounds, double peak)
    {
        var mine = new List<double>();
        var theirs = new List<double>();
        var ratio = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            double g = count / Timing.Median(steps, repeats: 3, warmup: r == 0 ? 2 : 1);
            double t = peer();
            mine.Add(g); theirs.Add(t); ratio.Add(g / t);
        }
        double gm = Med(mine), tm = Med(theirs);
        Console.WriteLine($"| {label} | {gm:F1} ({mine.Min():F1}–{mine.Max():F1}) | {tm:F1} ({theirs.Min():F1}–{theirs.Max():F1}) | **{Med(ratio):F2}** | "
                          + $"{gm * flopsPerStep / 1e9:F1} | {100 * gm * flopsPerStep / 1e9 / peak:F0}% | {100 * tm * flopsPerStep / 1e9 / peak:F0}% | {rounds} |");
    }

    /// <summary>The median (mean of the middle two for an even count).</summary>
    internal static double Med(List<double> v)
    {
        var s = v.OrderBy(x => x).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    /// <summary>Runs bench/peers/<paramref name="script"/> with <paramref name="arguments"/> and returns its "steps_per_s".</summary>
    public static double Peer(string script, string arguments) => PeerJson(script, arguments).GetProperty("steps_per_s").GetDouble();

    /// <summary>The peers' interpreter: GIBBS_PEER_PYTHON (the GPU machine's python3 with CUDA PyTorch), else /usr/bin/python3 (Debian's).</summary>
    public static string PeerPython => Environment.GetEnvironmentVariable("GIBBS_PEER_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>Runs bench/peers/<paramref name="script"/> with <see cref="PeerPython"/> and returns its last stdout line as JSON.</summary>
    public static System.Text.Json.JsonElement PeerJson(string script, string arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "peers", script);
        if (!File.Exists(path)) path = Path.GetFullPath(Path.Combine("bench", "peers", script));
        var psi = new System.Diagnostics.ProcessStartInfo(PeerPython, $"{path} {arguments} --threads {Engine.Threads}")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"PyTorch peer {script} failed (install python3-torch): {err.Trim().Split('\n').LastOrDefault()}");
        return System.Text.Json.JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
    }
}
