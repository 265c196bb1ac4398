// Learning-rate schedules by epoch. "decay = 500 epochs" in 000_c7b547386cdeff84.txt is read as an
// exponential time constant: η(t) = η₀·exp(−t/τ), τ = 500 (our interpretation; the seed gives no formula).
namespace Gibbs.Optim;

public abstract record LearningRateSchedule
{
    /// <summary>The rate at <paramref name="epoch"/> (0-based) given the initial rate.</summary>
    public abstract float Rate(float initial, int epoch);

    public static LearningRateSchedule Constant { get; } = new ConstantRate();
}

public sealed record ConstantRate : LearningRateSchedule
{
    public override float Rate(float initial, int epoch) => initial;
}

/// <summary>η₀·exp(−t/τ).</summary>
public sealed record ExponentialDecay(float TimeConstant) : LearningRateSchedule
{
    public override float Rate(float initial, int epoch) => initial * MathF.Exp(-epoch / TimeConstant);
}

/// <summary>η₀/(1 + t/τ).</summary>
public sealed record InverseTimeDecay(float TimeConstant) : LearningRateSchedule
{
    public override float Rate(float initial, int epoch) => initial / (1f + epoch / TimeConstant);
}

/// <summary>η₀·γ^⌊t/every⌋.</summary>
public sealed record StepDecay(int Every, float Gamma) : LearningRateSchedule
{
    public override float Rate(float initial, int epoch) => initial * MathF.Pow(Gamma, epoch / Math.Max(1, Every));
}
