// Training App. H's toy (001_ada2633fde8fc741.txt): the 184-parameter model on 50 examples (finite) or on the exact
// p(x, y) (infinite), for a set of multipliers, 10,000 full-batch steps, evaluated against the exact distribution.
// Two routes to S (issue 12, item 2):
//   Noise    — minimise J = N·(ρR + δD + γC) + σS with Adam, S the closed-form divergence of the encoder weights'
//              log-normal noise (ThermlToyModel.Entropy); R, D, C averaged over fresh noise draws each step.
//   Langevin — σ as a temperature (§3.1): SGLD on U = N·(ρR + δD + γC) − σ log q(θ) at temperature σ, whose stationary
//              density is q(θ)·exp[−N(ρR + δD + γC)/σ] (eq. 24) with q(θ) = N(0, s²) per parameter; the functionals are
//              averages over the second half of the chain (S has no closed form there and is not reported).
// N = Examples (50) in both variants, so R, D, C enter as sums over a data set as the seed defines them (R ≡ Σᵢ Rᵢ)
// and σ keeps the same meaning with infinite data. Reported R, D, C are per example.
using Gibbs.Optim;
using Gibbs.Rng;

namespace Gibbs.Models.Therml;

public enum ThermlRoute { Noise, Langevin }

public sealed record ThermlToyOptions
{
    public required Multipliers Multipliers { get; init; }
    public int Steps { get; init; } = 10_000;

    /// <summary>Adam's rate (Noise) or SGLD's step η (Langevin).</summary>
    public float LearningRate { get; init; } = 0.03f;

    /// <summary>N: the finite data set's size, and the scale of R, D, C in the objective in both variants.</summary>
    public int Examples { get; init; } = 50;

    /// <summary>Train on the exact p(x, y) instead of N drawn examples.</summary>
    public bool Infinite { get; init; }

    public ThermlRoute Route { get; init; } = ThermlRoute.Noise;

    /// <summary>Cosine-anneal the rate from LearningRate to 1 % of it over the steps (converged end points for the frontier).</summary>
    public bool Anneal { get; init; }

    /// <summary>Noise draws of the encoder weights per step (Noise route).</summary>
    public int Draws { get; init; } = 1;

    /// <summary>Noise draws for evaluation; the same draws (a fixed stream) for every run, so runs compare without MC noise between them.</summary>
    public int EvalDraws { get; init; } = 256;

    /// <summary>s of the Langevin route's prior q(θ) = N(0, s²) on every parameter.</summary>
    public double PriorSd { get; init; } = 10;

    /// <summary>History every this many steps (and the Langevin route's samples in its second half).</summary>
    public int LogEvery { get; init; } = 100;

    public ulong Seed { get; init; }

    public ThermlToyOptions Validate()
    {
        if (Steps < 1) throw new GibbsException($"steps must be ≥ 1, got {Steps}");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new GibbsException($"the learning rate must be a positive number, got {LearningRate}");
        if (Examples < 1) throw new GibbsException($"the finite data set needs at least 1 example, got {Examples}");
        if (Draws < 1 || EvalDraws < 1) throw new GibbsException($"noise draws must be ≥ 1, got {Draws} (training) and {EvalDraws} (evaluation)");
        if (!(PriorSd > 0) || !double.IsFinite(PriorSd)) throw new GibbsException($"the prior s.d. must be a positive number, got {PriorSd}");
        if (LogEvery < 1) throw new GibbsException($"the history interval must be ≥ 1 step, got {LogEvery}");
        return this;
    }
}

/// <summary>One history row: the step, the objective and the functionals on the training distribution.</summary>
public readonly record struct ThermlToyStep(int Step, double Objective, double R, double D, double C, double S);

/// <summary>A trained toy: the model, its functionals on the training distribution and the exact one, and the history.</summary>
public sealed class ThermlToyRun(ThermlToyModel model, ThermlToyOptions options, double[,] train, double[,] exact, (int[] X, int[] Y)? data,
                                 Functionals onTrain, Functionals onExact, TabularChannels channels, IReadOnlyList<ThermlToyStep> history)
{
    public ThermlToyModel Model { get; } = model;
    public ThermlToyOptions Options { get; } = options;

    /// <summary>p(x, y) the model was trained on (empirical or exact).</summary>
    public double[,] Train { get; } = train;

    /// <summary>The exact p(x, y).</summary>
    public double[,] Exact { get; } = exact;

    /// <summary>The finite data set, or null for the infinite variant.</summary>
    public (int[] X, int[] Y)? Data { get; } = data;

    public Functionals OnTrain { get; } = onTrain;
    public Functionals OnExact { get; } = onExact;

    /// <summary>The components averaged over the evaluation draws (Noise) or the chain's samples (Langevin): the panel's q(z|x) etc.</summary>
    public TabularChannels Channels { get; } = channels;

    public IReadOnlyList<ThermlToyStep> History { get; } = history;

    /// <summary>J on the training distribution (sums over N examples, S included).</summary>
    public double Objective => Options.Multipliers.Objective(OnTrain, Options.Examples);
}

public static class ThermlToyTrainer
{
    /// <summary>The seed of the evaluation noise draws, the same for every run (common random numbers).</summary>
    public const ulong EvaluationSeed = 0x7E57_5EED_0001;

