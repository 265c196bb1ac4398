// The TherML objective of 001_ada2633fde8fc741.txt eq. 22 with App. H's extra multiplier ρ on the rate:
//   J = ρR + δD + γC + σS,
// R the rate (eq. 11), D the distortion (13), C the classification error (12), S the entropy of the parameters
// relative to their prior (10). Each multiplier is a Lagrange multiplier (eq. 28): γ = −∂R/∂C, δ = −∂R/∂D,
// σ = −∂R/∂S on the optimal frontier (with ρ = 1). Presets are the special cases of §3 and App. H's figures.
using System.Globalization;

namespace Gibbs.Models.Therml;

/// <summary>The four functionals at one model: R, D, C per example (nats) and S for the whole parameter distribution (nats).</summary>
public readonly record struct Functionals(double R, double D, double C, double S)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"R={R:F4} D={D:F4} C={C:F4} S={S:F3}");
}

/// <summary>The multipliers (ρ, δ, γ, σ) of J = ρR + δD + γC + σS; all finite and ≥ 0.</summary>
public sealed record Multipliers
{
    public Multipliers(double rho, double delta, double gamma, double sigma)
    {
        Check("ρ (--rho)", rho);
        Check("δ (--delta)", delta);
        Check("γ (--gamma)", gamma);
        Check("σ (--sigma)", sigma);
        if (rho + delta + gamma == 0)
            throw new GibbsException("ρ, δ and γ are all 0: the objective would be σS alone, which ignores the data; give at least one of --rho, --delta, --gamma a positive value");
        (Rho, Delta, Gamma, Sigma) = (rho, delta, gamma, sigma);
    }

    public double Rho { get; }
    public double Delta { get; }
    public double Gamma { get; }
    public double Sigma { get; }

    /// <summary>J = ρR + δD + γC + σS with R, D, C summed over <paramref name="examples"/> examples (the seed's R ≡ Σᵢ Rᵢ).</summary>
    public double Objective(Functionals f, int examples) => examples * (Rho * f.R + Delta * f.D + Gamma * f.C) + Sigma * f.S;

    private static void Check(string name, double v)
    {
        if (!double.IsFinite(v) || v < 0)
            throw new GibbsException($"the multiplier {name} must be a finite number ≥ 0, got {v.ToString(CultureInfo.InvariantCulture)}; the objective ρR + δD + γC + σS needs non-negative multipliers");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"ρ={Rho:G4} δ={Delta:G4} γ={Gamma:G4} σ={Sigma:G4}");
}

/// <summary>A named special case: its multipliers, the figure of App. H it appears in, and the objective it reduces to.</summary>
public sealed record ThermlPreset(string Name, Multipliers Multipliers, string Figure, string Reduces, string Note = "");

public static class ThermlPresets
{
    private static ThermlPreset P(string name, double rho, double delta, double gamma, double sigma, string figure, string reduces, string note = "") =>
        new(name, new Multipliers(rho, delta, gamma, sigma), figure, reduces, note);

    /// <summary>§3's special cases with App. H's multipliers (Figs. 6–10). Fig. 9's caption is garbled in our copy; see its notes.</summary>
    public static IReadOnlyList<ThermlPreset> All { get; } =
    [
        P("deterministic-classifier", 0, 0, 1, 0, "6a", "C: supervised cross-entropy"),
        P("entropy-classifier", 0, 0, 1, 0.1, "6b", "C + 0.1·S: entropy-regularised deterministic classifier"),
        P("entropy-ib", 0, 0, 1, 0.01, "6c", "C + β·S with β = σ/γ = 0.01: Achille & Soatto's IB Lagrangian"),
        P("bayesian-nn", 0, 0, 1, 1, "6d", "C + S: Bayes by backprop's negative ELBO (Blundell et al. 2015)"),
        P("vib", 0.5, 0, 1, 0, "7a", "C + β·R with β = ρ/γ = 0.5: the variational information bottleneck (Alemi et al. 2016)"),
        P("entropy-vib", 0.9, 0, 1, 0.1, "7b", "C + 0.9·R + 0.1·S: entropy-regularised VIB"),
        P("autoencoder", 0, 1, 0, 0, "8a", "D: an auto-encoder (stochastic encoder, deterministic parameters)"),
        P("entropy-autoencoder", 0, 1, 0, 0.01, "8b", "D + 0.01·S: entropy-regularised auto-encoder"),
        P("vae", 1, 1, 0, 0, "9a", "R + D: the VAE's negative ELBO (Kingma & Welling 2014)",
          "Fig. 9's captions are garbled in our copy; panels reconstructed from §3"),
        P("beta-vae", 0.9, 1, 0, 0, "9b", "D + β·R with β = ρ/δ = 0.9: β-VAE (Higgins et al. 2017)",
          "caption fragment '…0, δ = 1, ρ(β) = 0.9' read as γ = σ = 0"),
        P("semi-supervised", 1, 1, 1, 0, "9c", "R + D + α·C with α = γ = 1: Kingma et al. (2014)'s semi-supervised objective",
          "not legible in our copy; §3's 'σ = 0, γ = α, δ = 1' with α = 1"),
        P("entropy-vae", 1, 1, 0, 0.5, "9d", "R + D + 0.5·S: entropy-regularised VAE",
          "caption fragment '…0.5, δ = ρ = 1' read as σ = 0.5, γ = 0"),
        P("full", 0.9, 1, 1000, 0.5, "10", "0.9·R + D + 1000·C + 0.5·S: all four terms (Fig. 10)"),
    ];

    public static IEnumerable<string> Names => All.Select(p => p.Name);

    /// <summary>The preset named <paramref name="name"/>; a one-line error listing the names otherwise.</summary>
    public static ThermlPreset Get(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new GibbsException($"unknown TherML preset '{name}'; the presets are: {string.Join(", ", Names)}");
}
