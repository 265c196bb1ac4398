// The likelihood gradient, written into each parameter's .Grad in the descent convention (the gradient of
// the negative log-likelihood). Bernoulli RBMs use the closed forms, one GEMM per statistic:
//   ∂(−log p)/∂W = ⟨v hᵀ⟩_model − ⟨v hᵀ⟩_data,  ∂/∂b_v = ⟨v⟩_model − ⟨v⟩_data,  ∂/∂b_h = ⟨h⟩_model − ⟨h⟩_data,
// with the model averages from Gibbs chains (CD: from the data; PCD: persistent) or from TAP magnetisations,
// where the TAP free energy adds W ⊙ (m_v − m_v²)ᵀ(m_h − m_h²) (Onsager) and 2W² ⊙ g(m_v)ᵀg(m_h) (third order)
// to the model correlation (Gabrié, Tramel & Krzakala 2015; 003_b64814f70e5688de.txt). Other RBMs (Gaussian
// visibles) differentiate the free energy: ∇[F̄(v_data) − F̄(v_model)].
namespace Gibbs.Models.Rbm;

public sealed partial class RbmTrainer
{
    /// <summary>Writes the likelihood gradient of every parameter for batch v into its .Grad (no tape; temporaries in the caller's scope).</summary>
    internal void ComputeGradients(Tensor v)
    {
        if (Rbm is BernoulliRbm b) BernoulliGradients(b, v);
        else AutodiffGradients(v);
    }

    private static Tensor GradBuffer(Tensor p) => p.Grad ??= Tensor.ZerosLike(p).Untrack();

    private readonly Dictionary<int, Tensor> _onesRows = new();

    /// <summary>A [1×count] row of ones on <paramref name="device"/>, kept for the trainer's life (batch and chain sizes repeat).</summary>
    private Tensor OnesRow(int count, Backends.Device device)
    {
        if (!_onesRows.TryGetValue(count, out var t) || t.Device != device)
            _onesRows[count] = t = Tensor.Ones([1, count], device).Untrack();
        return t;
    }

    private Tensor? _lastNegV, _lastNegH;

    /// <summary>Keep a copy of each update's negative-phase rows (for tests that recompute the update independently).</summary>
    internal bool RecordNegatives { get; set; }

    /// <summary>The last update's negative phase: (v samples or m_v, P(h|v) of them or m_h); null unless <see cref="RecordNegatives"/>.</summary>
    internal (Tensor V, Tensor H)? LastNegative => _lastNegV is null ? null : (_lastNegV, _lastNegH!);

    private void Record(Tensor v, Tensor h)
    {
        if (!RecordNegatives) return;
        _lastNegV?.Dispose();
        _lastNegH?.Dispose();
        _lastNegV = v.Clone().Untrack();
        _lastNegH = h.Clone().Untrack();
    }

    private void BernoulliGradients(BernoulliRbm rbm, Tensor v)
    {
        int n = v.Dim(0);
        var ph = rbm.HiddenProbabilities(v);
        var gW = GradBuffer(rbm.W);
        Tensor negV, negH;
        if (Options.IsTap)
        {
            (negV, negH) = Magnetisations(rbm, v, ph);
            Record(negV, negH);
            TapModelCorrelation(rbm, negV, negH, gW);
        }
        else
        {
            (negV, negH) = GibbsChain(rbm, v, ph, persistent: Options.Solver == RbmSolver.Pcd);
            Record(negV, negH);
            Tensor.MatMulInto(gW, negV, negH, transA: true, alpha: 1f / negV.Dim(0));
        }
        Tensor.MatMulInto(gW, v, ph, transA: true, alpha: -1f / n, beta: 1f);
        // The bias gradients ⟨·⟩_model − ⟨·⟩_data as two GEMMs each with a row of ones (1ᵀX/N is the column mean),
        // written straight into the gradient: no temporaries, 4 launches for both biases instead of 4 means, 2
        // differences and 2 copies (a step on a GPU is launch-bound at small batches).
        var gV = GradBuffer(rbm.VisibleBias).Reshape(1, -1);
        var gH = GradBuffer(rbm.HiddenBias).Reshape(1, -1);
        var onesModel = OnesRow(negV.Dim(0), v.Device);
        var onesData = OnesRow(n, v.Device);
        Tensor.MatMulInto(gV, onesModel, negV, alpha: 1f / negV.Dim(0));
        Tensor.MatMulInto(gV, onesData, v, alpha: -1f / n, beta: 1f);
        Tensor.MatMulInto(gH, onesModel, negH, alpha: 1f / negH.Dim(0));
        Tensor.MatMulInto(gH, onesData, ph, alpha: -1f / n, beta: 1f);
        if (Options.IsTap && Options.Beta != 1f)
            foreach (var p in rbm.Parameters()) p.Grad!.AffineInPlace(Options.Beta);
    }

