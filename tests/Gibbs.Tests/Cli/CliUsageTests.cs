// What a first user typed wrong (issue 8): usage errors exit 2 and say what is accepted; output paths are
// checked before any training; the data directory option is its own flag and must exist; help names `gibbs`.
namespace Gibbs.Tests.Cli;

[Collection("serial")]
public class CliUsageTests : CliTestBase
{
    [Theory]
    [InlineData("--seed", "-1", "--seed must be a whole number")]
    [InlineData("--limit", "-5", "--limit must be at least 0")]
    [InlineData("--hidden", "0", "--hidden must be at least 1")]
    [InlineData("--lr", "-0.1", "--lr must be a positive number")]
    public void BadNumbersAreUsageErrors(string option, string value, string expect)
    {
        var (code, _, err) = Run("rbm", "train", option, value);
        Assert.Equal(2, code);
        Assert.Contains(expect, err);
        Assert.DoesNotContain("System.", err);
    }

    [Fact]
    public void HelpNamesTheTool()
    {
        var (code, stdout, _) = Run("rbm", "train", "--help");
        Assert.Equal(0, code);
        Assert.Contains("gibbs rbm train [options]", stdout);
        Assert.DoesNotContain("Gibbs.Cli", stdout);
        Assert.Contains("--data-dir", stdout);
        Assert.Single(stdout.Split('\n'), l => l.TrimStart().StartsWith("--data <", StringComparison.Ordinal));
    }

    [Fact]
    public void DataListShowsNoInternalReferences()
    {
        var (code, stdout, _) = Run("data", "list");
        Assert.Equal(0, code);
        Assert.DoesNotContain("§", stdout);
        Assert.DoesNotContain("issue", stdout);
    }

    [Fact]
    public void OutputPathsAreCheckedBeforeAnyWork()
    {
        Directory.CreateDirectory(P("adir"));
        var (code, _, err) = Run("rbm", "train", "--binarize", "threshold", "--out", P("adir"));
        AssertOneLineError(code, err, "is a directory");
        File.WriteAllText(P("afile"), "x");
        (code, _, err) = Run("rbm", "train", "--binarize", "threshold", "--out", P("m.safetensors"), "--report", P("afile"));
        AssertOneLineError(code, err, "is a file, not a folder");
        Directory.CreateDirectory(P("rep/filters.png"));
        (code, _, err) = Run("rbm", "train", "--binarize", "threshold", "--out", P("m.safetensors"), "--report", P("rep"));
        AssertOneLineError(code, err, "filters.png");
        Assert.False(File.Exists(P("m.safetensors.ckpt")));
        Directory.CreateDirectory(P("s.png"));
        (code, _, err) = Run("rbm", "sample", "--model", P("nothing.safetensors"), "--out", P("s.png"));
        AssertOneLineError(code, err, "--out");
    }

    [Fact]
    public void ADataDirThatDoesNotExistIsAnError()
    {
        var (code, _, err) = Run("rbm", "train", "--data", "mnist10k", "--data-dir", P("missing"), "--binarize", "threshold");
        AssertOneLineError(code, err, "--data-dir");
    }
}

[Collection("serial")]
public class EvalOverflowTests : CliTestBase
{
    [Fact]
    public void ExtremeButFiniteWeightsAreAnErrorNotInfinity()
    {
        var path = P("huge.safetensors");
        using (TensorScope.Begin())
            Gibbs.IO.SafeTensors.Save(path, new Dictionary<string, Tensor> { ["W"] = Tensor.Full([784, 10], 1e36f), ["b_v"] = Tensor.Zeros([784]), ["b_h"] = Tensor.Zeros([10]) });
        var (code, stdout, err) = Run("rbm", "eval", "--model", path, "--data", "mnist10k", "--binarize", "threshold", "--logz", "exact", "--limit", "50", "--json");
        AssertOneLineError(code, err, "overflows");
        Assert.DoesNotContain("Infinity", stdout);
        Assert.DoesNotContain("null", stdout);
    }
}
