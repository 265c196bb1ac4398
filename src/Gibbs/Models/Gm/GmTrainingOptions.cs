// Hyper-parameters of Gibbs-machine training, validated on construction. Defaults are the seed's Fig. 9 (right)
// settings (000_c7b547386cdeff84.txt): Adam, learning rate 0.0002, "decay = 500 epochs", batch 1000.
using Gibbs.Models.Rbm;

namespace Gibbs.Models.Gm;

public sealed record GmTrainingOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 1000;
    public float LearningRate { get; init; } = 2e-4f;

    /// <summary>
    /// The seed's "decay = 500 epochs", read as the time constant of an exponential learning-rate decay,
    /// η(t) = η₀·exp(−t/τ) per epoch t (the seed gives no formula; 0 = constant rate).
    /// </summary>
    public float DecayEpochs { get; init; } = 500f;

    public GmObjective Objective { get; init; } = GmObjective.Bound;

    /// <summary>Latent draws per observation and update: L of the bound and dvar, K of iwae.</summary>
    public int Draws { get; init; } = 1;

    /// <summary>Dynamic (a fresh Bernoulli draw of the [0,1] data each time a row is used), threshold (x &gt; 0.5 once) or none.</summary>
    public BinarizeMode Binarize { get; init; } = BinarizeMode.Dynamic;

    public ulong Seed { get; init; }

    /// <summary>Throws a one-line GibbsException naming the first bad value.</summary>
    public GmTrainingOptions Validate()
    {
        if (Epochs < 0) throw new GibbsException($"epochs must be ≥ 0, got {Epochs}");
        if (BatchSize < 1) throw new GibbsException($"batch size must be ≥ 1, got {BatchSize}");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new GibbsException($"learning rate must be a positive number, got {LearningRate}");
        if (!float.IsFinite(DecayEpochs) || DecayEpochs < 0) throw new GibbsException($"the decay time constant must be ≥ 0 epochs (0 = none), got {DecayEpochs}");
        if (Draws < 1) throw new GibbsException($"latent draws per observation must be ≥ 1, got {Draws}");
        if (Objective == GmObjective.Dvar && Draws < 2) throw new GibbsException("--objective dvar estimates a variance: give --draws 2 or more");
        if (Objective == GmObjective.Iwae && Draws < 2) throw new GibbsException("--objective iwae with 1 draw is the bound: give --k 2 or more");
        return this;
    }

    public Optim.LearningRateSchedule Schedule => DecayEpochs > 0 ? new Optim.ExponentialDecay(DecayEpochs) : Optim.LearningRateSchedule.Constant;
}
