// Fused optimiser steps (OptimKernels): one launch per parameter tensor and step.
using Gibbs.Backends;
using Gibbs.Cuda.Kernels;

namespace Gibbs.Cuda;

public sealed partial class IlgpuBackend
{
    public void AdamStep(Storage p, Storage g, Storage m, Storage v, int n, float lr, float beta1, float beta2, float eps, float c1, float c2)
    {
        if (n <= 0) return;
        var args = new AdamArgs { Lr = lr, Beta1 = beta1, Beta2 = beta2, Eps = eps, C1 = c1, C2 = c2 };
        lock (_gate)
        {
            Enter();
            _k.Adam(_stream, Config(n), View(p), View(g), View(m), View(v), n, args);
        }
    }

    public void SgdStep(Storage p, Storage g, Storage? v, int n, float lr, float momentum, bool nesterov, float l2, float l1)
    {
        if (momentum > 0 && v is null) CudaThrow.Argument("SgdStep with momentum needs a velocity buffer");
        if (n <= 0) return;
        var args = new SgdArgs { Lr = lr, Momentum = momentum, L2 = l2, L1 = l1, Nesterov = nesterov ? 1 : 0 };
        lock (_gate)
        {
            Enter();
            var vp = View(p);
            _k.Sgd(_stream, Config(n), vp, View(g), v is null ? vp : View(v), n, args);
        }
    }
}
