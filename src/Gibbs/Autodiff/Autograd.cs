// The public face of the autodiff engine beyond Tensor.Backward(): gradients of a scalar with respect to
// chosen tensors only (∇ₓE for Langevin negative phases, input saliency, gradient penalties), and the
// grad-mode scopes. Grad() prunes the tape to the paths that reach `wrt`, so parameters' weight-gradient
// GEMMs are never run and no `.Grad` is touched.
using Gibbs.Autodiff;
using Gibbs.Internals;

namespace Gibbs;

public static class Autograd
{
    /// <summary>A scope in which ops record no tape (inference, optimiser updates, sampling).</summary>
    public static IDisposable NoGrad() => GradMode.Disable();

    /// <summary>A scope in which ops record again, even inside a <see cref="NoGrad"/> region.</summary>
    public static IDisposable EnableGrad() => GradMode.Enable();

    /// <summary>True when ops on this thread record their backward functions.</summary>
    public static bool IsEnabled => GradMode.IsEnabled;

    /// <summary>
    /// dy/d(wrt[i]) for a one-element <paramref name="y"/> (or, with <paramref name="seed"/>, the vector-Jacobian
    /// product seedᵀ·∂y/∂wrt[i]). Returns new tensors shaped like each wrt[i], tracked by the current scope; no
    /// tensor's <see cref="Tensor.Grad"/> changes. Only the ops on paths from a wrt tensor to y run their backward
    /// rule, and only for the inputs on such paths.
    /// </summary>
    /// <param name="y">The output (a scalar unless a seed is given).</param>
    /// <param name="wrt">Tensors y depends on (leaves that require grad, or intermediate results).</param>
    /// <param name="seed">dL/dy for a non-scalar y; shape of y.</param>
    /// <param name="createGraph">Record the backward computation itself, so the results are differentiable
    /// (e.g. a gradient penalty ‖∇ₓE‖² trained through θ). The backward intermediates then live in the current
    /// scope instead of being freed as soon as they are consumed.</param>
    /// <param name="allowUnused">Return zeros for a wrt tensor y does not depend on (otherwise that is an error).</param>
    public static Tensor[] Grad(Tensor y, IReadOnlyList<Tensor> wrt, Tensor? seed = null, bool createGraph = false, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(wrt);
        BackwardPass.CheckRoot(y, seed, "Autograd.Grad");
        var index = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < wrt.Count; i++)
        {
            if (!wrt[i].RequiresGrad) Throw.Gibbs($"Autograd.Grad: wrt[{i}] {Tensor.Format(wrt[i].Shape)} does not require grad; call RequireGrad() on it before computing y");
            index.TryAdd(wrt[i], i);
        }
        var results = new Tensor?[wrt.Count];
        BackwardPass.Run(y, seed, index.Keys, createGraph, (t, g) =>
        {
            // The sweep lends g; each place t is listed gets its own tensor (with createGraph, one that keeps the tape).
            for (int i = 0; i < wrt.Count; i++)
                if (ReferenceEquals(wrt[i], t)) results[i] = createGraph ? g.Reshape(g.Shape) : g.Clone();
        });
        for (int i = 0; i < wrt.Count; i++)
        {
            if (results[i] is not null) continue;
            if (!allowUnused) Throw.Gibbs($"Autograd.Grad: y does not depend on wrt[{i}] {Tensor.Format(wrt[i].Shape)} (pass allowUnused: true to get zeros)");
            results[i] = Tensor.ZerosLike(wrt[i]);
        }
        return results!;
    }
}
