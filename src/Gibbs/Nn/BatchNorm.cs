// Batch normalisation over the batch dimension of [N×F] activations, two kinds:
// Standard (Ioffe & Szegedy 2015): batch statistics in training, running statistics in eval, affine γ, β.
// SecondMoment (000_c7b547386cdeff84.txt App. A): de-mean and divide by the root of the batch second
// moment of the de-meaned values, identically in training and test (so test results depend slightly
// on the test batch, as the seed says); no running statistics, no affine parameters unless asked.
namespace Gibbs.Nn;

public enum BatchNormKind { Standard, SecondMoment }

public sealed class BatchNorm : Module
{
    private readonly Tensor? _gamma, _beta, _runningMean, _runningVar;

    public BatchNorm(int features, BatchNormKind kind = BatchNormKind.Standard, float eps = 1e-5f, float momentum = 0.1f, bool? affine = null, Backends.Device? device = null)
    {
        Features = features;
        Kind = kind;
        Eps = eps;
        Momentum = momentum;
        if (affine ?? kind == BatchNormKind.Standard)
        {
            _gamma = Parameter("gamma", Tensor.Ones([features], device));
            _beta = Parameter("beta", Tensor.Zeros([features], device));
        }
        if (kind == BatchNormKind.Standard)
        {
            _runningMean = Buffer("running_mean", Tensor.Zeros([features], device));
            _runningVar = Buffer("running_var", Tensor.Ones([features], device));
        }
    }

    public int Features { get; }
    public BatchNormKind Kind { get; }
    public float Eps { get; }
    public float Momentum { get; }

    /// <summary>x: [N×F] → [N×F].</summary>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Features)
            throw new ShapeException($"BatchNorm({Features}) expects [N×{Features}] input, got {Tensor.Format(x.Shape)}");
        Tensor xhat;
        if (Kind == BatchNormKind.Standard && !Training)
        {
            xhat = (x - _runningMean!) / (_runningVar! + Eps).Sqrt();
        }
        else
        {
            var mean = x.Mean(0);
            var centred = x - mean;
            var variance = centred.Square().Mean(0);
            xhat = centred / (variance + Eps).Sqrt();
            if (Kind == BatchNormKind.Standard) UpdateRunning(mean, variance, x.Dim(0));
        }
        return _gamma is null ? xhat : xhat * _gamma + _beta!;
    }

    private void UpdateRunning(Tensor mean, Tensor variance, int n)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        float unbias = n > 1 ? n / (n - 1f) : 1f;
        _runningMean!.AffineInPlace(1f - Momentum).AddInPlace(mean.Detach() * Momentum);
        _runningVar!.AffineInPlace(1f - Momentum).AddInPlace(variance.Detach() * (Momentum * unbias));
    }
}
