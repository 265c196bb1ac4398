// The README never lies (Sep's ReadMeTest): its C# sample is asserted to be the code this test runs.
using Gibbs.Data;
using Gibbs.Models.Rbm;
using Gibbs.Rng;

namespace Gibbs.Tests;

[Collection("serial")]
public class ReadmeTests
{
    private const string Sample = """
        var train = Datasets.Load("mnist10k", DatasetSplit.Train);
        var x = Binarize.Threshold(train.X);
        using var rbm = new BernoulliRbm(nVisible: 784, nHidden: 64);
        rbm.InitializeWeights(new Generator(42));
        using var trainer = new RbmTrainer(rbm, new RbmTrainingOptions { Solver = RbmSolver.Tap2, Epochs = 2, LearningRate = 0.01f }, x);
        foreach (var epoch in trainer.Fit())
            Console.WriteLine($"epoch {epoch.Epoch}: pseudo-log-likelihood {epoch.PseudoLikelihood:F2}");
        RbmFile.Save(rbm, "rbm.safetensors");
        """;

    [Fact]
    public void ReadmeSampleIsTheCodeThisTestRuns()
    {
        var readme = File.ReadAllText(Path.Combine(IO.SafeTensorsTests.RepoRoot(), "README.md"));
        Assert.Contains(Sample.Replace("\r", ""), readme.Replace("\r", ""));
    }

    [Fact]
    public void ReadmeSampleRuns()
    {
        var dir = Directory.CreateTempSubdirectory("gibbs-readme-").FullName;
        var cwd = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(dir);
            var train = Datasets.Load("mnist10k", DatasetSplit.Train);
            var x = Binarize.Threshold(train.X);
            using var rbm = new BernoulliRbm(nVisible: 784, nHidden: 64);
            rbm.InitializeWeights(new Generator(42));
            using var trainer = new RbmTrainer(rbm, new RbmTrainingOptions { Solver = RbmSolver.Tap2, Epochs = 2, LearningRate = 0.01f }, x);
            var epochs = trainer.Fit();
            Assert.Equal(2, epochs.Count);
            Assert.All(epochs, e => Assert.True(double.IsFinite(e.PseudoLikelihood)));
            RbmFile.Save(rbm, "rbm.safetensors");
            Assert.True(File.Exists(Path.Combine(dir, "rbm.safetensors")));
        }
        finally
        {
            Directory.SetCurrentDirectory(cwd);
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void EngineSampleRuns()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.Randn([784, 10], new Generator(1)).RequireGrad();
        var logits = Tensor.MatMul(Tensor.Rand([32, 784], new Generator(2)), w);
        var loss = Tensor.CrossEntropy(logits, Tensor.FromArray(new float[32]));
        loss.Backward();
        Assert.Equal([784, 10], w.Grad!.Shape.ToArray());
    }
}
