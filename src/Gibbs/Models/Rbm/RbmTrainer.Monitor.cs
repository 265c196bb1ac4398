// Per-epoch monitors on a fixed subset of rows: pseudo-likelihood (Bernoulli RBMs, scikit-learn's
// definition), mean-field reconstruction error, mean free energy on training vs held-out rows
// (their gap warns of over-fitting), and ‖W‖_F.
namespace Gibbs.Models.Rbm;

public sealed partial class RbmTrainer
{
    private RbmEpochReport MeasureEpoch(double seconds)
    {
        int nv = Rbm.NVisible;
        int rows = Math.Min(Options.MonitorRows, _rows);
        if (rows == 0) return new RbmEpochReport(Epoch, seconds, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var train = Tensor.FromArray(_data.AsSpan(0, rows * nv), [rows, nv], Rbm.Device);
        if (Rbm is BernoulliRbm && Options.Binarize == BinarizeMode.Dynamic) train = Tensor.Bernoulli(train, Generator.Fork(0x6d6f6e));
        double pl = double.NaN;
        if (Rbm is BernoulliRbm b)
        {
            // A fixed flip pattern per epoch keeps the estimate comparable across epochs.
            var gen = Generator.Fork((ulong)Epoch + 1);
            pl = b.PseudoLikelihood(train, gen).Mean().Item();
        }
        double fTrain = Rbm.MeanFreeEnergy(train);
        double fVal = double.NaN;
        if (_validation is not null)
        {
            int vr = Math.Min(rows, _validation.Length / nv);
            var val = Tensor.FromArray(_validation.AsSpan(0, vr * nv), [vr, nv], Rbm.Device);
            if (Rbm is BernoulliRbm && Options.Binarize == BinarizeMode.Dynamic) val = Tensor.Bernoulli(val, Generator.Fork(0x76616c));
            fVal = Rbm.MeanFreeEnergy(val);
        }
        double norm = Math.Sqrt(Rbm.W.Square().Sum().Item());
        return new RbmEpochReport(Epoch, seconds, pl, Rbm.ReconstructionError(train), fTrain, fVal, norm);
    }
}
