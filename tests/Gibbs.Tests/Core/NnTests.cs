// Layers: batch-norm kinds, dropout, state round trips and errors.
using Gibbs.Nn;
using Gibbs.Rng;

namespace Gibbs.Tests.Core;

public class NnTests
{
    [Fact]
    public void SecondMomentBatchNormIsIdenticalInTrainAndEval()
    {
        using var scope = TensorScope.Begin();
        using var bn = new BatchNorm(3, BatchNormKind.SecondMoment);
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 6f, 8f, 7f, 1f, 0f, 2f, 2f, 2f], [4, 3]);
        var train = bn.Forward(x).ToArray();
        bn.Eval();
        Assert.Equal(train, bn.Forward(x).ToArray());
        Assert.Empty(bn.StateDict());
        // Columns have zero mean and unit second moment.
        var y = bn.Forward(x);
        Assert.All(y.Mean(0).ToArray(), v => Assert.InRange(v, -1e-6f, 1e-6f));
        Assert.All(y.Square().Mean(0).ToArray(), v => Assert.InRange(v, 0.999f, 1.0f));
    }

    [Fact]
    public void StandardBatchNormTracksRunningStatistics()
    {
        using var scope = TensorScope.Begin();
        using var bn = new BatchNorm(1, BatchNormKind.Standard, momentum: 0.5f);
        bn.Forward(Tensor.FromArray([1f, 3f], [2, 1])); // mean 2, unbiased var 2
        var s = bn.StateDict();
        Assert.Equal(1f, s["running_mean"].Item(), 6);  // 0.5·0 + 0.5·2
        Assert.Equal(1.5f, s["running_var"].Item(), 6); // 0.5·1 + 0.5·2
        bn.Eval();
        Assert.Equal((5f - 1f) / MathF.Sqrt(1.5f + 1e-5f), bn.Forward(Tensor.FromArray([5f], [1, 1])).Item(), 5);
    }

    [Fact]
    public void DropoutKeepsTheMeanAndIsOffInEval()
    {
        using var scope = TensorScope.Begin();
        var d = new Dropout(0.5f, new Generator(1));
        var x = Tensor.Ones([100000]).Reshape(1000, 100);
        var y = d.Forward(x).ToArray();
        Assert.All(y, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(y.Average(), 0.98, 1.02);
        d.Eval();
        Assert.Equal(x.ToArray(), d.Forward(x).ToArray());
    }

    [Fact]
    public void GeorgievInitScalesByRootSizes()
    {
        using var scope = TensorScope.Begin();
        var w = Init.Weight(400, 100, InitKind.Georgiev, new Generator(2)).ToArray();
        double std = Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.97 / 30, 1.03 / 30); // 1/(√400 + √100) = 1/30
    }

    [Fact]
    public void LoadStateDictChecksNamesAndShapes()
    {
        var gen = new Generator(3);
        using var a = new Sequential(new Linear(4, 3, gen), new Activation(ActivationKind.Tanh), new Linear(3, 2, gen));
        using var b = new Sequential(new Linear(4, 3, gen), new Activation(ActivationKind.Tanh), new Linear(3, 2, gen));
        b.LoadStateDict(a.StateDict());
        Assert.Equal(a.Parameters()[0].ToArray(), b.Parameters()[0].ToArray());
        Assert.Equal(["0.W", "0.b", "2.W", "2.b"], a.StateDict().Keys.Order().ToArray());
        using var c = new Sequential(new Linear(4, 5, gen));
        var e = Assert.Throws<GibbsException>(() => c.LoadStateDict(a.StateDict()));
        Assert.Contains("shape", e.Message);
    }

    [Fact]
    public void LinearRejectsWrongInputWidth()
    {
        using var scope = TensorScope.Begin();
        using var l = new Linear(4, 2, new Generator(1));
        var e = Assert.Throws<ShapeException>(() => l.Forward(Tensor.Zeros([3, 5])));
        Assert.Contains("expects [N×4]", e.Message);
    }
}
