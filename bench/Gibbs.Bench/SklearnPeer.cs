// The scikit-learn peers of the ridge and logistic benches (issue 14): float64 .npy data written once by the C# side,
// a Python script under bench/peers run on /usr/bin/python3 with its BLAS pools limited to Engine.Threads, its result
// the last stdout line as JSON; and the small helpers both benches share.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Gibbs.Bench;

internal static class SklearnPeer
{
    /// <summary>Runs bench/peers/<paramref name="script"/> with a mode and arguments; returns its last stdout line as JSON.</summary>
    public static JsonElement Run(string script, string mode, string arguments)
    {
        var path = Path.Combine(RepoRoot(), "bench", "peers", script);
        var threads = Engine.Threads.ToString(CultureInfo.InvariantCulture);
        var psi = new ProcessStartInfo(NumpyPeer.Python, $"{path} {mode} {arguments} --threads {threads}")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var v in new[] { "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS" }) psi.Environment[v] = threads;
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"scikit-learn peer {script} failed (needs python3-sklearn): {err.Trim().Split('\n').LastOrDefault()}");
        return JsonDocument.Parse(stdout.Result.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    /// <summary>A matrix [n×p] or vector [n] as a C-order float64 .npy (Gibbs.IO.Npy).</summary>
    public static void WriteNpy(string path, Array data)
    {
        var flat = new double[data.Length];
        Buffer.BlockCopy(data, 0, flat, 0, flat.Length * sizeof(double));   // row-major for double[,]
        Gibbs.IO.Npy.SaveDoubles(path, flat, data.Rank == 1 ? [data.Length] : [data.GetLength(0), data.GetLength(1)]);
    }

    public static double Median(List<double> v) { var s = v.Order().ToArray(); return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }

    /// <summary>The value after <paramref name="name"/> on the command line, or null.</summary>
    public static string? Option(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Gibbs.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
