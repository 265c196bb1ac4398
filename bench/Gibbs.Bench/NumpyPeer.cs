// Runs bench/peers/numpy_gemm.py on /usr/bin/python3 with a fixed BLAS thread count and reads its
// JSON lines. A missing python or numpy is reported, never fatal: the peer column then reads "–".
using System.Diagnostics;
using System.Text.Json;

namespace Gibbs.Bench;

public static class NumpyPeer
{
    public const string Python = "/usr/bin/python3";

    /// <summary>GFLOP/s per shape spec ("MxNxK:NT"), or null with <paramref name="why"/> when the peer cannot run.</summary>
    public static Dictionary<string, double>? Run(IEnumerable<string> specs, int threads, int repeats, out string why)
    {
        var script = Path.Combine(RepoRoot(), "bench", "peers", "numpy_gemm.py");
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        foreach (var s in specs) psi.ArgumentList.Add(s);
        psi.ArgumentList.Add("--repeats");
        psi.ArgumentList.Add(repeats.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var v in new[] { "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS" })
            psi.Environment[v] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) { why = $"numpy peer failed: {stderr.Trim().Split('\n')[^1]}"; return null; }
            var result = new Dictionary<string, double>();
            foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(line);
                result[doc.RootElement.GetProperty("shape").GetString()!] = doc.RootElement.GetProperty("gflops").GetDouble();
            }
            why = "";
            return result;
        }
        catch (System.ComponentModel.Win32Exception e) { why = $"{Python} not runnable: {e.Message}"; return null; }
    }

    /// <summary>numpy's BLAS as np.show_config reports it (first lines naming a library).</summary>
    public static string BlasConfig()
    {
        var psi = new ProcessStartInfo(Python, ["-c", "import numpy as np; print(np.__version__); np.show_config()"]) { RedirectStandardOutput = true, UseShellExecute = false };
        try
        {
            using var p = Process.Start(psi)!;
            var lines = p.StandardOutput.ReadToEnd().Split('\n');
            p.WaitForExit();
            var libs = lines.Where(l => l.Contains("libraries =", StringComparison.Ordinal)).Select(l => l.Trim()).FirstOrDefault() ?? "?";
            return $"numpy {lines[0].Trim()}, blas_opt_info {libs}";
        }
        catch (System.ComponentModel.Win32Exception) { return "numpy unavailable"; }
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Gibbs.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