    /// <summary>Trains one toy model; <paramref name="progress"/> gets the step count every LogEvery steps.</summary>
    public static ThermlToyRun Train(ThermlToyOptions options, ToyData? data = null, IProgress<ThermlToyStep>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        data ??= ToyData.AppendixH;
        var root = new Generator(options.Seed);
        var exact = data.Exact();
        (int[] X, int[] Y)? sample = options.Infinite ? null : data.Sample(options.Examples, root.Fork(1));
        var train = sample is { } s ? ToyData.Empirical(s.X, s.Y) : exact;
        var model = new ThermlToyModel(root.Fork(2));
        var noise = root.Fork(3);
        var m = options.Multipliers;
        using var pxy = Tensor.FromArray(ToFloat(train), [ToyData.Bins, 2]).Untrack();
        var history = new List<ThermlToyStep>();
        var samples = new List<(Functionals Train, Functionals Exact, TabularChannels Channels)>();
        bool langevin = options.Route == ThermlRoute.Langevin;
        var parameters = langevin ? model.Parameters().Where(p => p != model.LogAlpha).ToList() : model.Parameters().ToList();
        using Optimizer optimizer = langevin
            ? new Sgld(parameters, options.LearningRate, (float)m.Sigma, noise.Fork(1))
            : new Adam(parameters, options.LearningRate);
        for (int step = 1; step <= options.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = TensorScope.Begin();
            optimizer.LearningRate = Rate(options, step);
            var xi = langevin ? null : ThermlToyModel.Noise(options.Draws, noise);
            var (objective, r, d, c) = Objective(model, m, pxy, xi, options.Examples, langevin ? options.PriorSd : null);
            optimizer.ZeroGrad();
            objective.Backward();
            optimizer.Step();
            if (step % options.LogEvery == 0 || step == options.Steps)
            {
                double sv = langevin ? double.NaN : model.Entropy().Item();
                var row = new ThermlToyStep(step, objective.Item(), r.Item(), d.Item(), c.Item(), sv);
                if (!double.IsFinite(row.Objective))
                    throw new GibbsException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"training diverged by step {step} (the objective is {row.Objective}) at {(langevin ? "SGLD step" : "learning rate")} {options.LearningRate:G3} with {m}; " +
                        $"use a smaller --lr (the gradient grows with N times the largest multiplier; try {options.LearningRate / (10 * Math.Max(1, Math.Max(m.Rho, Math.Max(m.Delta, m.Gamma)) / 10)):0.#E+0})"));
                history.Add(row);
                progress?.Report(row);
                if (langevin && step > options.Steps / 2)
                {
                    var tab = model.Tabulate(null)[0];
                    samples.Add((tab.Evaluate(train), tab.Evaluate(exact), tab));
                }
            }
        }
        Functionals onTrain, onExact;
        TabularChannels channels;
        if (langevin)
        {
            onTrain = Mean(samples.Select(t => t.Train));
            onExact = Mean(samples.Select(t => t.Exact));
            channels = TabularChannels.Mean(samples.Select(t => t.Channels).ToList());
        }
        else
        {
            using var xi = ThermlToyModel.Noise(options.EvalDraws, new Generator(EvaluationSeed)).Untrack();
            onTrain = model.Evaluate(train, xi);
            onExact = model.Evaluate(exact, xi);
            channels = TabularChannels.Mean(model.Tabulate(xi));
        }
        return new ThermlToyRun(model, options, train, exact, sample, onTrain, onExact, channels, history);
    }

    /// <summary>The rate of step <paramref name="step"/> (1-based): constant, or with Anneal η₀·(0.01 + 0.99·½(1 + cos(π(t − 1)/T))).</summary>
    public static float Rate(ThermlToyOptions options, int step) => options.Anneal
        ? (float)(options.LearningRate * (0.01 + 0.99 * 0.5 * (1 + Math.Cos(Math.PI * (step - 1) / options.Steps))))
        : options.LearningRate;

    /// <summary>
    /// The objective training minimises, with R, D, C per example: J = N·(ρR + δD + γC) + σS (Noise route: S the encoder
    /// noise's divergence, <paramref name="xi"/> its draws), or, with <paramref name="langevinPriorSd"/> = s, the Langevin
    /// route's potential U = N·(ρR + δD + γC) + σ·|θ|²/(2s²) (−σ log q(θ) up to a constant; noise-free weights).
    /// </summary>
    public static (Tensor Objective, Tensor R, Tensor D, Tensor C) Objective(ThermlToyModel model, Multipliers m, Tensor pxy, Tensor? xi, int examples,
                                                                             double? langevinPriorSd = null)
    {
        var (r, d, c) = model.Terms(pxy, langevinPriorSd is null ? xi : null);
        var data = (r * (float)m.Rho + d * (float)m.Delta + c * (float)m.Gamma) * examples;
        if (m.Sigma == 0) return (data, r, d, c);
        Tensor regulariser = langevinPriorSd is { } s
            ? model.Parameters().Where(p => p != model.LogAlpha).Select(p => p.Square().Sum()).Aggregate((a, b) => a + b) * (float)(0.5 * m.Sigma / (s * s))
            : model.Entropy() * (float)m.Sigma;
        return (data + regulariser, r, d, c);
    }

    private static Functionals Mean(IEnumerable<Functionals> all)
    {
        var list = all.ToList();
        return new Functionals(list.Average(f => f.R), list.Average(f => f.D), list.Average(f => f.C), double.NaN);
    }

    private static float[] ToFloat(double[,] p)
    {
        var v = new float[p.Length];
        int k = 0;
        foreach (var x in p) v[k++] = (float)x;
        return v;
    }
}
