// Per-epoch monitors on a fixed subset of rows: pseudo-likelihood (Bernoulli RBMs, scikit-learn's
// definition), mean-field reconstruction error, mean free energy on training vs held-out rows
// (their gap warns of over-fitting), and ‖W‖_F.
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

public sealed partial class RbmTrainer
{
    private float[]? _monitorTrain, _monitorValidation;

    /// <summary>A fixed random subset of rows (data sets are often sorted by class, so the first rows are not representative).</summary>
    private static float[] MonitorSubset(float[] data, int nv, int rows, ulong seed)
    {
        int n = data.Length / nv;
        var pick = new Generator(seed).Permutation(n).Take(Math.Min(rows, n)).Order().ToArray();
        var x = new float[pick.Length * nv];
        for (int r = 0; r < pick.Length; r++) Array.Copy(data, (long)pick[r] * nv, x, (long)r * nv, nv);
        return x;
    }

    private RbmEpochReport MeasureEpoch(double seconds)
    {
        int nv = Rbm.NVisible;
        int rows = Math.Min(Options.MonitorRows, _rows);
        if (rows == 0) return new RbmEpochReport(Epoch, seconds, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        _monitorTrain ??= MonitorSubset(_data, nv, rows, 0x6d6f6e69746f72);
        if (_validation is not null) _monitorValidation ??= MonitorSubset(_validation, nv, rows, 0x76616c6964);
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var train = Tensor.FromArray(_monitorTrain, [_monitorTrain.Length / nv, nv], Rbm.Device);
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
        if (_monitorValidation is not null)
        {
            var val = Tensor.FromArray(_monitorValidation, [_monitorValidation.Length / nv, nv], Rbm.Device);
            if (Rbm is BernoulliRbm && Options.Binarize == BinarizeMode.Dynamic) val = Tensor.Bernoulli(val, Generator.Fork(0x76616c));
            fVal = Rbm.MeanFreeEnergy(val);
        }
        double norm = Math.Sqrt(Rbm.W.Square().Sum().Item());
        return new RbmEpochReport(Epoch, seconds, pl, Rbm.ReconstructionError(train), fTrain, fVal, norm);
    }
}
