// The gradient checker itself: it fails wrong gradients and wrong forwards, and the catalogue covers the core ops.
// (The catalogue runs per backend in Backends/BackendContractTests.cs.)
using Gibbs.Backends;
using Gibbs.Diagnostics;

namespace Gibbs.Tests.Core;

public class GradCheckTests
{
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
