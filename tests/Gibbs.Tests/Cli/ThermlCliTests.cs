// `gibbs therml toy|sweep`: reports and pictures, seeds, the sweep's resumable file (points run in child processes or
// in this one give the same lines), and bad input as one line with nothing overwritten.
using System.Text.Json;

namespace Gibbs.Tests.Cli;

[Collection("serial")]
public class ThermlCliTests : CliTestBase
{
    [Fact]
    public void ToyWritesItsReportAndTheSeedsSpread()
    {
        var (code, stdout, err) = Run("therml", "toy", "--preset", "vae", "--steps", "200", "--seeds", "2", "--out", P("vae"), "--json");
        Assert.True(code == 0, err);
        var j = LastJson(stdout);
        Assert.Equal("vae", j.GetProperty("label").GetString());
        Assert.Equal(2, j.GetProperty("runs").GetArrayLength());
        Assert.True(j.GetProperty("summary").GetProperty("gap_D").GetProperty("sd").GetDouble() > 0);
        foreach (var f in new[] { "panel.png", "metrics.json", "model.safetensors" }) Assert.True(File.Exists(P($"vae/{f}")), f);
        // The preset's multipliers can be overridden one at a time.
        (code, stdout, err) = Run("therml", "toy", "--preset", "vae", "--sigma", "0.5", "--steps", "20", "--json");
        Assert.True(code == 0, err);
        Assert.Equal(0.5, LastJson(stdout).GetProperty("multipliers").GetProperty("sigma").GetDouble());
        Assert.Contains("vae with", LastJson(stdout).GetProperty("label").GetString());
    }

    [Fact]
    public void ToyBadInputIsOneLine()
    {
        var (code, _, err) = Run("therml", "toy", "--preset", "vea");
        AssertOneLineError(code, err, "unknown TherML preset 'vea'; the presets are: deterministic-classifier, ");
        (code, _, err) = Run("therml", "toy", "--delta", "-1", "--gamma", "1");
        AssertOneLineError(code, err, "δ (--delta) must be a finite number ≥ 0, got -1");
        (code, _, err) = Run("therml", "toy");
        AssertOneLineError(code, err, "give --preset NAME or the multipliers");
        (code, _, err) = Run("therml", "toy", "--preset", "vae", "--route", "mcmc");
        AssertOneLineError(code, err, "--route 'mcmc' is not known");
    }

    private string[] Sweep(string dir, params string[] extra) => SweepOver("0.8,1", dir, extra);

    private string[] SweepOver(string deltas, string dir, params string[] extra) =>
        ["therml", "sweep", "--deltas", deltas, "--gammas", "1", "--sigmas", "0.2,0.3", "--steps", "20", "--restarts", "1", "--draws", "1", "--out", P(dir), .. extra];

    [Fact]
    public void SweepResumesAndRefusesOtherSettingsOrCorruptFiles()
    {
        var (code, stdout, err) = Run(Sweep("s", "--jobs", "0", "--json"));
        Assert.True(code == 0, err);
        var j = LastJson(stdout);
        Assert.Equal(4, j.GetProperty("points").GetInt32());
        Assert.True(j.GetProperty("first_law").TryGetProperty("δ", out _));
        foreach (var f in new[] { "sweep.jsonl", "frontier.json", "frontier-rd.png", "frontier-rc.png" }) Assert.True(File.Exists(P($"s/{f}")), f);
        string file = P("s/sweep.jsonl");
        var before = File.ReadAllText(file);
        Assert.Equal(5, before.TrimEnd().Split('\n').Length);
        // Resuming runs nothing and appends nothing.
        (code, stdout, err) = Run(Sweep("s", "--jobs", "0"));
        Assert.True(code == 0, err);
        Assert.Contains("4 done", stdout);
        Assert.Equal(before, File.ReadAllText(file));
        // Other settings: refused, file untouched.
        (code, _, err) = Run(Sweep("s", "--jobs", "0", "--lr", "0.02"));
        AssertOneLineError(code, err, "was written by a sweep with other settings");
        Assert.Equal(before, File.ReadAllText(file));
        // A corrupt line: named, file untouched.
        var lines = before.TrimEnd().Split('\n');
        lines[2] = lines[2][..40];
        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        var corrupt = File.ReadAllText(file);
        (code, _, err) = Run(Sweep("s", "--jobs", "0"));
        AssertOneLineError(code, err, "sweep.jsonl line 3 is not a sweep record");
        Assert.Equal(corrupt, File.ReadAllText(file));
        // Deleting the bad line reruns just that point.
        File.WriteAllLines(file, lines.Where((_, i) => i != 2));
        (code, stdout, err) = Run(Sweep("s", "--jobs", "0"));
        Assert.True(code == 0, err);
        Assert.Contains("3 done", stdout);
        Assert.Equal(5, File.ReadAllText(file).TrimEnd().Split('\n').Length);
    }

    [Fact]
    public void SweepPointsInChildProcessesAreThePointsRunHere()
    {
        var (code, _, err) = Run(SweepOver("1", "here", "--jobs", "0"));
        Assert.True(code == 0, err);
        (code, _, err) = Run(SweepOver("1", "there", "--jobs", "2"));
        Assert.True(code == 0, err);
        static Dictionary<string, string> Points(string f) => File.ReadAllLines(f).Skip(1).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => $"{e.GetProperty("delta")}/{e.GetProperty("gamma")}/{e.GetProperty("sigma")}", e => e.GetProperty("result").GetProperty("runs").GetRawText());
        var here = Points(P("here/sweep.jsonl"));
        Assert.Equal(2, here.Count);
        Assert.Equal(here, Points(P("there/sweep.jsonl")));
    }

    [Fact]
    public void SweepBadGridIsOneLine()
    {
        var (code, _, err) = Run("therml", "sweep", "--sigmas", "0,0.1", "--out", P("x"));
        AssertOneLineError(code, err, "--sigmas '0,0.1': '0' is not a number > 0");
        (code, _, err) = Run("therml", "sweep", "--deltas", "1,x", "--out", P("x"));
        AssertOneLineError(code, err, "'x' is not a number");
        (code, _, err) = Run("therml", "sweep", "--deltas", "0", "--gammas", "0", "--rho", "0", "--sigmas", "0.1", "--out", P("x"));
        AssertOneLineError(code, err, "ρ, δ and γ are all 0");
        Assert.False(File.Exists(P("x/sweep.jsonl")));
    }
}
