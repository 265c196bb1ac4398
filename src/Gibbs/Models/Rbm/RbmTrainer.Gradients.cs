// Likelihood gradients. Bernoulli RBMs use the closed forms (one GEMM per statistic):
//   ∂ log p/∂W = ⟨v hᵀ⟩_data − ⟨v hᵀ⟩_model,  ∂/∂b_v = ⟨v⟩_data − ⟨v⟩_model,  ∂/∂b_h = ⟨h⟩_data − ⟨h⟩_model,
// with the model averages from Gibbs chains (CD/PCD) or from TAP magnetisations, where the TAP
// free energy adds W ⊙ (m_v − m_v²)ᵀ(m_h − m_h²) (Onsager) and 2W² ⊙ g(m_v)ᵀg(m_h) (third order).
// Other RBMs (Gaussian visibles) differentiate the free energy: ∇ log p ≈ −∇[F̄(v_data) − F̄(v_model)].
namespace Gibbs.Models.Rbm;

public sealed partial class RbmTrainer
{
    /// <summary>The ascent directions (∂ log-likelihood/∂θ, before decay) for one batch, in <see cref="Rbm.Parameters"/> order.</summary>
    internal Tensor[] Gradients(Tensor v)
    {
        using var _ = Tensor.NoGrad();
        return Rbm is BernoulliRbm b ? BernoulliGradients(b, v) : AutodiffGradients(v);
    }

    private Tensor[] BernoulliGradients(BernoulliRbm rbm, Tensor v)
    {
        int n = v.Dim(0);
        var ph = rbm.HiddenProbabilities(v);
        Tensor gW, negV, negH;
        if (Options.IsTap)
        {
            Tensor negW;
            (negW, negV, negH) = TapNegativePhase(rbm, v);
            gW = negW;
            Tensor.MatMulInto(gW, v, ph, transA: true, alpha: 1f / n, beta: -1f);
        }
        else
        {
            var (vn, hn) = Options.Solver == RbmSolver.Cd ? GibbsChain(rbm, v, persistent: false) : GibbsChain(rbm, v, persistent: true);
            int c = vn.Dim(0);
            // ∂/∂W = vᵀp(h|v)/n − v_nᵀh_n/c, as two GEMMs into one buffer.
            gW = Tensor.Empty(rbm.W.Shape, rbm.Device);
            Tensor.MatMulInto(gW, v, ph, transA: true, alpha: 1f / n);
            Tensor.MatMulInto(gW, vn, hn, transA: true, alpha: -1f / c, beta: 1f);
            negV = vn.Mean(0);
            negH = hn.Mean(0);
        }
        var gV = v.Mean(0) - negV;
        var gH = ph.Mean(0) - negH;
        if (Options.IsTap && Options.Beta != 1f) { gW = gW * Options.Beta; gV = gV * Options.Beta; gH = gH * Options.Beta; }
        return [gW, gV, gH];
    }

    /// <summary>
    /// k sweeps from the data (CD) or the persistent chains (PCD); returns (v samples, P(h|v) of the last sweep).
    /// PCD keeps the chains' last P(h|v) and draws the next step's h from it (scikit-learn's h_samples_), so a
    /// PCD-1 step needs 5 GEMMs, not 6.
    /// </summary>
    private (Tensor V, Tensor H) GibbsChain(Rbm rbm, Tensor data, bool persistent)
    {
        Tensor vk, hp;
        if (persistent)
        {
            if (_chainV is null)
            {
                // Chains start from data rows (the first batch, tiled to the chain count).
                _chainV = Tile(data, Chains).Untrack();
                if (rbm is BernoulliRbm && Options.Binarize == BinarizeMode.Dynamic)
                {
                    using var s = Tensor.Bernoulli(_chainV, Generator).Untrack();
                    _chainV.CopyFrom(s);
                }
            }
            vk = _chainV;
            hp = _chainH ?? rbm.HiddenProbabilities(vk);
        }
        else
        {
            vk = data;
            hp = rbm.HiddenProbabilities(vk);
        }
        for (int s = 0; s < Options.K; s++)
        {
            var h = Tensor.Bernoulli(hp, Generator);
            vk = rbm.SampleVisible(h, Generator);
            hp = rbm.HiddenProbabilities(vk);
        }
        if (persistent)
        {
            _chainV!.CopyFrom(vk);
            (_chainH ??= Tensor.ZerosLike(hp).Untrack()).CopyFrom(hp);
        }
        return (vk, hp);
    }

    private (Tensor W, Tensor V, Tensor H) TapNegativePhase(BernoulliRbm rbm, Tensor data)
    {
        if (_chainV is null)
        {
            _chainV = Tile(data, Chains).Clamp(1e-6f, 1f - 1e-6f).Untrack();
            _chainH = rbm.HiddenProbabilities(_chainV).Untrack();
        }
        var mv = _chainV;
        var mh = _chainH!;
        rbm.IterateMagnetisations(mv, mh, Options.TapOrder, Options.TapIterations, Options.Damping, Options.Beta);
        int c = mv.Dim(0);
        float beta = Options.Beta;
        var w = beta == 1f ? rbm.W : rbm.W * beta;
        var negW = Tensor.MatMul(mv, mh, transA: true);
        if (Options.TapOrder >= TapOrder.Tap2)
            negW = negW + w * Tensor.MatMul(mv - mv.Square(), mh - mh.Square(), transA: true);
        if (Options.TapOrder >= TapOrder.Tap3)
            negW = negW + 2f * w.Square() * Tensor.MatMul(BernoulliRbm.G(mv), BernoulliRbm.G(mh), transA: true);
        return (negW * (1f / c), mv.Mean(0), mh.Mean(0));
    }

    /// <summary>Rows 0..count−1 of data, repeating rows when data has fewer.</summary>
    private static Tensor Tile(Tensor data, int count)
    {
        int n = data.Dim(0);
        if (count == n) return data.Clone();
        if (count < n) return data.Slice(0, 0, count);
        var parts = new List<Tensor>();
        for (int left = count; left > 0; left -= n) parts.Add(left >= n ? data : data.Slice(0, 0, left));
        return Tensor.Concat(parts, 0);
    }

    /// <summary>Ascent directions −∇[mean F(v) − mean F(v_model)] by autodiff (PCD/CD chains for the model samples).</summary>
    private Tensor[] AutodiffGradients(Tensor v)
    {
        var (vn, _) = GibbsChain(Rbm, v, persistent: Options.Solver == RbmSolver.Pcd);
        var ps = Rbm.Parameters;
        foreach (var p in ps) { p.RequiresGrad = true; p.ZeroGrad(); }
        try
        {
            using (GradMode.Enable())
                (Rbm.FreeEnergy(v).Mean() - Rbm.FreeEnergy(vn.Detach()).Mean()).Backward();
            return ps.Select(p => -(p.Grad ?? Tensor.ZerosLike(p))).ToArray();
        }
        finally
        {
            foreach (var p in ps) { p.ZeroGrad(); p.RequiresGrad = false; }
        }
    }
}
