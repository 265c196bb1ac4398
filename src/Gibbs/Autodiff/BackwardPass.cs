// The reverse sweep behind Tensor.Backward() and Autograd.Grad(): reverse topological order over the tape,
// one vector-Jacobian product per node. Gradients are owned by the sweep and freed as soon as they are
// consumed (each node's backward temporaries at the end of that node), so peak memory is the live frontier
// of the graph, not the whole backward pass — what a GPU needs.
using Gibbs.Internals;

namespace Gibbs.Autodiff;

internal static class BackwardPass
{
    // While Grad() runs: the tensors on paths to its targets. Null: every tensor that requires grad is needed.
    [ThreadStatic] private static HashSet<Tensor>? _needed;

    /// <summary>Whether a backward rule should produce the gradient of input <paramref name="t"/>.</summary>
    public static bool Needs(Tensor t) => _needed is null ? t.RequiresGrad : _needed.Contains(t);

    /// <summary>Test hook: called after each node's gradients are consumed (peak-memory tests).</summary>
    internal static Action? AfterNode;

    public static void CheckRoot(Tensor y, Tensor? seed, string what)
    {
        if (!y.RequiresGrad) Throw.Gibbs($"{what}: the output does not require grad (no input of it requires grad, or it was computed under NoGrad): set RequiresGrad on the parameters or inputs first");
        if (seed is null && y.Length != 1) Throw.Shape($"{what} without a seed needs a one-element output, got {Tensor.Format(y.Shape)}");
        if (seed is not null && !seed.Shape.SequenceEqual(y.Shape)) Throw.Shape($"{what}: seed shape {Tensor.Format(seed.Shape)} does not match {Tensor.Format(y.Shape)}");
    }

    /// <summary>
    /// Runs the sweep from <paramref name="root"/>. With <paramref name="targets"/> null, leaf gradients accumulate into
    /// <see cref="Tensor.Grad"/> (Backward); otherwise only paths to the targets run and <paramref name="onTarget"/> receives
    /// each target's gradient (borrowed: copy what you keep).
    /// </summary>
    public static void Run(Tensor root, Tensor? seed, IEnumerable<Tensor>? targets, bool createGraph, Action<Tensor, Tensor>? onTarget)
    {
        var order = TopologicalOrder(root);
        HashSet<Tensor>? targetSet = null, needed = null;
        if (targets is not null)
        {
            targetSet = new HashSet<Tensor>(targets, ReferenceEqualityComparer.Instance);
            needed = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            foreach (var t in order) // inputs come before the results that use them
                if (targetSet.Contains(t) || (t.Node is { } n && n.Inputs.Any(needed.Contains))) needed.Add(t);
            if (!needed.Contains(root)) return;
        }
        var saved = _needed;
        _needed = needed;
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        try
        {
            using var mode = createGraph ? GradMode.Enable() : GradMode.Disable();
            grads[root] = seed is not null ? (createGraph ? seed : seed.Alias()) : OnesLike(root, createGraph);
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                if (!grads.Remove(t, out var g)) continue;
                if (targetSet is not null && targetSet.Contains(t)) onTarget!(t, g);
                if (t.Node is null)
                {
                    if (targetSet is null) AccumulateLeaf(t, g);
                    else if (!createGraph) g.Dispose();
                    continue;
                }
                if (createGraph) PropagateRecorded(t, g, grads);
                else Propagate(t, g, grads);
                AfterNode?.Invoke();
            }
        }
        finally
        {
            _needed = saved;
            if (!createGraph) foreach (var g in grads.Values) g.Dispose();
        }
    }

    private static Tensor OnesLike(Tensor t, bool tracked)
    {
        var ones = Tensor.OnesLike(t);
        return tracked ? ones : ones.Untrack();
    }

    // One node, tape off: its backward temporaries die with the node's scope; the input gradients it returns are
    // claimed (owned by the sweep, one Tensor object each) and the incoming gradient is freed.
    private static void Propagate(Tensor t, Tensor g, Dictionary<Tensor, Tensor> grads)
    {
        var node = t.Node!;
        Tensor?[] inGrads;
        using (var scope = TensorScope.Begin())
        {
            inGrads = node.Backward(g);
            for (int j = 0; j < node.Inputs.Length; j++)
            {
                var gx = inGrads[j];
                if (gx is null || !Needs(node.Inputs[j])) { inGrads[j] = null; continue; }
                CheckShape(node, j, gx);
                if (gx.Scope == scope) gx.Untrack();
                else inGrads[j] = gx.Alias(); // g itself, a forward tensor, or a result already claimed for another input
            }
        }
        g.Dispose();
        for (int j = 0; j < node.Inputs.Length; j++)
        {
            if (inGrads[j] is not { } gx) continue;
            var x = node.Inputs[j];
            if (!grads.TryGetValue(x, out var acc)) { grads[x] = gx; continue; }
            grads[x] = Sum(acc, gx);
        }
    }

    // createGraph: the backward rules record on the tape, so their results (and intermediates) stay alive in the caller's scope.
    private static void PropagateRecorded(Tensor t, Tensor g, Dictionary<Tensor, Tensor> grads)
    {
        var node = t.Node!;
        var inGrads = node.Backward(g);
        for (int j = 0; j < node.Inputs.Length; j++)
        {
            var gx = inGrads[j];
            if (gx is null || !Needs(node.Inputs[j])) continue;
            CheckShape(node, j, gx);
            var x = node.Inputs[j];
            grads[x] = grads.TryGetValue(x, out var acc) ? acc + gx : gx;
        }
    }

    private static void CheckShape(GradNode node, int j, Tensor gx)
    {
        if (!gx.Shape.SequenceEqual(node.Inputs[j].Shape))
            Throw.Shape($"internal: gradient of '{node.Op}' input {j} has shape {Tensor.Format(gx.Shape)}, input is {Tensor.Format(node.Inputs[j].Shape)}");
    }

    /// <summary>acc + gx, both owned; in place when acc's storage is ours alone.</summary>
    private static Tensor Sum(Tensor acc, Tensor gx)
    {
        if (acc.Storage.RefCount == 1)
        {
            acc.AddInPlace(gx);
            gx.Dispose();
            return acc;
        }
        var sum = Tensor.Add(acc, gx).Untrack();
        acc.Dispose();
        gx.Dispose();
        return sum;
    }

    // Takes ownership of g: it becomes the leaf's gradient unless its storage is shared with another live gradient.
    private static void AccumulateLeaf(Tensor leaf, Tensor g)
    {
        if (leaf.Grad is not null)
        {
            leaf.Grad.AddInPlace(g);
            g.Dispose();
            return;
        }
        if (g.Storage.RefCount == 1) { leaf.Grad = g; return; }
        leaf.Grad = g.Clone().Untrack();
        g.Dispose();
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
                if (x.RequiresGrad && seen.Add(x)) stack.Push((x, 0));
            }
            else order.Add(t);
        }
        return order;
    }
}
