// IFusedKernels on the ILGPU backend: one launch per chain (FusedKernels).
using Gibbs.Backends;

namespace Gibbs.Cuda;

public sealed partial class IlgpuBackend : IFusedKernels
{
    public void BiasActivation(Storage x, Storage bias, Storage y, int rows, int cols, UnaryOp activation)
    {
        if (activation is not (UnaryOp.Copy or UnaryOp.Relu or UnaryOp.Tanh or UnaryOp.Sigmoid or UnaryOp.Softplus))
            CudaThrow.Argument($"BiasActivation takes Copy, Relu, Tanh, Sigmoid or Softplus, not {activation}");
        if ((long)rows * cols == 0) return;
        lock (_gate)
        {
            Enter();
            _k.Fused.BiasActivation(_stream, Config((long)rows * cols), View(x), View(bias), View(y), rows, cols, (int)activation);
        }
    }

    public void SigmoidBceWithLogits(Storage logits, Storage targets, Storage loss, Storage grad, int n, float gradScale)
    {
        if (n <= 0) return;
        lock (_gate)
        {
            Enter();
            _k.Fused.SigmoidBce(_stream, Config(n), View(logits), View(targets), View(loss), View(grad), n, gradScale);
        }
    }

    public void Reparameterize(RandomKind kind, Storage mu, Storage scale, ulong seed, ulong counter, Storage y, int n)
    {
        if (kind == RandomKind.Uniform) CudaThrow.Argument("Reparameterize draws Normal or Laplace noise");
        if (n <= 0) return;
        lock (_gate)
        {
            Enter();
            _k.Fused.Reparameterize(_stream, Config((n + 3L) / 4), View(mu), View(scale), View(y), n, (int)kind, seed, counter);
        }
    }

    public void SampleSigmoidBernoulli(Storage x, Storage bias, int rows, int cols, ulong seed, ulong counter, Storage probabilities, Storage samples)
    {
        long n = (long)rows * cols;
        if (n == 0) return;
        lock (_gate)
        {
            Enter();
            _k.Fused.SampleSigmoidBernoulli(_stream, Config((n + 3) / 4), View(x), View(bias), rows, cols, seed, counter, View(probabilities), View(samples));
        }
    }
}
