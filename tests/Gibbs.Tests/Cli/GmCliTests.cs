// `gibbs gm train|eval|sample|traverse` end to end on a small model: files and pictures written, the evaluation's
// numbers consistent (IS-NLL below the bound), resume bit-identical to an uninterrupted run, bad input in one line.
using Gibbs.IO;

namespace Gibbs.Tests.Cli;

[Collection("serial")]
public class GmCliTests : CliTestBase
{
    private string[] Train(string model, int epochs, params string[] extra) =>
        ["gm", "train", "--data", "mnist10k", "--limit", "400", "--arch", "784-32-4-32-784", "--batch", "100", "--lr", "0.003", "--epochs", epochs.ToString(), "--out", model, .. extra];

    [Fact]
    public void TrainEvalSampleAndTraverseWorkEndToEnd()
    {
        var model = P("gm.safetensors");
        var (code, stdout, err) = Run([.. Train(model, 2, "--nll-k", "20", "--nll-limit", "40", "--json")]);
        Assert.True(code == 0, err);
        var train = LastJson(stdout);
        Assert.Equal(2, train.GetProperty("epochs").GetArrayLength());
        Assert.True(train.GetProperty("test_nll").GetDouble() < train.GetProperty("test_bound").GetDouble() + 1);
        foreach (var f in new[] { "metrics.json", "curves.png", "samples.png", "reconstructions.png", "traverse.png" })
            Assert.True(File.Exists(P(Path.Combine("gm-report", f))), f);

        (code, stdout, err) = Run("gm", "eval", "--model", model, "--limit", "30", "--k", "40", "--dvar-rows", "1", "--dvar-draws", "200", "--json");
        Assert.True(code == 0, err);
        var eval = LastJson(stdout);
        Assert.Equal(30, eval.GetProperty("rows").GetInt32());
        Assert.InRange(eval.GetProperty("nll").GetDouble(), 50, eval.GetProperty("bound").GetDouble() + 3 * eval.GetProperty("nll_se").GetDouble());
        Assert.Equal(eval.GetProperty("bound").GetDouble() - eval.GetProperty("nll").GetDouble(), eval.GetProperty("variational_error").GetDouble(), 6);
        Assert.Equal("dynamic", eval.GetProperty("binarize").GetString());
        Assert.True(eval.TryGetProperty("dvar_regression_gaussian", out _));

        (code, _, err) = Run("gm", "sample", "--model", model, "--n", "16", "--out", P("s.png"));
        Assert.True(code == 0 && File.Exists(P("s.png")), err);
        (code, _, err) = Run("gm", "sample", "--model", model, "--n", "16", "--binary", "--out", P("s.npy"));
        Assert.True(code == 0, err);
        using (var s = TensorScope.Begin())
        {
            var x = Npy.Load(P("s.npy"));
            Assert.Equal([16, 784], x.Shape.ToArray());
            Assert.All(x.ToArray(), v => Assert.True(v is 0f or 1f));
        }
        (code, _, err) = Run("gm", "traverse", "--model", model, "--units", "3", "--steps", "5", "--interpolate", "3,1500", "--out", P("t.png"));
        Assert.True(code == 0 && File.Exists(P("t.png")) && File.Exists(P("t-interpolation.png")), err);
    }

    [Theory]
    [InlineData("bound")]
    [InlineData("iwae")]
    public void AResumedRunEqualsAnUninterruptedOne(string objective)
    {
        string[] common = ["--objective", objective, "--latent", "gaussian"];
        var (code, _, err) = Run([.. Train(P("a.safetensors"), 3, common)]);
        Assert.True(code == 0, err);
        (code, _, err) = Run([.. Train(P("b.safetensors"), 1, common)]);
        Assert.True(code == 0, err);
        (code, var stdout, err) = Run([.. Train(P("b.safetensors"), 3, common), "--resume", "--json"]);
        Assert.True(code == 0, err);
        using (var a = SafeTensors.Load(P("a.safetensors")))
        using (var b = SafeTensors.Load(P("b.safetensors")))
            foreach (var name in a.Tensors.Keys) Assert.Equal(a[name].ToArray(), b[name].ToArray());
        Assert.Equal([1, 2, 3], LastJson(stdout).GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));

