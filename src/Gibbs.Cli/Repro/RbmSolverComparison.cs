// `gibbs repro 003-rbm-solvers`: the RBM solver comparison of 003 ("Improving RBMs with physical
// chemistry", after Gabrié, Tramel & Krzakala 2015) — CD-1, PCD-1, naive mean field, TAP2 and TAP3 with
// magnetisations from each mini-batch and persistent — on mnist10k and fashion-mnist, several seeds per cell,
// held-out log-likelihood by AIS, with the independent-pixel baseline as a row. Each (data, solver, seed) cell
// is an independent unit appended to cells.jsonl, so an interrupted run continues where it stopped.
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.Models.Baselines;
using Gibbs.Models.Rbm;
using Gibbs.Optim;

namespace Gibbs.Cli.Repro;

internal static class RbmSolverComparison
{
    internal sealed record Config(string Name, RbmSolver Solver, TapInit Init);

    internal static readonly Config[] Configs =
    [
        new("cd", RbmSolver.Cd, TapInit.Data), new("pcd", RbmSolver.Pcd, TapInit.Data),
        new("naive/data", RbmSolver.Naive, TapInit.Data), new("naive/persistent", RbmSolver.Naive, TapInit.Persistent),
        new("tap2/data", RbmSolver.Tap2, TapInit.Data), new("tap2/persistent", RbmSolver.Tap2, TapInit.Persistent),
        new("tap3/data", RbmSolver.Tap3, TapInit.Data), new("tap3/persistent", RbmSolver.Tap3, TapInit.Persistent),
    ];

    /// <summary>Sizes: the EMF code's settings at full size; a small model for --quick.</summary>
    internal sealed record Sizes(string[] Datasets, int Hidden, int EpochsMnist, int EpochsFashion, int AisBetas);

    internal static Sizes For(bool quick) => quick
        ? new Sizes(["mnist10k"], 100, 15, 1, 2000)
        : new Sizes(["mnist10k", "fashion-mnist"], 500, 30, 10, 14500);

    internal static RbmTrainingOptions Options(Config c, int epochs, ulong seed) => new()
    {
        Solver = c.Solver, TapInit = c.Init, Epochs = epochs, BatchSize = 100, LearningRate = 0.005f, Momentum = 0.5f,
        Decay = DecayKind.L1, DecayRate = 1e-4f, TapIterations = 3, K = 1, Binarize = BinarizeMode.Threshold, Seed = seed,
    };

    public static int Run(ReproRun run)
    {
        var sizes = For(run.Quick);
        var cellsPath = Path.Combine(run.OutDir, "cells.jsonl");
        var cells = ReproCells.Load(cellsPath);
        var baselines = new JsonObject();
        foreach (var dataset in sizes.Datasets)
        {
            var train = Datasets.Load(dataset, DatasetSplit.Train);
            var test = Datasets.Load(dataset, DatasetSplit.Test);
            var xTrain = Binarize.Threshold(train.X);
            var xTest = Binarize.Threshold(test.X);
            baselines[dataset] = IndependentModels.BernoulliLogLikelihood(xTrain, xTest, train.Features);
            int epochs = dataset == "mnist10k" ? sizes.EpochsMnist : sizes.EpochsFashion;
            foreach (var c in Configs)
                for (int s = 1; s <= run.Seeds; s++)
                {
                    string key = $"{dataset}|{c.Name}|{s}|h{sizes.Hidden}|e{epochs}|b{sizes.AisBetas}";
                    if (cells.ContainsKey(key) || run.ReportOnly || !run.Selects($"{dataset}|{c.Name}")) continue;
                    run.Ctx.Say($"{dataset} {c.Name} seed {s}: training {epochs} epochs, {sizes.Hidden} hidden…");
                    var cell = RunCell(run, dataset, c, (ulong)s, epochs, sizes, xTrain, xTest, train.Features);
                    cell["key"] = key;
                    cells[key] = cell;
                    ReproCells.Save(cellsPath, cells);
                    run.Ctx.Say(string.Create(CultureInfo.InvariantCulture,
                        $"  test log-likelihood {(double)cell["test_ll"]!:F2} nats (AIS s.e. {(double)cell["logz_stderr"]!:F2}), {(double)cell["seconds_per_epoch"]!:F2} s/epoch"));
                }
        }
        var summary = ReproTables.SolverSummary(cells.Values.ToList(), sizes, baselines, run.Seeds);
        ReproTables.WriteSolverReport(run, summary, sizes, baselines);
        return 0;
    }

    private static JsonObject RunCell(ReproRun run, string dataset, Config c, ulong seed, int epochs, Sizes sizes, float[] xTrain, float[] xTest, int features)
    {
        using var rbm = new BernoulliRbm(features, sizes.Hidden);
        var options = Options(c, epochs, seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<RbmEpochReport> history;
        using (var trainer = new RbmTrainer(rbm, options, xTrain)) history = trainer.Fit();
        double trainSeconds = clock.Elapsed.TotalSeconds;
        using var scope = TensorScope.Begin();
        var test = Tensor.FromArray(xTest, [xTest.Length / features, features]);
        var train = Tensor.FromArray(xTrain, [xTrain.Length / features, features]);
        var ais = new AisOptions { Runs = 100, Betas = RbmCommandSchedule(sizes.AisBetas) };
        var scores = RbmEvaluation.Evaluate(rbm, test, LogZMethod.Ais, ais, train, seed);
        var models = Path.Combine(run.OutDir, "models");
        Directory.CreateDirectory(models);
        RbmFile.Save(rbm, Path.Combine(models, $"{dataset}-{c.Name.Replace('/', '-')}-seed{seed}.safetensors"));
        var last = history[^1];
        return new JsonObject
        {
            ["dataset"] = dataset, ["config"] = c.Name, ["solver"] = c.Solver.ToString().ToLowerInvariant(), ["init"] = c.Init.ToString().ToLowerInvariant(),
            ["seed"] = (int)seed, ["hidden"] = sizes.Hidden, ["epochs"] = epochs,
            ["test_ll"] = scores.MeanLogLikelihood, ["logz"] = scores.LogZ, ["logz_stderr"] = scores.LogZStdErr,
            ["test_pl"] = scores.PseudoLikelihood, ["emf_score"] = scores.TapScore, ["recon"] = scores.ReconstructionError,
            ["weight_norm"] = last.WeightNorm, ["seconds_per_epoch"] = trainSeconds / epochs,
            ["chain_distinct"] = Commands.TrainRun.Num(last.ChainDistinct), ["chain_distance"] = Commands.TrainRun.Num(last.ChainDistance),
            ["data_distance"] = Commands.TrainRun.Num(last.DataDistance),
            ["collapse_warnings"] = history.Count(h => h.Warning is not null),
            ["train_pl_curve"] = new JsonArray(history.Select(h => (JsonNode?)Commands.TrainRun.Num(h.PseudoLikelihood)).ToArray()),
        };
    }

    private static int[] RbmCommandSchedule(int betas) => Commands.RbmCommand.AisSchedule(100, betas).Betas;
}
