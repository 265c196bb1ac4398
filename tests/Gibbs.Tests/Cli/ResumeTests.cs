// `gibbs rbm train --resume` (issue 8): a run killed after epoch 2 and resumed equals one that never stopped, for
// every solver (the checkpoint holds everything the update reads); reports keep the whole history; a checkpoint
// written with other settings, an --epochs already reached, or corrupt metadata is one line and rewrites nothing.
using Gibbs.IO;

namespace Gibbs.Tests.Cli;

[Collection("serial")]
public class ResumeTests : CliTestBase
{
    private string[] Train(string model, int epochs, params string[] extra) =>
        ["rbm", "train", "--data", "mnist10k", "--limit", "300", "--hidden", "12", "--batch", "50", "--epochs", epochs.ToString(), "--out", model, .. extra];

    [Theory]
    [InlineData("cd", "threshold", "bernoulli")]
    [InlineData("pcd", "dynamic", "bernoulli")]
    [InlineData("naive", "threshold", "bernoulli")]
    [InlineData("tap2", "threshold", "bernoulli")]
    [InlineData("tap3", "threshold", "bernoulli")]
    [InlineData("tap2 --tap-init persistent --persist-after 1", "threshold", "bernoulli")]
    [InlineData("pcd --learn-sigma", "none", "gaussian")]
    public void ResumedRunEqualsAnUninterruptedOne(string solver, string binarize, string visible)
    {
        string[] common = ["--solver", .. solver.Split(' '), "--binarize", binarize, "--visible", visible, "--momentum", "0.5", "--decay", "l1", "--decay-rate", "0.001"];
        var straight = P("straight.safetensors");
        var (code, _, err) = Run([.. Train(straight, 4, common)]);
        Assert.True(code == 0, err);
        var resumed = P("resumed.safetensors");
        (code, _, err) = Run([.. Train(resumed, 2, common)]);
        Assert.True(code == 0, err);
        (code, var stdout, err) = Run([.. Train(resumed, 4, common), "--resume", "--json"]);
        Assert.True(code == 0, err);
        using (var a = SafeTensors.Load(straight))
        using (var b = SafeTensors.Load(resumed))
            foreach (var name in a.Tensors.Keys) Assert.Equal(a[name].ToArray(), b[name].ToArray());
        var epochs = LastJson(stdout).GetProperty("epochs");
        Assert.Equal(4, epochs.GetArrayLength());
        Assert.Equal([1, 2, 3, 4], epochs.EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
    }

    [Fact]
    public void ResumingWithOtherSettingsNamesTheMismatch()
    {
        var model = P("m.safetensors");
        var (code, _, err) = Run(Train(model, 2, "--binarize", "threshold", "--solver", "tap2"));
        Assert.True(code == 0, err);
        (code, _, err) = Run([.. Train(model, 4, "--binarize", "threshold", "--solver", "tap2", "--lr", "0.02"), "--resume"]);
        AssertOneLineError(code, err, "--lr 0.01");
        Assert.Contains("--force", err);
        (code, _, err) = Run([.. Train(model, 4, "--binarize", "threshold", "--solver", "pcd"), "--resume", "--force"]);
        AssertOneLineError(code, err, "--solver cannot change on resume");
        (code, _, err) = Run(["rbm", "train", "--data", "mnist10k", "--limit", "300", "--hidden", "20", "--batch", "50", "--epochs", "4", "--out", model,
                              "--binarize", "threshold", "--solver", "tap2", "--resume", "--force"]);
        AssertOneLineError(code, err, "--hidden 12");
        (code, var stdout, err) = Run([.. Train(model, 3, "--binarize", "threshold", "--solver", "tap2", "--lr", "0.02"), "--resume", "--force"]);
        Assert.True(code == 0, err);
        Assert.Contains("--force: continuing with --lr 0.02", stdout);
    }

    [Fact]
    public void EpochsAlreadyReachedRewriteNothing()
    {
        var model = P("m.safetensors");
        var (code, _, err) = Run(Train(model, 2, "--binarize", "threshold"));
        Assert.True(code == 0, err);
        var files = Directory.GetFiles(Dir, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        (code, _, err) = Run([.. Train(model, 2, "--binarize", "threshold"), "--resume"]);
        AssertOneLineError(code, err, "already at epoch 2 and --epochs is 2: nothing to train");
        foreach (var (f, bytes) in files) Assert.Equal(bytes, File.ReadAllBytes(f));
        Assert.Equal(files.Count, Directory.GetFiles(Dir, "*", SearchOption.AllDirectories).Length);
    }

    [Theory]
    [InlineData("trainer.epoch", "abc", "'trainer.epoch' is 'abc'")]
    [InlineData("trainer.epoch", "-5", "'trainer.epoch' is '-5'")]
    [InlineData("rng.train", "x:y", "random-generator state 'x:y'")]
    [InlineData("format", "gibbs-rbm", "not a Gibbs training checkpoint")]
    public void CorruptCheckpointMetadataIsOneLine(string key, string value, string expect)
    {
        var model = P("m.safetensors");
        var (code, _, err) = Run(Train(model, 2, "--binarize", "threshold"));
        Assert.True(code == 0, err);
        var ckpt = model + ".ckpt";
        using (var f = SafeTensors.Load(ckpt))
        {
            var meta = f.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
            meta[key] = value;
            SafeTensors.Save(ckpt, f.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value), meta);
        }
        (code, _, err) = Run([.. Train(model, 4, "--binarize", "threshold"), "--resume"]);
        AssertOneLineError(code, err, expect);
    }

    [Fact]
    public void StaleTemporariesOfDeadProcessesAreRemoved()
    {
        var model = P("m.safetensors");
        var stale = P(".m.safetensors.ckpt.tmp-2147483000-0123456789abcdef");
        File.WriteAllText(stale, "half a checkpoint");
        var (code, _, err) = Run(Train(model, 1, "--binarize", "threshold"));
        Assert.True(code == 0, err);
        Assert.False(File.Exists(stale));
        Assert.Empty(Directory.GetFiles(Dir, ".*tmp-*"));
    }
}
