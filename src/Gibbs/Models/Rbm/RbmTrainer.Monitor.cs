// Per-epoch monitors on a fixed subset of rows: pseudo-likelihood (Bernoulli RBMs, scikit-learn's
// definition), mean-field reconstruction error, mean free energy on training vs held-out rows (their gap
// warns of over-fitting), ‖W‖_F, and the diversity of persistent chains or magnetisations — distinct rows
// and mean pairwise distance against the data's — which warns when they collapse into one state.
using Gibbs.Rng;

namespace Gibbs.Models.Rbm;

public sealed partial class RbmTrainer
{
    private float[]? _monitorTrain, _monitorValidation;
    private double _dataDistance = double.NaN;

    /// <summary>Chains count as collapsed below this share of distinct rows, or below this share of the data's pairwise distance.</summary>
    public const double CollapseDistinctShare = 0.1, CollapseDistanceShare = 0.25;

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
        var (distinct, distance, warning) = ChainDiversity();
        if (rows == 0 || _data is null) return new RbmEpochReport(Epoch, seconds, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, distinct, distance, _dataDistance, warning);
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
        return new RbmEpochReport(Epoch, seconds, pl, Rbm.ReconstructionError(train), fTrain, fVal, norm, distinct, distance, _dataDistance, warning);
    }

    /// <summary>(distinct rows, mean pairwise distance per unit, warning) of the persistent chains or magnetisations; NaN when there are none.</summary>
    private (double Distinct, double Distance, string? Warning) ChainDiversity()
    {
        if (_chainV is null) return (double.NaN, double.NaN, null);
        var chains = _chainV.ToArray();
        int nv = Rbm.NVisible, c = chains.Length / nv;
        if (double.IsNaN(_dataDistance) && _data is not null)
            _dataDistance = Diversity(MonitorSubset(_data, nv, Math.Min(c, _rows), 0x64697665), nv).Distance;
        var (distinct, distance) = Diversity(chains, nv);
        string? warning = null;
        string what = Options.IsTap ? "persistent magnetisations" : "persistent chains";
        if (c > 1 && distinct <= Math.Max(1, CollapseDistinctShare * c))
            warning = $"{what} collapsed: {distinct} distinct of {c} rows (mean pairwise distance {distance:F3} vs {_dataDistance:F3} for data); use --tap-init data or more chains";
        else if (c > 1 && distance < CollapseDistanceShare * _dataDistance)
            warning = $"{what} are nearly identical: mean pairwise distance {distance:F3} vs {_dataDistance:F3} for data rows";
        return (distinct, distance, warning);
    }

    /// <summary>Distinct rows (after rounding to 1e-3) and the mean over pairs of the mean |a − b| per unit.</summary>
    internal static (int Distinct, double Distance) Diversity(float[] rows, int nv)
    {
        int c = rows.Length / nv;
        var keys = new HashSet<string>();
        for (int r = 0; r < c; r++)
            keys.Add(string.Join(',', rows.AsSpan(r * nv, nv).ToArray().Select(x => MathF.Round(x * 1000f))));
        if (c < 2) return (keys.Count, 0);
        double sum = 0;
        for (int a = 0; a < c; a++)
            for (int b = a + 1; b < c; b++)
            {
                double d = 0;
                for (int i = 0; i < nv; i++) d += Math.Abs(rows[a * nv + i] - rows[b * nv + i]);
                sum += d / nv;
            }
        return (keys.Count, sum / (c * (c - 1) / 2.0));
    }
}
