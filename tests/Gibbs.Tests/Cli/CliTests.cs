// The CLI as a user meets it: JSON results on the last stdout line, and bad input as exactly one line
// on stderr with a non-zero exit code (never a stack trace).
using System.Text.Json;
using Gibbs.Cli;
using Gibbs.Data;
using Gibbs.IO;

namespace Gibbs.Tests.Cli;

[Collection("serial")]
public class CliTests : CliTestBase
{
    [Fact]
    public void InfoNamesTheGemmBackend()
    {
        var (code, stdout, _) = Run("info", "--json");
        Assert.Equal(0, code);
        var j = LastJson(stdout);
        Assert.Equal("info", j.GetProperty("command").GetString());
        Assert.Matches("OpenBLAS|managed", j.GetProperty("gemm").GetString()!);
    }

    [Fact]
    public void DataInfoReportsMnist10k()
    {
        var (code, stdout, _) = Run("data", "info", "mnist10k", "--json");
        Assert.Equal(0, code);
        var j = LastJson(stdout);
        Assert.Equal(10000, j.GetProperty("samples").GetInt32());
        Assert.Equal(784, j.GetProperty("features").GetInt32());
        Assert.Equal(10, j.GetProperty("classes").GetInt32());
    }

    [Fact]
    public void CorruptModelFileIsOneLine()
    {
        var path = Path.Combine(Dir, "m.safetensors");
        using (TensorScope.Begin()) SafeTensors.Save(path, new Dictionary<string, Tensor> { ["W"] = Tensor.Ones([784, 10]) });
        var b = File.ReadAllBytes(path);
        File.WriteAllBytes(path, b[..(b.Length / 2)]);
        var (code, _, err) = Run("rbm", "eval", "--model", path, "--logz", "exact");
        AssertOneLineError(code, err, "not a valid safetensors file");
        File.WriteAllBytes(path, [1, 2, 3]);
        (code, _, err) = Run("rbm", "sample", "--model", path);
        AssertOneLineError(code, err, "truncated");
    }

    [Fact]
    public void CorruptIdxFileIsOneLine()
    {
        var path = Path.Combine(Dir, "x-images-idx3-ubyte.gz");
        Idx.WriteBytes(path, new byte[10 * 784], 10, 28, 28);
        var b = File.ReadAllBytes(path);
        File.WriteAllBytes(path, b[..(b.Length - 20)]);
        var (code, _, err) = Run("data", "info", path);
        AssertOneLineError(code, err, "not a valid IDX file");
    }

    [Fact]
    public void MissingDatasetIsOneLineWithTheFix()
    {
        Datasets.SystemFashionMnistDir = "/nonexistent-system-dir";
        try
        {
            var empty = Path.Combine(Dir, "empty");
            Directory.CreateDirectory(empty);
            var (code, _, err) = Run("data", "info", "fashion-mnist", "--data-dir", empty);
            AssertOneLineError(code, err, "apt-get install dataset-fashion-mnist");
            (code, _, err) = Run("data", "info", "fashion-mnist", "--data-dir", Path.Combine(Dir, "nothing"));
            AssertOneLineError(code, err, "--data-dir");
            Assert.Contains("does not exist", err);
        }
        finally { Datasets.SystemFashionMnistDir = Datasets.FashionMnistDir; }
    }

    [Fact]
    public void NonBinaryDataForABernoulliRbmNamesTheFlag()
    {
        var (code, _, err) = Run("rbm", "train", "--data", "mnist10k", "--hidden", "5", "--epochs", "1", "--out", Path.Combine(Dir, "r.safetensors"));
        AssertOneLineError(code, err, "--binarize");
    }

    [Fact]
    public void ShapeMismatchBetweenModelAndDataIsOneLine()
    {
        var path = Path.Combine(Dir, "small.safetensors");
        using (TensorScope.Begin()) SafeTensors.Save(path, new Dictionary<string, Tensor> { ["W"] = Tensor.Zeros([10, 3]) });
        var (code, _, err) = Run("rbm", "eval", "--model", path, "--data", "mnist10k", "--binarize", "threshold");
        AssertOneLineError(code, err, "10 visible units");
    }

    [Fact]
    public void TrainEvalSampleRoundTrip()
    {
        var model = Path.Combine(Dir, "rbm.safetensors");
        var (code, stdout, err) = Run("rbm", "train", "--data", "mnist10k", "--binarize", "threshold", "--hidden", "16", "--epochs", "2",
            "--limit", "500", "--solver", "tap2", "--out", model, "--json");
        Assert.True(code == 0, err);
        var j = LastJson(stdout);
        Assert.Equal(2, j.GetProperty("epochs").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(Dir, "rbm-report", "metrics.json")));
        Assert.True(new FileInfo(Path.Combine(Dir, "rbm-report", "filters.png")).Length > 1000);
        (code, stdout, err) = Run("rbm", "eval", "--model", model, "--data", "mnist10k", "--binarize", "threshold", "--logz", "exact", "--limit", "200", "--json");
        Assert.True(code == 0, err);
        var e = LastJson(stdout);
        Assert.Equal("exact", e.GetProperty("logz_method").GetString());
        double ll = e.GetProperty("mean_log_likelihood").GetDouble();
        Assert.InRange(ll, -400, -50);
        (code, _, err) = Run("rbm", "train", "--data", "mnist10k", "--binarize", "threshold", "--hidden", "16", "--epochs", "3",
            "--limit", "500", "--solver", "tap2", "--out", model, "--resume");
        Assert.True(code == 0, err);
        (code, _, err) = Run("rbm", "sample", "--model", model, "--n", "16", "--steps", "20", "--out", Path.Combine(Dir, "s.png"));
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(Dir, "s.png")));
    }

    [Fact]
    public void UsageErrorsExitTwo()
    {
        var (code, _, err) = Run("rbm", "train", "--hidden", "abc");
        Assert.Equal(2, code);
        Assert.Contains("abc", err);
    }
}
