// Hyper-parameters of RBM training, validated on construction (scikit-learn's habit of checking up front).
namespace Gibbs.Models.Rbm;

/// <summary>How the negative (model) phase of the likelihood gradient is estimated.</summary>
public enum RbmSolver
{
    /// <summary>Contrastive divergence: k Gibbs sweeps from the data.</summary>
    Cd,
    /// <summary>Persistent CD: k Gibbs sweeps of persistent chains.</summary>
    Pcd,
    /// <summary>Naive mean-field magnetisations (first-order TAP).</summary>
    Naive,
    /// <summary>TAP with the Onsager term (second order).</summary>
    Tap2,
    /// <summary>TAP to third order.</summary>
    Tap3,
}

/// <summary>Where the TAP magnetisations start each update.</summary>
public enum TapInit
{
    /// <summary>From the mini-batch: m_v = v, m_h = P(h|v) (Gabrié et al.'s EMF code, emf_rbm.py's init_batch). The default.</summary>
    Data,
    /// <summary>From the previous update's fixed point (persistent magnetisations, like PCD chains), after <see cref="RbmTrainingOptions.PersistAfter"/> epochs.</summary>
    Persistent,
}

/// <summary>How non-binary data is made binary for a Bernoulli RBM.</summary>
public enum BinarizeMode
{
    /// <summary>Data must already be binary.</summary>
    None,
    /// <summary>x &gt; 0.5 → 1, once.</summary>
    Threshold,
    /// <summary>A fresh Bernoulli(x) sample every time a batch is used.</summary>
    Dynamic,
}

public sealed record RbmTrainingOptions
{
    public RbmSolver Solver { get; init; } = RbmSolver.Pcd;
    /// <summary>Gibbs sweeps per update (CD-k, PCD-k).</summary>
    public int K { get; init; } = 1;
    /// <summary>Persistent chains (PCD) or magnetisation rows (TAP); 0 means the batch size.</summary>
    public int Chains { get; init; }
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 100;
    public float LearningRate { get; init; } = 0.05f;
    public float Momentum { get; init; }
    public Optim.DecayKind Decay { get; init; } = Optim.DecayKind.None;
    public float DecayRate { get; init; }
    /// <summary>Inverse temperature β of the TAP expansion (TAP solvers only).</summary>
    public float Beta { get; init; } = 1f;
    /// <summary>Damped fixed-point iterations per update (TAP solvers).</summary>
    public int TapIterations { get; init; } = 3;
    public float Damping { get; init; } = 0.5f;
    /// <summary>Where the magnetisations start each update (TAP solvers).</summary>
    public TapInit TapInit { get; init; } = TapInit.Data;
    /// <summary>With <see cref="TapInit.Persistent"/>: restart from the data for this many epochs first (Boltzmann.jl's test script).</summary>
    public int PersistAfter { get; init; }
    /// <summary>Initialise a fresh model from the data: visible biases (and W ~ N(0, 0.01²) when W is all zero). On by default.</summary>
    public bool InitializeFromData { get; init; } = true;
    /// <summary>Gaussian visibles with learned σ: log σ² learns at this fraction of the learning rate (Hinton's guide §13.2: variances
    /// learned as fast as the weights make Gaussian RBMs unstable).</summary>
    public float SigmaLearningRateScale { get; init; } = 0.1f;
    /// <summary>Gaussian visibles: standardise the inputs (per-feature mean and standard deviation) when initialising from data.</summary>
    public bool Standardize { get; init; } = true;
    public BinarizeMode Binarize { get; init; } = BinarizeMode.None;
    public ulong Seed { get; init; } = 42;
    /// <summary>Rows used for per-epoch monitoring (pseudo-likelihood, reconstruction, free-energy gap).</summary>
    public int MonitorRows { get; init; } = 1000;
    /// <summary>|W| above which a run counts as diverged.</summary>
    public float DivergenceThreshold { get; init; } = 1e3f;

    public bool IsTap => Solver is RbmSolver.Naive or RbmSolver.Tap2 or RbmSolver.Tap3;

    public TapOrder TapOrder => Solver switch
    {
        RbmSolver.Naive => TapOrder.Naive,
        RbmSolver.Tap3 => TapOrder.Tap3,
        _ => TapOrder.Tap2,
    };

    /// <summary>Throws a GibbsException naming the first bad value.</summary>
    public RbmTrainingOptions Validate()
    {
        static void Check(bool ok, string message) { if (!ok) throw new GibbsException(message); }
        Check(K >= 1, $"k (Gibbs sweeps) must be at least 1, got {K}");
        Check(Chains >= 0, $"chains must be ≥ 0 (0 = batch size), got {Chains}");
        Check(Epochs >= 0, $"epochs must be ≥ 0, got {Epochs}");
        Check(BatchSize >= 1, $"batch size must be at least 1, got {BatchSize}");
        Check(LearningRate > 0 && float.IsFinite(LearningRate), $"learning rate must be a positive number, got {LearningRate}");
        Check(Momentum is >= 0f and < 1f, $"momentum must be in [0, 1), got {Momentum}");
        Check(DecayRate >= 0 && float.IsFinite(DecayRate), $"decay rate must be ≥ 0, got {DecayRate}");
        Check(Beta > 0 && float.IsFinite(Beta), $"beta must be positive, got {Beta}");
        Check(TapIterations >= 1, $"TAP iterations must be at least 1, got {TapIterations}");
        Check(Damping is >= 0f and < 1f, $"damping must be in [0, 1), got {Damping}");
        Check(MonitorRows >= 0, $"monitor rows must be ≥ 0, got {MonitorRows}");
        Check(PersistAfter >= 0, $"persist-after must be ≥ 0 epochs, got {PersistAfter}");
        Check(PersistAfter == 0 || TapInit == TapInit.Persistent, $"persist-after {PersistAfter} needs persistent magnetisations (--tap-init persistent)");
        Check(SigmaLearningRateScale > 0 && float.IsFinite(SigmaLearningRateScale), $"sigma learning-rate scale must be positive, got {SigmaLearningRateScale}");
        Check(DivergenceThreshold > 0, $"divergence threshold must be positive, got {DivergenceThreshold}");
        return this;
    }
}

/// <summary>What one epoch of training measured. Chain statistics are NaN when there are no persistent chains or magnetisations.</summary>
public sealed record RbmEpochReport(
    int Epoch,
    double Seconds,
    double PseudoLikelihood,
    double ReconstructionError,
    double FreeEnergyTrain,
    double FreeEnergyValidation,
    double WeightNorm,
    double ChainDistinct = double.NaN,
    double ChainDistance = double.NaN,
    double DataDistance = double.NaN,
    string? Warning = null)
{
    /// <summary>Mean F(validation) − mean F(train): grows when the model overfits.</summary>
    public double FreeEnergyGap => FreeEnergyValidation - FreeEnergyTrain;
}