        (code, _, err) = Run([.. Train(P("b.safetensors"), 3, common), "--resume"]);
        AssertOneLineError(code, err, "already at epoch 3");
        (code, _, err) = Run([.. Train(P("b.safetensors"), 5, [.. common, "--decay-epochs", "7"]), "--resume"]);
        AssertOneLineError(code, err, "--force");
        (code, _, err) = Run("gm", "train", "--data", "mnist10k", "--limit", "400", "--arch", "784-32-6-32-784", "--epochs", "5", "--out", P("b.safetensors"), "--resume", "--force");
        AssertOneLineError(code, err, "--arch cannot change on resume");
    }

    [Theory]
    [InlineData("--arch 100-20-100", "must both be 784")]
    [InlineData("--arch 784-x-784", "not a positive layer size")]
    [InlineData("--arch 784-20-20-784", "odd number")]
    [InlineData("--latent cauchy", "gaussian, laplace")]
    [InlineData("--objective elbo", "bound, iwae, dvar")]
    [InlineData("--binarize none", "--binarize")]
    [InlineData("--objective dvar", "--draws 2")]
    public void BadTrainingInputIsOneLine(string args, string expect)
    {
        var (code, _, err) = Run(["gm", "train", "--data", "mnist10k", "--limit", "100", "--epochs", "1", "--out", P("x.safetensors"), .. args.Split(' ')]);
        AssertOneLineError(code, err, expect);
        Assert.False(File.Exists(P("x.safetensors")));
    }

    [Fact]
    public void BadModelsAndArgumentsAreOneLine()
    {
        var (code, _, err) = Run("gm", "eval", "--model", P("missing.safetensors"));
        AssertOneLineError(code, err, "does not exist");
        File.WriteAllText(P("junk.safetensors"), "not a safetensors file");
        (code, _, err) = Run("gm", "sample", "--model", P("junk.safetensors"), "--out", P("s.png"));
        AssertOneLineError(code, err, "junk.safetensors");
        var rbm = P("rbm.safetensors");
        Assert.Equal(0, Run("rbm", "train", "--limit", "100", "--hidden", "4", "--epochs", "1", "--binarize", "threshold", "--out", rbm).Code);
        (code, _, err) = Run("gm", "eval", "--model", rbm);
        AssertOneLineError(code, err, "gibbs gm train");
        Assert.Equal(0, Run([.. Train(P("gm.safetensors"), 1)]).Code);
        (code, _, err) = Run("gm", "traverse", "--model", P("gm.safetensors"), "--interpolate", "3", "--out", P("t.png"));
        AssertOneLineError(code, err, "two row numbers");
        (code, _, err) = Run("gm", "eval", "--model", P("gm.safetensors"), "--data", "fashion-mnist-does-not-exist");
        Assert.NotEqual(0, code);
    }

    // --symmetry with --distort: the model carries the four symmetry latents, eval applies the training distortion by
    // itself (the same seeded draws), traverse --symmetry draws the h, v, r, angle rows; a bad --distort is one line.
    [Fact]
    public void SymmetryLatentsOnDistortedDigits()
    {
        var model = P("sym.safetensors");
        var (code, stdout, err) = Run([.. Train(model, 1, "--symmetry", "--distort", "4,30", "--nll-k", "10", "--nll-limit", "20", "--json")]);
        Assert.True(code == 0, err);
        double trained = LastJson(stdout).GetProperty("test_bound").GetDouble();
        (code, stdout, err) = Run("gm", "eval", "--model", model, "--k", "10", "--limit", "20", "--dvar-rows", "0", "--json");
        Assert.True(code == 0, err);
        var eval = LastJson(stdout);
        Assert.Contains("distort", eval.GetProperty("dataset").GetString());
        Assert.Equal(8, eval.GetProperty("latent_units").GetInt32()); // 4 learned + h, v, r, angle
        Assert.InRange(eval.GetProperty("bound").GetDouble(), trained - 15, trained + 15); // the same rows, other draws
        (code, stdout, err) = Run("gm", "traverse", "--model", model, "--symmetry", "--steps", "5", "--out", P("t.png"), "--json");
        Assert.True(code == 0, err);
        Assert.Equal([4, 5, 6, 7], LastJson(stdout).GetProperty("units").EnumerateArray().Select(u => u.GetInt32()));
        (code, _, err) = Run([.. Train(P("x.safetensors"), 1, "--distort", "4")]);
        AssertOneLineError(code, err, "--distort 4,30");
        (code, _, err) = Run([.. Train(P("x.safetensors"), 1, "--symmetry", "sideways")]);
        AssertOneLineError(code, err, "latents, canonical");
    }

    // Bare --symmetry is the seed's canonical recipe; --symmetry latents feeds the statistics to the decoder instead.
    // Both survive a file (eval reads them back) and a resume must not change the mode.
    [Fact]
    public void SymmetryModesAreSavedAndFixedOnResume()
    {
        var model = P("lat.safetensors");
        var (code, _, err) = Run([.. Train(model, 1, "--symmetry", "latents")]);
        Assert.True(code == 0, err);
        (code, var stdout, err) = Run("gm", "eval", "--model", model, "--k", "10", "--limit", "20", "--dvar-rows", "0", "--json");
        Assert.True(code == 0, err);
        Assert.Equal(8, LastJson(stdout).GetProperty("latent_units").GetInt32());
        (code, _, err) = Run([.. Train(model, 2, "--symmetry", "--resume")]);
        AssertOneLineError(code, err, "--symmetry");
        var (back, _) = Gibbs.Models.Gm.GmFile.Load(model);
        using (back) Assert.Equal(Gibbs.Models.Gm.GmSymmetryMode.Latents, back.Symmetry!.Mode);
    }
}
