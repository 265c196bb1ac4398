// TherML's objective at data scale (001_ada2633fde8fc741.txt eq. 22 with App. H's ρ on R): ρR + δD + γC + σS with
// σ = 0 — at data scale the parameters get a point estimate, so there is no entropy term S. R is the rate
// E_x KL(p(z|x) ‖ q(z)) (eq. 11), D the distortion E −log q(x|z) (eq. 13), C the classification error E −log q(y|z)
// (eq. 12), all in nats per example. The presets are §3's special cases that a data-scale model can train:
//   vib           — ρ = β, δ = 0, γ = 1: C + βR (Alemi et al. 2017, the variational information bottleneck);
//   beta-vae      — ρ = β, δ = 1, γ = 0: D + βR (Higgins et al. 2017; β = 1 is the VAE's negative ELBO);
//   deterministic — ρ = 0, δ = 0, γ = 1 with z = μ(x): the plain classifier, VIB's β = 0 baseline.
// Not here: the toy's general components and the σ > 0 presets (items 1–5 of issue 12).
using System.Globalization;

namespace Gibbs.Models.Therml;

/// <summary>The multipliers (ρ, δ, γ) of ρR + δD + γC (σ = 0), and whether the encoder is deterministic (z = μ).</summary>
public sealed record DataScaleObjective(double Rho, double Delta, double Gamma, bool DeterministicEncoder = false)
{
    /// <summary>The preset names, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Presets { get; } = ["vib", "beta-vae", "deterministic"];

    /// <summary>C + βR.</summary>
    public static DataScaleObjective Vib(double beta) => new DataScaleObjective(beta, 0, 1).Validate();

    /// <summary>D + βR.</summary>
    public static DataScaleObjective BetaVae(double beta) => new DataScaleObjective(beta, 1, 0).Validate();

    /// <summary>C with z = μ(x): no noise and no rate in the objective (the rate is still reported).</summary>
    public static DataScaleObjective Deterministic { get; } = new(0, 0, 1, DeterministicEncoder: true);

    /// <summary>The preset of that name with ρ = β; an unknown name or a β the preset cannot take is one line.</summary>
    public static DataScaleObjective Preset(string name, double beta)
    {
        CheckMultiplier(beta, "β");
        return name switch
        {
            "vib" => Vib(beta),
            "beta-vae" => BetaVae(beta),
            "deterministic" when beta == 0 => Deterministic,
            "deterministic" => throw new GibbsException(string.Create(CultureInfo.InvariantCulture,
                $"the deterministic preset has no rate term: β must be 0, got {beta}; use --preset vib for C + βR")),
            _ => throw new GibbsException($"unknown TherML preset '{name}'; the data-scale presets are {string.Join(", ", Presets)}"),
        };
    }

    /// <summary>Whether the objective needs a classifier (γ &gt; 0) or a decoder (δ &gt; 0).</summary>
    public bool Classifies => Gamma > 0;
    public bool Reconstructs => Delta > 0;

    public DataScaleObjective Validate()
    {
        CheckMultiplier(Rho, "ρ");
        CheckMultiplier(Delta, "δ");
        CheckMultiplier(Gamma, "γ");
        if (Delta == 0 && Gamma == 0) throw new GibbsException("δ and γ are both 0: the objective ρR alone is minimised by forgetting x; give δ > 0 (a decoder) or γ > 0 (a classifier)");
        if (Delta > 0 && Gamma > 0) throw new GibbsException("a data-scale model here has either a classifier (γ > 0, VIB) or a decoder (δ > 0, β-VAE), not both");
        if (DeterministicEncoder && Rho != 0) throw new GibbsException("a deterministic encoder has no noise, so its rate is infinite: ρ must be 0");
        return this;
    }

    /// <summary>ρR + δD + γC from the batch means of the terms present (a null term must have a zero multiplier).</summary>
    public Tensor Combine(Tensor rate, Tensor? distortion, Tensor? classification)
    {
        var loss = rate * (float)Rho;
        if (Delta != 0) loss = loss + (distortion ?? throw new GibbsException("δ > 0 needs the distortion D (a decoder)")) * (float)Delta;
        if (Gamma != 0) loss = loss + (classification ?? throw new GibbsException("γ > 0 needs the classification error C (a classifier)")) * (float)Gamma;
        return loss;
    }

    /// <summary>The name of the preset this is, or "custom".</summary>
    public string Name => this switch
    {
        { DeterministicEncoder: true } => "deterministic",
        { Delta: 0, Gamma: 1 } => "vib",
        { Delta: 1, Gamma: 0 } => "beta-vae",
        _ => "custom",
    };

    private static void CheckMultiplier(double v, string name)
    {
        if (!double.IsFinite(v) || v < 0)
            throw new GibbsException(string.Create(CultureInfo.InvariantCulture, $"the multiplier {name} must be a finite number ≥ 0, got {v}"));
    }
}
