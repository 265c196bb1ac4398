// RBM model files and checkpoints: round trips, foreign files, exact resume.
using Gibbs.IO;
using Gibbs.Models.Rbm;
using Gibbs.Rng;

namespace Gibbs.Tests.Rbm;

public class RbmFileTests : TempDirTest
{
    [Fact]
    public void BernoulliAndGaussianModelsRoundTrip()
    {
        using var b = RbmTestUtil.RandomBernoulli(7, 3, 0.5f, 1);
        RbmFile.Save(b, Path.Combine(Dir, "b.safetensors"));
        using var b2 = RbmFile.Load(Path.Combine(Dir, "b.safetensors"));
        Assert.IsType<BernoulliRbm>(b2);
        Assert.Equal(b.W.ToArray(), b2.W.ToArray());
        Assert.Equal(b.HiddenBias.ToArray(), b2.HiddenBias.ToArray());

        using var g = new GaussianBernoulliRbm(4, 2, sigma: 0.5f, learnSigma: true);
        g.InitializeWeights(new Generator(2), 0.3f);
        RbmFile.Save(g, Path.Combine(Dir, "g.safetensors"));
        using var f = SafeTensors.Load(Path.Combine(Dir, "g.safetensors"));
        Assert.All(f["sigma"].ToArray(), s => Assert.Equal(0.5f, s, 6));
        Assert.Equal("gaussian", f.Meta("visible"));
        using var g2 = (GaussianBernoulliRbm)RbmFile.Load(Path.Combine(Dir, "g.safetensors"));
        Assert.True(g2.LearnSigma);
        Assert.Equal(g.LogVariance.ToArray()[0], g2.LogVariance.ToArray()[0], 6);
    }

    [Fact]
    public void AForeignFileWithOnlyTensorsLoads()
    {
        using (TensorScope.Begin())
            SafeTensors.Save(Path.Combine(Dir, "f.safetensors"), new Dictionary<string, Tensor> { ["W"] = Tensor.Ones([3, 2]), ["b_h"] = Tensor.FromArray([1f, 2f]) });
        using var rbm = RbmFile.Load(Path.Combine(Dir, "f.safetensors"));
        Assert.Equal((3, 2), (rbm.NVisible, rbm.NHidden));
        Assert.Equal([0f, 0f, 0f], rbm.VisibleBias.ToArray());
        using (TensorScope.Begin())
            SafeTensors.Save(Path.Combine(Dir, "x.safetensors"), new Dictionary<string, Tensor> { ["weights"] = Tensor.Ones([3, 2]) });
        Assert.Contains("no tensor 'W'", Assert.Throws<GibbsFormatException>(() => RbmFile.Load(Path.Combine(Dir, "x.safetensors"))).Message);
    }

    [Theory]
    [InlineData(RbmSolver.Pcd)]
    [InlineData(RbmSolver.Tap2)]
    public void ResumingFromACheckpointEqualsAnUninterruptedRun(RbmSolver solver)
    {
        var data = new float[300 * 12];
        var r = new System.Random(4);
        for (int i = 0; i < data.Length; i++) data[i] = r.Next(2);
        var options = new RbmTrainingOptions { Solver = solver, Epochs = 4, BatchSize = 30, Momentum = 0.5f, LearningRate = 0.05f, Seed = 9 };
        BernoulliRbm Fresh() { var m = new BernoulliRbm(12, 5); m.InitializeWeights(new Generator(3)); return m; }

        using var straight = Fresh();
        using (var t = new RbmTrainer(straight, options, data)) t.Fit();

        var ckpt = Path.Combine(Dir, "ckpt.safetensors");
        using (var first = Fresh())
        using (var t = new RbmTrainer(first, options with { Epochs = 2 }, data))
        {
            t.Fit();
            using var state = t.CaptureState();
            state.Save(ckpt);
        }
        using var file = Gibbs.Training.TrainingState.Load(ckpt);
        using var resumed = new BernoulliRbm(12, 5);
        using (var t = new RbmTrainer(resumed, options, data))
        {
            t.RestoreState(file);
            Assert.Equal(2, t.Epoch);
            t.Fit();
        }
        Assert.Equal(straight.W.ToArray(), resumed.W.ToArray());
        Assert.Equal(straight.VisibleBias.ToArray(), resumed.VisibleBias.ToArray());
    }
}
