// Same seed, same result: training runs are bit-identical with 1, 2 and 3 worker threads, with the
// GEMM provider this machine uses (OpenBLAS when installed) and with the managed kernel.
using Gibbs.Backends.Cpu.Gemm;
using Gibbs.Diagnostics;
using Gibbs.Models.Rbm;
using Gibbs.Rng;

namespace Gibbs.Tests.Core;

[Collection("serial")]
public class ReproducibilityTests
{
    private static T WithThreads<T>(int threads, Func<T> f)
    {
        int saved = Engine.Threads;
        Engine.Threads = threads;
        try { return f(); }
        finally { Engine.Threads = saved; }
    }

    private static T WithGemm<T>(IGemm g, Func<T> f)
    {
        var saved = GemmProvider.Current;
        GemmProvider.Current = g;
        try { return f(); }
        finally { GemmProvider.Current = saved; }
    }

    [Theory]
    [InlineData("default")]
    [InlineData("managed")]
    public void MlpTrainingIsBitIdenticalAcrossThreadCounts(string gemm)
    {
        var g = gemm == "default" ? GemmProvider.Create(null) : GemmProvider.Create(gemm);
        var one = WithGemm(g, () => WithThreads(1, () => SelfTest.TinyTrainingRun(Backends.Device.Cpu)));
        var two = WithGemm(g, () => WithThreads(2, () => SelfTest.TinyTrainingRun(Backends.Device.Cpu)));
        var three = WithGemm(g, () => WithThreads(3, () => SelfTest.TinyTrainingRun(Backends.Device.Cpu)));
        Assert.Equal(one, two);
        Assert.Equal(one, three);
        Assert.NotEqual(one, WithGemm(g, () => SelfTest.TinyTrainingRun(Backends.Device.Cpu, seed: 12)));
    }

    [Fact]
    public void RbmTrainingIsBitIdenticalAcrossThreadCounts()
    {
        var data = Gibbs.Data.Binarize.Threshold(Gibbs.Data.Datasets.Mnist10k().Take(600).X);
        float[] Run() 
        {
            using var rbm = new BernoulliRbm(784, 300);
            rbm.InitializeWeights(new Generator(1));
            using var t = new RbmTrainer(rbm, new RbmTrainingOptions { Solver = RbmSolver.Tap2, Epochs = 1, BatchSize = 100, LearningRate = 0.01f }, data);
            t.Fit();
            return rbm.W.ToArray();
        }
        Assert.Equal(WithThreads(1, Run), WithThreads(2, Run));
    }
}

[CollectionDefinition("serial", DisableParallelization = true)]
public class SerialCollection;
