// Fused optimiser steps on the CPU: one pass over parameter, gradient and state per step (Adam, SGD with
// momentum and weight decay), vectorised, with scalar tails that compute the same formula lane by lane.
using System.Runtime.Intrinsics;
using Gibbs.Internals;

namespace Gibbs.Backends.Cpu;

public sealed unsafe partial class CpuBackend
{
    public void AdamStep(Storage p, Storage g, Storage m, Storage v, int n, float lr, float beta1, float beta2, float eps, float c1, float c2)
    {
        float* pp = P(p), pg = P(g), pm = P(m), pv = P(v);
        if (n <= Par.ElementChunk) AdamChunk(pp, pg, pm, pv, 0, n, lr, beta1, beta2, eps, c1, c2);
        else Par.ForElements(n, (s, e) => AdamChunk(pp, pg, pm, pv, s, e, lr, beta1, beta2, eps, c1, c2));
        GC.KeepAlive(p); GC.KeepAlive(g); GC.KeepAlive(m); GC.KeepAlive(v);
    }

    private static void AdamChunk(float* pp, float* pg, float* pm, float* pv, int s, int e, float lr, float beta1, float beta2, float eps, float c1, float c2)
    {
        int i = s;
        if (Vector256.IsHardwareAccelerated)
        {
            var b1 = Vector256.Create(beta1);
            var b2 = Vector256.Create(beta2);
            var ob1 = Vector256.Create(1f - beta1);
            var ob2 = Vector256.Create(1f - beta2);
            var ic1 = Vector256.Create(1f / c1);
            var ic2 = Vector256.Create(1f / c2);
            var veps = Vector256.Create(eps);
            var vlr = Vector256.Create(lr);
            for (; i + 8 <= e; i += 8)
            {
                var gi = Vector256.Load(pg + i);
                var mi = b1 * Vector256.Load(pm + i) + ob1 * gi;
                var vi = b2 * Vector256.Load(pv + i) + ob2 * gi * gi;
                mi.Store(pm + i);
                vi.Store(pv + i);
                var step = vlr * (mi * ic1) / (Vector256.Sqrt(vi * ic2) + veps);
                (Vector256.Load(pp + i) - step).Store(pp + i);
            }
        }
        for (; i < e; i++)
        {
            float gi = pg[i];
            float mi = beta1 * pm[i] + (1f - beta1) * gi;
            float vi = beta2 * pv[i] + (1f - beta2) * gi * gi;
            pm[i] = mi;
            pv[i] = vi;
            pp[i] -= lr * (mi * (1f / c1)) / (MathF.Sqrt(vi * (1f / c2)) + eps);
        }
    }

    public void SgdStep(Storage p, Storage g, Storage? v, int n, float lr, float momentum, bool nesterov, float l2, float l1)
    {
        if (momentum > 0 && v is null) Throw.Argument("SgdStep with momentum needs a velocity buffer");
        float* pp = P(p), pg = P(g), pv = v is null ? null : P(v);
        if (n <= Par.ElementChunk) SgdChunk(pp, pg, pv, 0, n, lr, momentum, nesterov, l2, l1);
        else Par.ForElements(n, (s, e) => SgdChunk(pp, pg, pv, s, e, lr, momentum, nesterov, l2, l1));
        GC.KeepAlive(p); GC.KeepAlive(g); GC.KeepAlive(v);
    }

    private static void SgdChunk(float* pp, float* pg, float* pv, int s, int e, float lr, float mu, bool nesterov, float l2, float l1)
    {
        int i = s;
        if (Vector256.IsHardwareAccelerated)
        {
            var vlr = Vector256.Create(lr);
            var vmu = Vector256.Create(mu);
            var vl2 = Vector256.Create(l2);
            var vl1 = Vector256.Create(l1);
            var zero = Vector256<float>.Zero;
            var one = Vector256<float>.One;
            for (; i + 8 <= e; i += 8)
            {
                var p = Vector256.Load(pp + i);
                // sign(p) ∈ {−1, 0, 1} from two masks (0 stays 0, as Math.Sign).
                var sign = (Vector256.GreaterThan(p, zero) & one) - (Vector256.LessThan(p, zero) & one);
                var g = Vector256.Load(pg + i) + vl2 * p + vl1 * sign;
                Vector256<float> step = g;
                if (mu > 0)
                {
                    var vel = vmu * Vector256.Load(pv + i) + g;
                    vel.Store(pv + i);
                    step = nesterov ? g + vmu * vel : vel;
                }
                (p - vlr * step).Store(pp + i);
            }
        }
        for (; i < e; i++)
        {
            float p = pp[i];
            float g = pg[i] + l2 * p + l1 * (p > 0 ? 1f : p < 0 ? -1f : 0f);
            float step = g;
            if (mu > 0)
            {
                float vel = mu * pv[i] + g;
                pv[i] = vel;
                step = nesterov ? g + mu * vel : vel;
            }
            pp[i] = p - lr * step;
        }
    }
}
