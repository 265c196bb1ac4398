// `gibbs repro 000-fig2` and `000-fig3` (000_c7b547386cdeff84.txt §1.4–1.5): observation entropies of raw digits —
// the 30 lowest- and highest-entropy 8s (Fig. 3), and the digits projected on the conjugates of the most and least
// intricate images (Fig. 2), with the numbers that say how non-Gaussian each is. Seconds on 2 cores; no training.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gibbs.Cli.Commands;
using Gibbs.Data;
using Gibbs.IO;

namespace Gibbs.Cli.Repro;

internal static class AceFigures
{
    public static int Fig3(ReproRun run)
    {
        var train = Datasets.Load("mnist10k", DatasetSplit.Train);
        var rows = Enumerable.Range(0, train.Count).Where(i => train.Labels![i] == 8).ToArray();
        var sel = train.Subset(rows);
        var m = EntropyCommand.Report(run.Ctx, sel, rows, sel.X, sel.Features, "mnist10k training 8s", run.OutDir, pictures: true);
        Write(run, "000-fig3 — the most and least intricate 8s", new[]
        {
            "Seed (000 §1.5, Fig. 3): ranked by Einstein entropy S_E = log p_G (Gaussian log-likelihood under the empirical covariance), the lowest-entropy images of a class are \"quite intricate\", the highest \"much more vanilla-looking\".",
            "",
            Inv($"Data: the {sel.Count} 8s of mnist10k's training split (the seed used full MNIST's). Covariance rank {(int)m["rank"]!} of 784 pixels (pseudo-inverse). −log p_G = {(double)m["nll_mean"]!:F1} ± {(double)m["nll_sd"]!:F1} nats. Mardia's kurtosis {(double)m["kurtosis"]!:F0} against {(double)m["kurtosis_gaussian"]!:F0} for Gaussian data of this rank."),
            "",
            "![top: 30 lowest-entropy 8s; bottom: 30 highest](intricates.png)",
            "",
            "The Q-Q plot of the squared Mahalanobis distances against their exact law for Gaussian data (Beta, since the rank is close to the number of rows, where the χ² approximation fails):",
            "",
            "![Q-Q](qq.png)",
        });
        return 0;
    }

    public static int Fig2(ReproRun run)
    {
        var train = Datasets.Load("mnist10k", DatasetSplit.Train);
        var rows = GmCommand.SpreadRows(train.Count, 5000); // the split is in class order: spread, not the first 5000
        var sel = train.Subset(rows);
        var m = EntropyCommand.Report(run.Ctx, sel, rows, sel.X, sel.Features, "5000 mnist10k training digits", run.OutDir, pictures: true);
        var c = (JsonObject)m["conjugate_projections"]!;
        string K(string tag) => string.Join(", ", ((JsonArray)c[tag]!["excess_kurtosis"]!).Select(v => ((double)v!).ToString("F1", CultureInfo.InvariantCulture)));
        Write(run, "000-fig2 — projections on the conjugates of intricate and vanilla digits", new[]
        {
            "Seed (000 §1.5, Fig. 2): the training images projected on the conjugates x̌ = xC⁻¹ of the least likely (most intricate) images form a highly non-Gaussian cloud; on those of the most likely images, a much more Gaussian-looking one.",
            "",
            Inv($"Data: 5000 training digits spread through mnist10k's training split. {(int)c["isolated_rows"]!} of them are alone in some direction of the data (a pixel only they use), so their conjugates see only themselves; the intricate pair is taken among the rest. Excess kurtosis of the projections (0 for Gaussian data): on the two most intricate conjugates {K("intricate")}; on the two highest-entropy ones {K("vanilla")}."),
            "",
            "![most intricate conjugates](conjugates-intricate.png)",
            "",
            "![highest-entropy conjugates](conjugates-vanilla.png)",
        });
        return 0;
    }

    /// <summary>Fig. 1: the first hidden layer of two classifiers 784-700-700-700-10 on mnist10k — a linear one (one-unit
    /// maxout, no dropout) and the seed's (two-unit maxout, dropout 0.2/0.5) — measured by observation entropies on the test
    /// split: the nonlinear, dropout-trained layer should be the more Gaussian one.</summary>
    public static int Fig1(ReproRun run)
    {
        int epochs = run.Quick ? 5 : 50;
        var train = Datasets.Load("mnist10k", DatasetSplit.Train);
        var test = Datasets.Load("mnist10k", DatasetSplit.Test);
        var rows = new List<string>();
        foreach (var (tag, maxout, pin, ph) in new[] { ("linear", 1, 0f, 0f), ("maxout-dropout", 2, 0.2f, 0.5f) })
        {
            var gen = new Rng.Generator(run.Ctx.Seed);
            using var model = new Gibbs.Models.Ace.AceClassifier("784-700-700-700-10", gen.Fork(0x696e6974), gen.Fork(0x64726f70), maxout, pin, ph);
            var options = new Gibbs.Models.Ace.AceTrainingOptions { Mode = Gibbs.Models.Ace.AceMode.Classifier, Epochs = epochs, BatchSize = 1000, Seed = run.Ctx.Seed };
            using var trainer = new Gibbs.Models.Ace.AceTrainer(model, options, train.X, train.Labels!);
            Progress.Run($"training the {tag} classifier", report => trainer.Fit(onBatch: (b, n) => report(trainer.Epoch + (double)b / n, epochs, null)));
            var error = trainer.Evaluate(test.X, test.Labels!).Error;
            float[] z;
            using (var scope = TensorScope.Begin())
                z = model.Layer(Tensor.FromArray(test.X, [test.Count, test.Features]), "hidden0").ToArray();
            var all = Enumerable.Range(0, test.Count).ToArray();
            var m = EntropyCommand.Report(run.Ctx, test, all, z, 700, $"first hidden layer, {tag}", Path.Combine(run.OutDir, tag), pictures: false);
            rows.Add(Inv($"| {tag} | {maxout} | {pin}/{ph} | {100 * error:F2} % | {(int)m["rank"]!} | {(double)m["kurtosis"]! / (double)m["kurtosis_gaussian"]!:F3} | ![]({tag}/qq.png) |"));
        }
        Write(run, "000-fig1 — Gaussianisation by nonlinearity and dropout", 
        [
            "Seed (000 §1.5, Fig. 1): Q-Q plots of the Gaussian negative log-likelihoods of the 10,000 MNIST test observations in layer 2 of the standard classifier 784-700-700-700-10: without dropout and nonlinearity highly non-Gaussian; with them \"severely Gaussianized\".",
            "",
            Inv($"Here: mnist10k (8,000 train, the 2,000 test rows in one batch), {epochs} epochs, batch 1000, Adam lr 0.0015·exp(−epoch/500); layer 2 = the first hidden layer after its batch normalisation. The seed's right plot had tanh in that layer; ours is two-unit maxout. Kurtosis ratio: Mardia's b₂ over its Gaussian value r(r + 2) (1 for Gaussian data)."),
            "",
            "| first layer | maxout units | dropout in/hidden | test error | covariance rank | kurtosis ratio | Q-Q |",
            "|---|---:|---|---:|---:|---:|---|",
            .. rows,
        ]);
        return 0;
    }

    private static void Write(ReproRun run, string title, IEnumerable<string> lines)
    {
        var md = new StringBuilder().AppendLine("# " + title).AppendLine();
        foreach (var l in lines) md.AppendLine(l);
        AtomicFile.Write(Path.Combine(run.OutDir, "README.md"), s => s.Write(Encoding.UTF8.GetBytes(md.ToString())));
        run.Ctx.Say(md.ToString());
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
