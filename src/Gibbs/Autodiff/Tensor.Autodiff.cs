// Reverse-mode autodiff over the tape that ops record. Backward() walks the graph in reverse
// topological order, calls each node's vector-Jacobian product, and accumulates leaf gradients
// into Tensor.Grad (which survives scopes: the leaf owns it). The sweep itself is Autodiff/BackwardPass.cs.
using Gibbs.Autodiff;
using Gibbs.Internals;

namespace Gibbs;

public sealed partial class Tensor
{
    private bool _requiresGrad;

    internal GradNode? Node;

    /// <summary>Accumulated dL/d(this) for a leaf that requires grad; null until Backward reaches it.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>Whether gradients flow to this tensor. Set it on leaves (parameters); results of ops inherit it.</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (Node is not null && !value) Throw.Argument("cannot clear RequiresGrad on a non-leaf tensor; use Detach()");
            _requiresGrad = value;
        }
    }

    /// <summary>True when this tensor was not produced by a recorded op.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (fluent).</summary>
    public Tensor RequireGrad(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    /// <summary>A scope in which ops record nothing (inference, optimiser updates); same as <see cref="Autograd.NoGrad"/>.</summary>
    public static IDisposable NoGrad() => GradMode.Disable();

    /// <summary>A view of the same storage with no tape (gradients stop here).</summary>
    public Tensor Detach()
    {
        Storage.AddRef();
        return new Tensor(Storage, _shape);
    }

    /// <summary>Another untracked Tensor object over the same storage and shape, without tape (the caller owns it).</summary>
    internal Tensor Alias()
    {
        Storage.AddRef();
        return new Tensor(Storage, _shape, track: false);
    }

    /// <summary>Clears the accumulated gradient.</summary>
    public void ZeroGrad()
    {
        Grad?.Dispose();
        Grad = null;
    }

    /// <summary>True when an op on <paramref name="x"/> must be recorded (grad mode on and x requires grad).</summary>
    internal static bool Taping(Tensor x) => x._requiresGrad && GradMode.IsEnabled;

    /// <summary>True when an op on a and b must be recorded.</summary>
    internal static bool Taping(Tensor a, Tensor b) => (a._requiresGrad || b._requiresGrad) && GradMode.IsEnabled;

    /// <summary>Records y = op(inputs) on the tape when grad mode is on and any input requires grad.</summary>
    internal static Tensor Record(Tensor y, string op, Tensor[] inputs, Vjp backward)
    {
        if (!GradMode.IsEnabled) return y;
        foreach (var x in inputs)
        {
            if (!x._requiresGrad) continue;
            y._requiresGrad = true;
            y.Node = new GradNode(op, inputs, backward, y);
            return y;
        }
        return y;
    }

    /// <summary>Records with a rule that needs only dL/dy (the form most ops use; the closure is built by the caller).</summary>
    internal static Tensor Record(Tensor y, string op, Tensor[] inputs, Func<Tensor, Tensor?[]> backward) =>
        Record(y, op, inputs, (g, _, _) => backward(g));

    /// <summary>
    /// Back-propagates from this tensor. A scalar needs no seed (dL/dL = 1); otherwise pass dL/d(this).
    /// Leaf gradients accumulate (call ZeroGrad or an optimiser's ZeroGrad between steps). Intermediate gradients
    /// are freed as soon as they are consumed. To get gradients without touching any <see cref="Grad"/>, use
    /// <see cref="Autograd.Grad"/>.
    /// </summary>
    public void Backward(Tensor? seed = null)
    {
        BackwardPass.CheckRoot(this, seed, "Backward()");
        BackwardPass.Run(this, seed, null, createGraph: false, null);
    }

    /// <summary>True when a backward rule running now should produce this input's gradient (pruned by Autograd.Grad).</summary>
    internal bool NeedsGrad => BackwardPass.Needs(this);
}
