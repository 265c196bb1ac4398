// `gibbs therml train` end to end on the embedded digits (a small net, a few hundred rows): the files it writes, --json,
// --resume bit-identical to an uninterrupted run, and bad input as one line.
using System.CommandLine;
using System.Text.Json;
using Gibbs.Cli.Commands;
using Gibbs.Models.Therml;

namespace Gibbs.Tests.Therml;

[Collection("serial")]
public class VibCliTests : Gibbs.Tests.Cli.CliTestBase
{
    private static void AssertOneLineError((int Code, string Out, string Err) r, string expect) => AssertOneLineError(r.Code, r.Err, expect);

    // All 8,000 training digits (the named splits are in class order, so a --limit would keep one class) through a small net.
    private static readonly string[] Small = ["--data", "mnist10k", "--arch", "784-16-4", "--batch", "50", "--test-samples", "3", "--lr", "1e-3"];

    [Fact]
    public void VibTrainsWritesItsFilesAndResumesBitIdentically()
    {
        string whole = P("whole"), part = P("part");
        var r = Run([.. "therml train --preset vib --beta 1e-3 --epochs 3 --json --out".Split(' '), whole, .. Small]);
        Assert.True(r.Code == 0, r.Err);
        var json = JsonDocument.Parse(r.Out.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal("therml train", json.GetProperty("command").GetString());
        Assert.Equal("vib", json.GetProperty("preset").GetString());
        Assert.Equal(3, json.GetProperty("epochs_done").GetInt32());
        Assert.Equal(3, json.GetProperty("epochs").GetArrayLength());
        double error = json.GetProperty("test_error").GetDouble(), bits = json.GetProperty("test_rate_bits").GetDouble();
        Assert.InRange(error, 0, 0.35); // it learns: chance is 0.9
        Assert.Equal(json.GetProperty("test_rate_nats").GetDouble() / Math.Log(2), bits, 9);
        foreach (var f in new[] { "model.safetensors", "train.ckpt", "history.csv", "metrics.json", "curves.png" })
            Assert.True(File.Exists(Path.Combine(whole, f)), f);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(whole, "history.csv")).Length);

        Assert.Equal(0, Run([.. "therml train --preset vib --beta 1e-3 --epochs 1 --out".Split(' '), part, .. Small]).Code);
        var resumed = Run([.. "therml train --preset vib --beta 1e-3 --epochs 3 --resume --out".Split(' '), part, .. Small]);
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("resuming from", resumed.Out);
        var (a, _) = Vib.LoadFile(Path.Combine(whole, "model.safetensors"));
        var (b, _) = Vib.LoadFile(Path.Combine(part, "model.safetensors"));
        using (a)
        using (b)
            foreach (var ((name, x), (_, y)) in a.StateDict().Zip(b.StateDict()))
                Assert.True(x.ToArray().SequenceEqual(y.ToArray()), $"{name} differs after --resume");
        // The histories agree except for the seconds column.
        static string[] Strip(string path) => File.ReadAllLines(path).Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 1))).ToArray();
        Assert.Equal(Strip(Path.Combine(whole, "history.csv")), Strip(Path.Combine(part, "history.csv")));

        // Resuming with another β, or with nothing left to train, is one line and writes nothing.
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(part, "train.ckpt"));
        AssertOneLineError(Run([.. "therml train --preset vib --beta 1e-2 --epochs 4 --resume --out".Split(' '), part, .. Small]), "was trained with --beta 0.001");
        AssertOneLineError(Run([.. "therml train --preset vib --beta 1e-3 --epochs 3 --resume --out".Split(' '), part, .. Small]), "nothing to train");
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(part, "train.ckpt")));
    }

    [Fact]
    public void BetaVaeAndTheDeterministicBaselineTrain()
    {
        var r = Run([.. "therml train --preset beta-vae --beta 4 --epochs 1 --json --arch 784-16-4-16-784 --out".Split(' '), P("bvae"), "--data", "mnist10k", "--limit", "200", "--batch", "50"]);
        Assert.True(r.Code == 0, r.Err);
        var json = JsonDocument.Parse(r.Out.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal("beta-vae", json.GetProperty("preset").GetString());
        Assert.True(json.GetProperty("test_distortion_nats").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("test_error").ValueKind);
        var d = Run([.. "therml train --preset deterministic --epochs 1 --json --out".Split(' '), P("det"), .. Small]); // β defaults to 0 here
        Assert.True(d.Code == 0, d.Err);
        var dj = JsonDocument.Parse(d.Out.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(dj.GetProperty("test_error").GetDouble(), dj.GetProperty("test_error_one_draw").GetDouble());
        Assert.Equal(0, dj.GetProperty("beta").GetDouble());
        Assert.Equal(JsonValueKind.Null, dj.GetProperty("test_rate_bits").ValueKind); // a point encoder's rate is infinite
    }

    [Fact]
    public void BadInputIsOneLine()
    {
        string o = P("bad");
        AssertOneLineError(Run("therml", "train", "--preset", "ib", "--out", o), "unknown TherML preset 'ib'; the data-scale presets are vib, beta-vae, deterministic");
        AssertOneLineError(Run("therml", "train", "--beta", "-1", "--out", o), "β must be a finite number ≥ 0, got -1");
        AssertOneLineError(Run("therml", "train", "--beta=-0.5", "--out", o), "got -0.5");
        AssertOneLineError(Run("therml", "train", "--preset", "deterministic", "--beta", "1e-3", "--out", o), "β must be 0");
        AssertOneLineError(Run("therml", "train", "--data", "two-spirals", "--out", o), "its input must be 2 (the width of two-spirals)");
        AssertOneLineError(Run("therml", "train", "--preset", "beta-vae", "--data", "two-spirals", "--out", o), "does not fit the data");
        AssertOneLineError(Run("therml", "train", "--arch", "784-x-256", "--out", o), "'x' is not a positive layer size");
        AssertOneLineError(Run("therml", "train", "--resume", "--out", o), "no checkpoint at");
        File.WriteAllText(P("file"), "x");
        AssertOneLineError(Run("therml", "train", "--out", P("file")), "is a file, not a folder");
        Directory.CreateDirectory(o);
        File.WriteAllText(Path.Combine(o, "train.ckpt"), "not a checkpoint");
        var corrupt = Run("therml", "train", "--resume", "--data", "mnist10k", "--arch", "784-16-4", "--out", o);
        AssertOneLineError(corrupt, "train.ckpt");
        Assert.Equal("not a checkpoint", File.ReadAllText(Path.Combine(o, "train.ckpt")));
    }
}
