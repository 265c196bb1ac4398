// The extended mean-field (TAP / Plefka) free energy of a Bernoulli RBM and its magnetisations.
// Gabrié, Tramel & Krzakala, "Training RBMs via the Thouless–Anderson–Palmer free energy" (NIPS 2015);
// 003_b64814f70e5688de.txt "Improving RBMs with physical chemistry". With m = (m_v, m_h) ∈ (0,1):
//   Γ(m) = Σ [m ln m + (1−m) ln(1−m)] − b_v·m_v − b_h·m_h − m_vᵀ W m_h
//          − ½ Σ_ij W_ij² (m_v,i − m_v,i²)(m_h,j − m_h,j²)                       (order ≥ 2: Onsager)
//          − ⅔ Σ_ij W_ij³ g(m_v,i) g(m_h,j),  g(m) = (m − m²)(½ − m)              (order 3)
// and log Z ≈ −Γ(m*) at a stationary point m*. Stationarity gives the fixed-point equations
//   m_v ← σ(b_v + m_h·Wᵀ + (½ − m_v)⊙((m_h − m_h²)·W²ᵀ) + (⅓ − 2(m_v − m_v²))⊙(g(m_h)·W³ᵀ)), and the same for m_h,
// iterated with damping (m_v first, then m_h with the new m_v). The third-order term is derived from
// the third cumulant of 0/1 spins (κ₃ = 2g(m)); Boltzmann.jl's mag_*_tap3 uses m²(1−m) in place of g(m),
// which does not satisfy this stationarity condition, so Gibbs follows the derivation.
using Gibbs.Internals;

namespace Gibbs.Models.Rbm;

/// <summary>Order of the extended mean-field expansion.</summary>
public enum TapOrder
{
    /// <summary>First order: naive mean field.</summary>
    Naive = 1,
    /// <summary>Second order: with the Onsager reaction term.</summary>
    Tap2 = 2,
    /// <summary>Third order (Plefka).</summary>
    Tap3 = 3,
}

public sealed partial class BernoulliRbm
{
    private const float MagnetisationFloor = 1e-6f;

    /// <summary>Γ(m_v, m_h) per row: [N × n_visible], [N × n_hidden] → [N]. Differentiable in the parameters and magnetisations.</summary>
    public Tensor TapFreeEnergy(Tensor mv, Tensor mh, TapOrder order, float beta = 1f)
    {
        var mvc = mv.Clamp(MagnetisationFloor, 1f - MagnetisationFloor);
        var mhc = mh.Clamp(MagnetisationFloor, 1f - MagnetisationFloor);
        var negEntropy = NegEntropy(mvc) + NegEntropy(mhc);
        var w = beta == 1f ? W : W * beta;
        var energy = -Tensor.MatMul(mv, VisibleBias.Reshape(NVisible, 1)).Reshape(-1) * beta
                     - Tensor.MatMul(mh, HiddenBias.Reshape(NHidden, 1)).Reshape(-1) * beta
                     - (Tensor.MatMul(mv, w) * mh).Sum(1);
        var gamma = negEntropy + energy;
        if (order >= TapOrder.Tap2)
            gamma = gamma - (Tensor.MatMul(mv - mv.Square(), w.Square()) * (mh - mh.Square())).Sum(1) * 0.5f;
        if (order >= TapOrder.Tap3)
            gamma = gamma - (Tensor.MatMul(G(mv), w.Square() * w) * G(mh)).Sum(1) * (2f / 3f);
        return gamma;
    }

    private static Tensor NegEntropy(Tensor m) => (m * m.Log() + (1f - m) * (1f - m).Log()).Sum(1);

    /// <summary>g(m) = (m − m²)(½ − m): half the third cumulant of a 0/1 spin with mean m.</summary>
    internal static Tensor G(Tensor m) => (m - m.Square()) * (0.5f - m);

    /// <summary>
    /// Damped fixed-point iterations of the TAP equations from (mv, mh), in place: each iteration updates m_v, then m_h
    /// with the new m_v; m ← damping·m + (1 − damping)·σ(field). Typical: 3 iterations during training, more to converge.
    /// </summary>
    public void IterateMagnetisations(Tensor mv, Tensor mh, TapOrder order, int iterations, float damping = 0.5f, float beta = 1f)
    {
        if (damping is < 0f or >= 1f) Throw.Gibbs($"damping must be in [0, 1), got {damping}");
        using var _ = Tensor.NoGrad();
        using var scope = TensorScope.Begin();
        var w = beta == 1f ? W : W * beta;
        var bv = beta == 1f ? VisibleBias : VisibleBias * beta;
        var bh = beta == 1f ? HiddenBias : HiddenBias * beta;
        Tensor? w2 = order >= TapOrder.Tap2 ? w.Square() : null;
        Tensor? w3 = order >= TapOrder.Tap3 ? w2! * w : null;
        for (int it = 0; it < iterations; it++)
        {
            using var step = TensorScope.Begin();
            var fieldV = Tensor.MatMul(mh, w, transB: true) + bv;
            if (w2 is not null) fieldV = fieldV + (0.5f - mv) * Tensor.MatMul(mh - mh.Square(), w2, transB: true);
            if (w3 is not null) fieldV = fieldV + (1f / 3f - 2f * (mv - mv.Square())) * Tensor.MatMul(G(mh), w3, transB: true);
            mv.AffineInPlace(damping).AddInPlace(fieldV.Sigmoid(), 1f - damping);

            var fieldH = Tensor.MatMul(mv, w) + bh;
            if (w2 is not null) fieldH = fieldH + (0.5f - mh) * Tensor.MatMul(mv - mv.Square(), w2);
            if (w3 is not null) fieldH = fieldH + (1f / 3f - 2f * (mh - mh.Square())) * Tensor.MatMul(G(mv), w3);
            mh.AffineInPlace(damping).AddInPlace(fieldH.Sigmoid(), 1f - damping);
        }
    }

    /// <summary>
    /// TAP estimate of log Z: converge the magnetisations from each row of <paramref name="init"/> (e.g. data) and
    /// return max over rows of −Γ(m*) — the dominant TAP solution found.
    /// </summary>
    public double TapLogZ(Tensor init, TapOrder order = TapOrder.Tap2, int iterations = 100, float damping = 0.5f)
    {
        CheckVisible(init);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var mv = init.Clamp(MagnetisationFloor, 1f - MagnetisationFloor).Clone();
        var mh = HiddenProbabilities(mv);
        IterateMagnetisations(mv, mh, order, iterations, damping);
        return -TapFreeEnergy(mv, mh, order).MinValue();
    }

    /// <summary>
    /// Per-sample EMF score (Boltzmann.jl score_samples_TAP): Γ(m*) − F(v) with m* iterated from v —
    /// an estimate of −log p(v) up to the quality of the TAP approximation. Returns [N].
    /// </summary>
    public Tensor TapScore(Tensor v, TapOrder order = TapOrder.Tap2, int iterations = 5)
    {
        CheckVisible(v);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var mv = v.Clamp(MagnetisationFloor, 1f - MagnetisationFloor).Clone();
        var mh = HiddenProbabilities(v);
        IterateMagnetisations(mv, mh, order, iterations);
        return (TapFreeEnergy(mv, mh, order) - FreeEnergy(v)).MoveToOuterScope();
    }
}