    /// <summary>gW ← ⟨m_v m_hᵀ⟩ + βW ⊙ ⟨(m_v − m_v²)(m_h − m_h²)ᵀ⟩ [+ 2(βW)² ⊙ ⟨g(m_v) g(m_h)ᵀ⟩], averaged over rows.</summary>
    private void TapModelCorrelation(BernoulliRbm rbm, Tensor mv, Tensor mh, Tensor gW)
    {
        float inv = 1f / mv.Dim(0);
        Tensor.MatMulInto(gW, mv, mh, transA: true, alpha: inv);
        if (Options.TapOrder < TapOrder.Tap2) return;
        var w = Options.Beta == 1f ? rbm.W : rbm.W * Options.Beta;
        gW.AddInPlace(w * Tensor.MatMul(mv - mv.Square(), mh - mh.Square(), transA: true), inv);
        if (Options.TapOrder >= TapOrder.Tap3)
            gW.AddInPlace(w.Square() * Tensor.MatMul(BernoulliRbm.G(mv), BernoulliRbm.G(mh), transA: true), 2f * inv);
    }

    /// <summary>
    /// k sweeps from the data (CD, reusing the data's P(h|v)) or the persistent chains (PCD); returns (v samples, P(h|v) of
    /// the last sweep). PCD keeps the chains' last P(h|v) and draws the next step's h from it (scikit-learn's h_samples_).
    /// </summary>
    private (Tensor V, Tensor H) GibbsChain(Rbm rbm, Tensor data, Tensor dataHidden, bool persistent)
    {
        Tensor vk, hp;
        if (persistent)
        {
            if (_chainV is null)
            {
                // Chains start from data rows (the first batch, tiled to the chain count).
                _chainV = Tile(data, Chains).Untrack();
                _chainH = rbm.HiddenProbabilities(_chainV).Untrack();
            }
            vk = _chainV;
            hp = _chainH!;
        }
        else
        {
            vk = data;
            hp = dataHidden;
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
            _chainH!.CopyFrom(hp);
            return (_chainV, _chainH);
        }
        return (vk, hp);
    }

    /// <summary>
    /// The TAP fixed point for this update: from the batch (m_v = v, m_h = P(h|v); the EMF code's init_batch) or, with
    /// persistent magnetisations after <see cref="RbmTrainingOptions.PersistAfter"/> epochs, from the previous update's.
    /// </summary>
    private (Tensor Mv, Tensor Mh) Magnetisations(BernoulliRbm rbm, Tensor v, Tensor ph)
    {
        bool persist = Options.TapInit == TapInit.Persistent && Epoch >= Options.PersistAfter;
        Tensor mv, mh;
        if (persist)
        {
            if (_chainV is null)
            {
                _chainV = Tile(v, Chains).Untrack();
                _chainH = rbm.HiddenProbabilities(_chainV).Untrack();
            }
            (mv, mh) = (_chainV, _chainH!);
        }
        else (mv, mh) = (v.Clone(), ph.Clone());
        rbm.IterateMagnetisations(mv, mh, Options.TapOrder, Options.TapIterations, Options.Damping, Options.Beta);
        return (mv, mh);
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

    /// <summary>∇[mean F(v) − mean F(v_model)] by autodiff into each .Grad (PCD/CD chains for the model samples).</summary>
    private void AutodiffGradients(Tensor v)
    {
        Tensor ph;
        using (Tensor.NoGrad()) ph = Rbm.HiddenProbabilities(v);
        var (vn, hn) = GibbsChain(Rbm, v, ph, persistent: Options.Solver == RbmSolver.Pcd);
        Record(vn, hn);
        foreach (var p in Rbm.Parameters()) p.ZeroGrad();
        using (GradMode.Enable())
            (Rbm.FreeEnergy(v).Mean() - Rbm.FreeEnergy(vn.Detach()).Mean()).Backward();
    }
}
