// Reverse-mode autodiff over the tape that ops record. Backward() walks the graph in reverse
// topological order, calls each node's vector-Jacobian product, and accumulates leaf gradients
// into Tensor.Grad (which survives scopes: the leaf owns it).
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

    /// <summary>A scope in which ops record nothing (inference, optimiser updates).</summary>
    public static IDisposable NoGrad() => GradMode.Disable();

    /// <summary>A view of the same storage with no tape (gradients stop here).</summary>
    public Tensor Detach()
    {
        Storage.AddRef();
        return new Tensor(Storage, (int[])_shape.Clone());
    }

    /// <summary>Clears the accumulated gradient.</summary>
    public void ZeroGrad()
    {
        Grad?.Dispose();
        Grad = null;
    }

    /// <summary>Records y = op(inputs) on the tape when grad mode is on and any input requires grad.</summary>
    internal static Tensor Record(Tensor y, string op, Tensor[] inputs, Vjp backward)
    {
        if (!GradMode.IsEnabled) return y;
        foreach (var x in inputs)
        {
            if (!x._requiresGrad) continue;
            y._requiresGrad = true;
            y.Node = new GradNode(op, inputs, backward);
            return y;
        }
        return y;
    }

    /// <summary>
    /// Back-propagates from this tensor. A scalar needs no seed (dL/dL = 1); otherwise pass dL/d(this).
    /// Leaf gradients accumulate (call ZeroGrad or an optimiser's ZeroGrad between steps).
    /// </summary>
    public void Backward(Tensor? seed = null)
    {
        if (!_requiresGrad) Throw.Gibbs("Backward() on a tensor that does not require grad: set RequiresGrad on the parameters first");
        if (seed is null && Length != 1) Throw.Shape($"Backward() without a seed needs a one-element tensor, got {Format(_shape)}");
        if (seed is not null && !seed.Shape.SequenceEqual(Shape)) Throw.Shape($"seed shape {Format(seed.Shape)} does not match {Format(_shape)}");

        var order = TopologicalOrder(this);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        using var scope = TensorScope.Begin();
        using var _ = NoGrad();
        grads[this] = seed ?? OnesLike(this);
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (!grads.Remove(t, out var g)) continue;
            if (t.Node is null)
            {
                AccumulateLeaf(t, g);
                continue;
            }
            var inGrads = t.Node.Backward(g);
            for (int j = 0; j < t.Node.Inputs.Length; j++)
            {
                var x = t.Node.Inputs[j];
                var gx = inGrads[j];
                if (gx is null || !x._requiresGrad) continue;
                if (!gx.Shape.SequenceEqual(x.Shape)) Throw.Shape($"internal: gradient of '{t.Node.Op}' input {j} has shape {Format(gx.Shape)}, input is {Format(x.Shape)}");
                grads[x] = grads.TryGetValue(x, out var acc) ? acc + gx : gx;
            }
        }
    }

    private static void AccumulateLeaf(Tensor leaf, Tensor g)
    {
        if (leaf.Grad is null)
        {
            var copy = g.Clone();
            copy.Scope?.Untrack(copy);
            leaf.Grad = copy;
        }
        else
        {
            leaf.Grad.AddInPlace(g);
        }
    }

    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor T, int Next)>();
        stack.Push((root, 0));
        seen.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var x = inputs[next];
                if (x._requiresGrad && seen.Add(x)) stack.Push((x, 0));
            }
            else order.Add(t);
        }
        return order;
    }
}
