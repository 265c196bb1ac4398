// Every op in the catalog: float32 forward vs float64 reference, autodiff vs central differences.
using Gibbs.Backends;
using Gibbs.Diagnostics;

namespace Gibbs.Tests.Core;

public class GradCheckTests
{
    public static TheoryData<string> Cases()
    {
        var d = new TheoryData<string>();
        foreach (var c in OpCatalog.All) d.Add(c.Name);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OpMatchesReferenceAndFiniteDifferences(string name)
    {
        var c = OpCatalog.All.Single(x => x.Name == name);
        var r = GradCheck.Check(c, Device.Cpu);
        Assert.True(r.Passed, $"{r.Name}: {r.Detail} (forward {r.ForwardError:G3}, gradient {r.GradientError:G3})");
    }

    [Fact]
    public void CatalogCoversTheCoreOps()
    {
        var names = OpCatalog.All.Select(c => c.Name).ToHashSet();
        foreach (var op in new[] { "exp", "log", "tanh", "sigmoid", "softplus", "logsigmoid", "matmul", "matmul_tA_tB", "logsumexp_axis1", "maxout", "concat", "slice", "bce_with_logits" })
            Assert.Contains(op, names);
    }

    [Fact]
    public void CheckerCatchesAWrongGradient()
    {
        // d/dx of x·x computed as if it were x (wrong by a factor 2x): the checker must fail it.
        var wrong = new OpCase("wrong", [[3, 4]], [InputDomain.Positive],
            x => x[0] * x[0].Detach(), x => x[0].Select(v => v * v).ToArray());
        var r = GradCheck.Check(wrong, Device.Cpu);
        Assert.False(r.Passed);
        Assert.True(r.GradientError > 0.1);
    }

    [Fact]
    public void CheckerCatchesAWrongForward()
    {
        var wrong = new OpCase("wrong_fwd", [[3, 4]], [InputDomain.Any], x => x[0].Tanh(), x => x[0].Select(v => Math.Tanh(v) * 1.001).ToArray());
        Assert.False(GradCheck.Check(wrong, Device.Cpu).Passed);
    }
}
