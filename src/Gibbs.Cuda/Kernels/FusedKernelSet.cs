// The fused kernels on one accelerator, loaded on first use (see KernelSet).
using ILGPU;
using ILGPU.Runtime;

namespace Gibbs.Cuda.Kernels;

internal sealed class FusedKernelSet(Accelerator acc)
{
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>? _biasActivation;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>? _sigmoidBce;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, ulong, ulong>? _reparameterize;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int, ulong, ulong, ArrayView<float>, ArrayView<float>>? _sampleSigmoidBernoulli;

    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int> BiasActivation =>
        _biasActivation ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(FusedKernels.BiasActivation);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float> SigmoidBce =>
        _sigmoidBce ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(FusedKernels.SigmoidBce);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, ulong, ulong> Reparameterize =>
        _reparameterize ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, ulong, ulong>(FusedKernels.Reparameterize);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int, ulong, ulong, ArrayView<float>, ArrayView<float>> SampleSigmoidBernoulli =>
        _sampleSigmoidBernoulli ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, int, int, ulong, ulong, ArrayView<float>, ArrayView<float>>(FusedKernels.SampleSigmoidBernoulli);

    public int LoadAll()
    {
        object[] all = [BiasActivation, SigmoidBce, Reparameterize, SampleSigmoidBernoulli];
        return all.Length;
    }
}
