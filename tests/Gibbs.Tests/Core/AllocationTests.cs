// Managed allocation per small op in steady state (issue 9): a functional op allocates only its result (the
// Tensor and its Storage object); in-place ops and ops that are not recorded build no closures, delegates,
// input arrays, shape or stride arrays. Counted with GC.GetAllocatedBytesForCurrentThread (exact, not timed).
namespace Gibbs.Tests.Core;

public class AllocationTests
{
    private static double BytesPerOp(Action op)
    {
        for (int i = 0; i < 20_000; i++) op(); // past tiered compilation's first tiers
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) op();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 10_000.0;
    }

    [Fact]
    public void SmallOpsAllocateOnlyTheirResult()
    {
        using var keep = TensorScope.Begin();
        var a = Tensor.Full([16], 0.5f);
        var b = Tensor.Full([16], 0.25f);
        var row = Tensor.Full([4], 1f);
        var m = Tensor.Full([4, 4], 1f);
        var w = Tensor.Full([16], 0.1f).RequireGrad();
        double Functional(Func<Tensor> f) => BytesPerOp(() => f().Dispose());
        Assert.InRange(Functional(() => a + b), 0, 160);
        Assert.InRange(Functional(() => a.Exp()), 0, 160);
        Assert.InRange(Functional(() => m + row), 0, 160);
        Assert.InRange(Functional(() => a * 2f), 0, 160);
        using (Autograd.NoGrad()) Assert.InRange(Functional(() => a * w), 0, 160);
        Assert.InRange(BytesPerOp(() => a.AddInPlace(b)), 0, 1);
        Assert.InRange(BytesPerOp(() => a.MulInPlace(b)), 0, 1);
    }
}
