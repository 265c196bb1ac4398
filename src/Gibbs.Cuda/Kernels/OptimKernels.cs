// Fused optimiser steps: one pass over parameter, gradient and state (CpuBackend.Optim.cs's scalar formulas,
// lane by lane).
using ILGPU;

namespace Gibbs.Cuda.Kernels;

/// <summary>Adam's scalars, one kernel parameter (c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ).</summary>
internal struct AdamArgs
{
    public float Lr, Beta1, Beta2, Eps, C1, C2;
}

/// <summary>SGD's scalars, one kernel parameter.</summary>
internal struct SgdArgs
{
    public float Lr, Momentum, L2, L1;
    public int Nesterov;
}

internal static class OptimKernels
{
    /// <summary>m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − lr·(m/c₁)/(√(v/c₂) + ε).</summary>
    [DeviceKernel]
    public static void Adam(ArrayView<float> p, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v, int n, AdamArgs s)
    {
        int stride = Grid.DimX * Group.DimX;
        float ic1 = 1f / s.C1, ic2 = 1f / s.C2;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            float gi = g[i];
            float mi = s.Beta1 * m[i] + (1f - s.Beta1) * gi;
            float vi = s.Beta2 * v[i] + (1f - s.Beta2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= s.Lr * (mi * ic1) / (MathF.Sqrt(vi * ic2) + s.Eps);
        }
    }

    /// <summary>g′ = g + l2·p + l1·sign(p); with momentum μ &gt; 0: v ← μv + g′, step v (or g′ + μv with Nesterov); p ← p − lr·step.</summary>
    [DeviceKernel]
    public static void Sgd(ArrayView<float> p, ArrayView<float> g, ArrayView<float> v, int n, SgdArgs s)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            float pi = p[i];
            float gi = g[i] + s.L2 * pi + s.L1 * (pi > 0 ? 1f : pi < 0 ? -1f : 0f);
            float step = gi;
            if (s.Momentum > 0)
            {
                float vel = s.Momentum * v[i] + gi;
                v[i] = vel;
                step = s.Nesterov != 0 ? gi + s.Momentum * vel : vel;
            }
            p[i] = pi - s.Lr * step;
        }
    }
}
