// Memory safety of the engine: a kernel's inputs stay alive while it runs (no finaliser frees them), the
// backward pass frees gradients as soon as they are consumed, To() on the same device never aliases, and
// scopes disposed out of order leave no dangling current scope.
using System.Runtime.CompilerServices;
using Gibbs.Autodiff;
using Gibbs.Backends.Cpu;

namespace Gibbs.Tests.Core;

[Collection("serial")]
public class KernelLifetimeTests
{
    private static WeakReference? _input;

    // The input tensor is unreachable once its storage is handed to the kernel: only the kernel's keep-alive holds it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Tensor ExpOfATemporary(int n)
    {
        var t = Tensor.Full([n], 0.5f).Untrack();
        _input = new WeakReference(t.Storage);
        return t.UnaryRaw(Gibbs.Backends.UnaryOp.Exp).Untrack(); // the raw op: nothing after the launch refers to t
    }

    [Fact]
    public void AnInputIsNotFinalisedWhileItsKernelRuns()
    {
        // Warm up so the JIT's optimised (tier-1) code, which ends lifetimes early, is what runs: call counting starts
        // after the tiering delay and tier-1 code is compiled in the background, hence the rounds with pauses.
        for (int round = 0; round < 6; round++)
        {
            for (int i = 0; i < 100; i++) ExpOfATemporary(64).Dispose();
            Thread.Sleep(150);
        }
        bool collectedMidKernel = false;
        CpuBackend.MidKernel = () =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            if (_input is { IsAlive: false }) collectedMidKernel = true;
        };
        try
        {
            for (int i = 0; i < 20; i++)
            {
                using var y = ExpOfATemporary(4096);
                Assert.All(y.ToArray(), v => Assert.Equal(MathF.Exp(0.5f), v, 6));
            }
        }
        finally { CpuBackend.MidKernel = null; }
        Assert.False(collectedMidKernel, "a kernel's input storage was finalised while the kernel ran");
    }
}

[Collection("serial")] // counts live buffers, which other tests running in parallel would change
public class MemorySafetyTests
{
    // A tensor disposed early inside a long-lived scope must not stay referenced by the scope (it did: the scope's list
    // kept every result, so a loop of `(a + b).Dispose()` grew without bound and slowed every op through the GC).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DisposedResult(Tensor a, Tensor b)
    {
        var t = a + b;
        t.Dispose();
        return new WeakReference(t);
    }

    [Fact]
    public void ALongLivedScopeDropsTensorsDisposedEarly()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Full([16], 1f);
        var b = Tensor.Full([16], 2f);
        var first = DisposedResult(a, b);
        for (int i = 0; i < 10_000; i++) (a + b).Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(first.IsAlive, "the scope still references a tensor disposed 10,000 ops ago");
        Assert.Equal(2, scope.Count);
    }

    [Fact]
    public void BackwardFreesGradientsAsSoonAsTheyAreConsumed()
    {
        // A chain of 40 ops on 64 k-element tensors: keeping every intermediate gradient would hold ~80 buffers at the end.
        using var scope = TensorScope.Begin();
        var x = Tensor.Full([256, 256], 0.1f).RequireGrad();
        var y = x;
        for (int i = 0; i < 40; i++) y = (y * 1.01f).Tanh();
        var loss = y.Sum();
        long before = CpuStorage.LiveCount, peak = before;
        BackwardPass.AfterNode = () => peak = Math.Max(peak, CpuStorage.LiveCount);
        try { loss.Backward(); }
        finally { BackwardPass.AfterNode = null; }
        Assert.True(peak - before <= 6, $"backward held {peak - before} extra buffers at its peak");
        Assert.NotNull(x.Grad);
        Assert.Equal(before + 1, CpuStorage.LiveCount); // only x.Grad remains
    }

    [Fact]
    public void GradientsSharedBetweenInputsStaySeparate()
    {
        // Add hands the same incoming gradient to both inputs; accumulating one must not change the other.
        using var scope = TensorScope.Begin();
        var a = Tensor.FromArray([1f, 2f]).RequireGrad();
        var b = Tensor.FromArray([3f, 4f]).RequireGrad();
        var y = (a + b) * Tensor.FromArray([2f, 3f]);
        y.Sum().Backward();
        y = (a + b) * Tensor.FromArray([2f, 3f]);
        y.Sum().Backward();
        Assert.Equal([4f, 6f], a.Grad!.ToArray());
        Assert.Equal([4f, 6f], b.Grad!.ToArray());
        a.Grad!.AddInPlace(Tensor.FromArray([100f, 100f]));
        Assert.Equal([4f, 6f], b.Grad!.ToArray());
    }

    [Fact]
    public void ToTheSameDeviceDoesNotAlias()
    {
        var a = Tensor.FromArray([1f, 2f, 3f]).Untrack();
        var b = a.To(a.Device).Untrack();
        Assert.NotSame(a, b);
        b.AffineInPlace(10f);
        b.Dispose();
        Assert.Equal([1f, 2f, 3f], a.ToArray());
        a.Dispose();
    }

    [Fact]
    public void LoadStateDictLeavesNoCopyBehind()
    {
        using var layer = new Gibbs.Nn.Linear(3, 2, new Gibbs.Rng.Generator(1));
        var state = layer.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone().Untrack());
        long before = CpuStorage.LiveCount;
        for (int i = 0; i < 10; i++) layer.LoadStateDict(state);
        Assert.Equal(before, CpuStorage.LiveCount);
        foreach (var t in state.Values) t.Dispose();
    }

    [Fact]
    public void ScopesDisposedOutOfOrderLeaveNoDanglingScope()
    {
        var before = TensorScope.Current;
        var outer = TensorScope.Begin();
        var a = Tensor.Zeros([2]);
        var inner = TensorScope.Begin();
        var b = Tensor.Zeros([2]);
        outer.Dispose();                       // the inner scope is still open: it ends first
        Assert.True(inner.IsDisposed);
        Assert.True(a.IsDisposed);
        Assert.True(b.IsDisposed);
        Assert.Same(before, TensorScope.Current);
        inner.Dispose();                       // already ended: nothing happens
        Assert.Same(before, TensorScope.Current);
        using var c = Tensor.Zeros([2]).Untrack();
        Assert.Null(c.Scope);
    }

    [Fact]
    public void AnInnerScopeDisposedFirstRestoresItsParent()
    {
        using var outer = TensorScope.Begin();
        using (TensorScope.Begin()) { }
        Assert.Same(outer, TensorScope.Current);
    }
}
