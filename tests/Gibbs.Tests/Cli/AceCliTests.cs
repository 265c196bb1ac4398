// `gibbs classify` and `gibbs ace` end to end on a slice of mnist10k: train (checkpoint, model, report), eval agrees
// with training's test error, --resume is bit-identical to an uninterrupted run, and bad input is one line.
namespace Gibbs.Tests.Cli;

[Collection("serial")]
public class AceCliTests : CliTestBase
{
    private string[] Train(string verb, string model, int epochs, params string[] extra) =>
        [verb, "train", "--data", "mnist10k", "--limit", "1000", "--arch", "784-24-24-10", "--batch", "100", "--lr", "0.01", "--epochs", epochs.ToString(), "--out", model, .. extra];

    [Theory]
    [InlineData("classify")]
    [InlineData("ace")]
    public void TrainEvalAndResume(string verb)
    {
        var model = P($"{verb}.safetensors");
        var (code, stdout, err) = Run([.. Train(verb, model, 2, "--json")]);
        Assert.True(code == 0, err);
        var train = LastJson(stdout);
        Assert.Equal(2, train.GetProperty("epochs").GetArrayLength());
        double dual = train.GetProperty("epochs")[1].GetProperty("dual_reconstruction").GetDouble();
        if (verb == "ace") Assert.True(dual > 0); else Assert.Equal(0, dual);
        Assert.True(File.Exists(Path.Combine(P($"{verb}-report"), "curves.png")));
        (code, stdout, err) = Run(verb, "eval", "--model", model, "--json");
        Assert.True(code == 0, err);
        var eval = LastJson(stdout);
        Assert.Equal(train.GetProperty("test_error").GetDouble(), eval.GetProperty("error").GetDouble());
        Assert.InRange(eval.GetProperty("error").GetDouble(), 0, 0.5); // 20 steps on 1000 digits (spread over the classes): far better than chance

        var resumed = P($"{verb}-r.safetensors");
        Assert.Equal(0, Run([.. Train(verb, resumed, 1)]).Code);
        (code, _, err) = Run([.. Train(verb, resumed, 2, "--resume")]);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllBytes(model + ".ckpt").Length, File.ReadAllBytes(resumed + ".ckpt").Length);
        var (a, _) = Gibbs.Models.Ace.AceFile.Load(model);
        var (b, _) = Gibbs.Models.Ace.AceFile.Load(resumed);
        using (a) using (b)
            foreach (var (pa, pb) in a.Parameters().Zip(b.Parameters())) Assert.Equal(pa.ToArray(), pb.ToArray());
    }

    [Fact]
    public void BadInputIsOneLine()
    {
        var (code, _, err) = Run([.. Train("ace", P("g.safetensors"), 1, "--mode", "gen")]);
        AssertOneLineError(code, err, "not built yet");
        (code, _, err) = Run("classify", "train", "--arch", "100-20-10", "--epochs", "1", "--out", P("w.safetensors"));
        AssertOneLineError(code, err, "make the first size 784");
        (code, _, err) = Run("classify", "train", "--arch", "784-10", "--out", P("w.safetensors"));
        AssertOneLineError(code, err, "at least one hidden layer");
        (code, _, err) = Run([.. Train("classify", P("r.safetensors"), 1, "--resume")]);
        AssertOneLineError(code, err, "no checkpoint");
        (code, _, err) = Run("classify", "eval", "--model", P("missing.safetensors"));
        AssertOneLineError(code, err, "does not exist");
        Assert.Equal(0, Run([.. Train("classify", P("c.safetensors"), 1)]).Code);
        (code, _, err) = Run([.. Train("classify", P("c.safetensors"), 2, "--resume", "--decay-epochs", "50")]);
        AssertOneLineError(code, err, "decay-epochs 500");
    }

    // `gibbs entropy` on the digits 8 (Fig. 3) and on a classifier layer; a layer that does not exist and a selection
    // with fewer rows than dimensions are one line each.
    [Fact]
    public void EntropyOfDataAndOfALayer()
    {
        var (code, stdout, err) = Run("entropy", "--split", "train", "--class", "8", "--out", P("e8"), "--json");
        Assert.True(code == 0, err);
        var j = LastJson(stdout);
        Assert.Equal(30, j.GetProperty("most_intricate_rows").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(P("e8"), "intricates.png")) && File.Exists(Path.Combine(P("e8"), "qq.png")));
        var model = P("m.safetensors");
        Assert.Equal(0, Run([.. Train("classify", model, 1)]).Code);
        (code, stdout, err) = Run("entropy", "--model", model, "--layer", "hidden1", "--out", P("eh"), "--json");
        Assert.True(code == 0, err);
        Assert.Equal(24, LastJson(stdout).GetProperty("dims").GetInt32());
        (code, _, err) = Run("entropy", "--model", model, "--layer", "hidden7", "--out", P("eh"));
        AssertOneLineError(code, err, "input, hidden0, hidden1, logits");
        (code, _, err) = Run("entropy", "--class", "3", "--limit", "50", "--out", P("e3"));
        AssertOneLineError(code, err, "more rows than dimensions");
    }
}
