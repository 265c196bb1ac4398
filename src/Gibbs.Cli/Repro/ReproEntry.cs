// The catalogue of seed figures and claims that `gibbs repro` regenerates, with each entry's status:
// runnable here, or planned (and by which issue). An entry writes reports/ID/: pictures, metrics.json and
// README.md with its numbers beside the seed's claim.
namespace Gibbs.Cli.Repro;

/// <summary>How an entry runs: quick (minutes on 2 cores) or at the paper's settings, how many seeds, where to write.</summary>
/// <param name="ReportOnly">Write the report from the cells already in OutDir (cells.jsonl), training nothing more.</param>
/// <param name="Only">Train only the cells whose "data|config" name contains this text (null: every cell).</param>
internal sealed record ReproRun(Context Ctx, string OutDir, bool Quick, int Seeds, bool ReportOnly = false, string? Only = null)
{
    public bool Selects(string cell) => Only is null || cell.Contains(Only, StringComparison.Ordinal);
}

internal sealed record ReproEntry(string Id, string Seed, string Title, string Claim, string? PlannedIn, Func<ReproRun, int>? Run)
{
    public string Status => Run is not null ? "runnable" : $"planned ({PlannedIn})";

    public static IReadOnlyList<ReproEntry> All { get; } =
    [
        new("003-rbm-solvers", "003 “Improving RBMs with physical chemistry” (Gabrié et al. 2015)",
            "RBM solver comparison: CD-1, PCD, naive mean field, TAP2, TAP3 (magnetisations from data and persistent), AIS test log-likelihood ± seed spread, independent-pixel baseline",
            "TAP2/TAP3 ≥ PCD > CD-1 in test log-likelihood", null, RbmSolverComparison.Run),
        new("003-rbm-samples", "003 “Improving RBMs with physical chemistry”",
            "The EMF (TAP2) RBM's samples and filters on mnist10k, with its AIS log-likelihood beside the independent-pixel baseline",
            "an EMF-trained RBM learns a generative model of the digits (samples of several classes)", null, RbmSamples.Run),
        new("000-fig9-right", "000 Fig. 9 right (Georgiev 2015)", "Gaussian vs Laplacian Gibbs machine: held-out bound per epoch, IS-NLL (k = 5000) ± s.e., D_var, active units", "Laplacian beats Gaussian", null, GmFigures.Fig9Right),
        new("000-fig4", "000 Fig. 4, §1.6, §3.3", "Creative regime: a Gibbs machine's samples, traversals and interpolations, and generative ACE with one latent per class on the 30-point grid −6…6", "varying one latent gives a smooth family of images; per class, rotation or scaling dominates", null, GmFigures.Fig4),
        new("000-fig1", "000 Fig. 1", "Q-Q plots of Gaussian log-likelihoods: linear layer vs with nonlinearity and dropout", "the network Gaussianises its layers", null, AceFigures.Fig1),
        new("000-fig2", "000 Fig. 2", "Projections on the conjugates of the most and least intricate images", "intricate conjugates give a highly non-Gaussian cloud, vanilla ones a Gaussian-looking one", null, AceFigures.Fig2),
        new("000-fig3", "000 Fig. 3", "The 30 lowest- and highest-entropy images of a class", "low-entropy images are intricate, high-entropy ones vanilla", null, AceFigures.Fig3),
        new("000-fig8", "000 Fig. 8", "Non-generative ACE vs the standard classifier: test error per epoch, Q-Q of the first hidden layer", "ACE lowers the error by 20–30 %", null, AceClassification.Fig8),
        new("000-fig9-left", "000 Fig. 9 left", "Generative ACE (Gaussian, Laplacian; + dual error) vs the standard classifier: test error per epoch", "ACE lowers the error by 20–30 %", null, AceClassification.Fig9Left),
        new("001-fig5", "001 Fig. 5 (Alemi & Fischer 2018)", "TherML toy: the hand-crafted optimal model (R = I(x; Z) = 0.5 nats) and its panel", "the optimal model's rate is I(x; Z)", null, ThermlFigures.Fig5),
        new("001-fig6", "001 Fig. 6", "TherML toy, supervised presets (deterministic, entropy-regularised, IB Lagrangian, Bayesian NN): R, D, C, S on 50 examples and exactly, ≥ 5 seeds, panels", "only σ > 0 variants avoid overfitting", null, ThermlFigures.Figure("6")),
        new("001-fig7", "001 Fig. 7", "TherML toy, VIB and entropy-regularised VIB", "only σ > 0 variants avoid overfitting", null, ThermlFigures.Figure("7")),
        new("001-fig8", "001 Fig. 8", "TherML toy, auto-encoder and entropy-regularised auto-encoder", "only σ > 0 variants avoid overfitting", null, ThermlFigures.Figure("8")),
        new("001-fig9", "001 Fig. 9 (caption garbled; reconstructed from §3)", "TherML toy, VAE, β-VAE, semi-supervised and entropy-regularised VAE", "only σ > 0 variants avoid overfitting", null, ThermlFigures.Figure("9")),
        new("001-fig10", "001 Fig. 10", "TherML toy, the full objective (σ = 0.5, γ = 1000, δ = 1, ρ = 0.9)", "only σ > 0 variants avoid overfitting", null, ThermlFigures.Figure("10")),
        new("001-frontier", "001 §3–4, App. F", "The (R, D, C, S) frontier on a (δ, γ, σ) grid: first-law residuals, Maxwell relations (eq. 30 and two more), K_D", "dR = −γdC − δdD − σdS; (∂δ/∂C)_D = (∂γ/∂D)_C", null, ThermlFigures.Frontier),
        new("002-fig2", "002 Fig. 2 (Kim & Bengio 2016)", "Deep energy model + generator on two-spirals, four-spin, ring8, grid25 with the MCMC-DEM and no-entropy ablations: exact held-out log-likelihood, KL to the true density, modes, high-quality share, samples-vs-energy KL ± seed spread; the panel",
            "the generator draws samples by the energy model's distribution and the energy fits the data, without MCMC", null, DemRepro.Fig2),
        new("002-fig3", "002 Fig. 3", "Fully connected DEM + generator on mnist10k and fashion-mnist: samples, z-interpolations, energy AUCs vs noise and vs the other set",
            "samples and interpolations pass through plausible digits", null, DemRepro.Fig3),
        new("003-ridge-transition", "003 “When regularization fails”", "Ridge risk vs N_instances at N_features ≈ N_instances as λ → 0: Gaussian designs (50 per point) against the theory curves; fashion-mnist and mnist10k pixels (3 subsets per n) with LOO, GCV, L-curve and test-optimal α",
            "the risk spikes at the transition; the optimum lies just below it", null, RidgeRepro.Transition),
        new("003-ridge-vs-logistic", "003 “When regularization fails”", "Ridge vs L2 logistic regression (L-BFGS on the engine) across the transition on fashion-mnist and mnist10k: test and training error, ‖w‖",
            "classification gets out of the hole; in regression the variance diverges, in classification the norm", null, RidgeRepro.VsLogistic),
        new("003-hopfield", "003 “Phase diagram of a Hopfield network”", "Retrieval overlap vs α = p/N for N = 500, 1000, 2000 (20 sets × 10 probes), the measured α_c, and Glauber dynamics at T = 0.2, 0.4",
            "breakdown near α_c ≈ 0.138", null, HopfieldRepro.Run),
    ];
}
