// Restricted Boltzmann machine base: a Module with parameters W [n_visible × n_hidden], b_v [n_visible],
// b_h [n_hidden]; conditional distributions, block-Gibbs sampling and the free energy. Training runs on the
// engine's Optimizer (RbmTrainer); checkpoints are the Module/Optimizer state dicts (Training/TrainingState).
// The two concrete kinds are BernoulliRbm (binary visibles) and GaussianBernoulliRbm (real visibles).
// Seeds: 003_b64814f70e5688de.txt ("Cheap learning": clamped vs full free energy), 000_c7b547386cdeff84.txt §3.1.
using Gibbs.Backends;
using Gibbs.Nn;
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

public enum VisibleKind { Bernoulli, Gaussian }

public abstract partial class Rbm : Module
{
    protected Rbm(int nVisible, int nHidden, Device? device)
    {
        if (nVisible < 1 || nHidden < 1) throw new GibbsException($"an RBM needs at least one visible and one hidden unit (got {nVisible}×{nHidden})");
        NVisible = nVisible;
        NHidden = nHidden;
        var d = device ?? Engine.DefaultDevice;
        W = Parameter("W", Tensor.Zeros([nVisible, nHidden], d));
        VisibleBias = Parameter("b_v", Tensor.Zeros([nVisible], d));
        HiddenBias = Parameter("b_h", Tensor.Zeros([nHidden], d));
    }

    public int NVisible { get; }
    public int NHidden { get; }
    public abstract VisibleKind Kind { get; }

    /// <summary>Couplings W [n_visible × n_hidden].</summary>
    public Tensor W { get; }

    /// <summary>Visible biases b_v [n_visible].</summary>
    public Tensor VisibleBias { get; }

    /// <summary>Hidden biases b_h [n_hidden].</summary>
    public Tensor HiddenBias { get; }

    /// <summary>Initialises W ~ N(0, std²) (Hinton's guide: std = 0.01) and zero biases.</summary>
    public void InitializeWeights(Generator gen, float std = 0.01f)
    {
        using var _ = Tensor.NoGrad();
        using var w = Tensor.Randn(W.Shape, gen, 0f, std, Device).Untrack();
        W.CopyFrom(w);
        VisibleBias.FillInPlace(0f);
        HiddenBias.FillInPlace(0f);
    }

    /// <summary>Data-dependent initialisation of the visible layer (biases from the data's marginals; see each kind).</summary>
    public abstract void InitializeFromData(Tensor v);

    /// <summary>The hidden pre-activations for visible rows v [N × n_visible] → [N × n_hidden].</summary>
    public abstract Tensor HiddenInput(Tensor v);

    /// <summary>P(h = 1 | v) [N × n_hidden] (also the features <see cref="Transform"/> returns).</summary>
    public virtual Tensor HiddenProbabilities(Tensor v)
    {
        var x = HiddenInput(v);
        // Without a tape the pre-activation is a temporary of ours: apply σ in place.
        return GradMode.IsEnabled && x.RequiresGrad ? x.Sigmoid() : x.ApplyInPlace(UnaryOp.Sigmoid);
    }

    /// <summary>The module's forward pass: the hidden features P(h = 1 | v).</summary>
    public override Tensor Forward(Tensor v) => HiddenProbabilities(v);

    /// <summary>A binary sample h ~ P(h | v).</summary>
    public virtual Tensor SampleHidden(Tensor v, Generator gen) => Tensor.Bernoulli(HiddenProbabilities(v), gen);

    /// <summary>E[v | h]: σ(h·Wᵀ + b_v) for binary visibles, the Gaussian mean for real ones. [N × n_hidden] → [N × n_visible].</summary>
    public abstract Tensor VisibleMean(Tensor h);

    /// <summary>A sample v ~ P(v | h).</summary>
    public abstract Tensor SampleVisible(Tensor h, Generator gen);

    /// <summary>Free energy F(v) = −log Σ_h e^{−E(v,h)}, per row: [N × n_visible] → [N]. Differentiable in the parameters.</summary>
    public abstract Tensor FreeEnergy(Tensor v);

    /// <summary>Energy E(v, h) per row: [N × n_visible], [N × n_hidden] → [N].</summary>
    public abstract Tensor Energy(Tensor v, Tensor h);

    /// <summary>
    /// Runs <paramref name="steps"/> block-Gibbs sweeps (h ~ P(h|v), then v ~ P(v|h)) from v and returns the final
    /// visible sample (a new tensor). With <paramref name="meanLast"/> the last sweep returns E[v|h] instead of a sample
    /// (for pictures). Memory does not grow with the number of steps: each sweep frees the previous state.
    /// </summary>
    public Tensor Gibbs(Tensor v, int steps, Generator gen, bool meanLast = false)
    {
        CheckVisible(v);
        if (steps < 0) throw new GibbsException($"Gibbs sweeps must be ≥ 0, got {steps}");
        using var _ = Tensor.NoGrad();
        var state = v.Clone().Untrack();
        for (int s = 0; s < steps; s++)
        {
            using var scope = TensorScope.Begin();
            var h = SampleHidden(state, gen);
            var next = meanLast && s == steps - 1 ? VisibleMean(h) : SampleVisible(h, gen);
            state.CopyFrom(next);
        }
        TensorScope.Current?.Track(state);
        return state;
    }

    /// <summary>Mean-field reconstruction E[v | P(h|v)] and its mean squared error per unit.</summary>
    public float ReconstructionError(Tensor v)
    {
        CheckVisible(v);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        return (VisibleMean(HiddenProbabilities(v)) - v).Square().Mean().Item();
    }

    /// <summary>Mean free energy of rows of v (a scalar).</summary>
    public float MeanFreeEnergy(Tensor v)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        return FreeEnergy(v).Mean().Item();
    }

    /// <summary>Throws a clear error unless v is [N × n_visible] on this model's device.</summary>
    public void CheckVisible(Tensor v)
    {
        if (v.Rank != 2 || v.Dim(1) != NVisible)
            throw new GibbsException($"data has shape {Tensor.Format(v.Shape)} but the RBM has {NVisible} visible units: use data with {NVisible} features, or a model trained on this data.");
        if (v.Device != Device)
            throw new GibbsException($"data is on {v.Device} but the RBM is on {Device}.");
    }
}
