// The backend contract (catalogue, RNG bits, reductions, index kernels, batched GEMM, fused optimiser steps,
// training steps against the CPU) for the CUDA backend's kernels, run on ILGPU's CPU accelerator.
using Gibbs.Backends;
using Gibbs.Tests.Contract;

namespace Gibbs.Tests.Cuda;

public sealed class IlgpuCpuBackendContractTests : BackendContractTests
{
    public IlgpuCpuBackendContractTests() => _ = IlgpuTestBackend.Backend;

    protected override Device Device => IlgpuTestBackend.Device;

    // GEMM sums in a different order than OpenBLAS / the managed kernels, and exp, tanh and log are Cephes' (≤ 2 ulp)
    // rather than TensorPrimitives'; five Adam steps amplify those ulps where √v is tiny. Measured: 1.7e-4.
    protected override double ParityTolerance => 1e-3;
}
