// `ace`: issue 11's speed goal — one generative-ACE training step (the trainer's own Step: classifier 784-700-700-700-10
// with maxout, batch norm and dropout, plus the class-conditional auto-encoder 784-700-100-700-784 per class on the rows
// grouped by class, both Adams) against the matching Gibbs-machine step (784-700-100-700-784, Laplacian, its trainer's
// Step) plus the classifier step (its trainer's Step), at the same batch, on the same real digits, alternating in rounds.
// Goal: ACE ≤ 1.4 × (Gibbs machine + classifier). Also the non-generative ACE step and generative ACE with the dual term.
using Gibbs.Models.Ace;
using Gibbs.Models.Gm;
using Gibbs.Rng;

namespace Gibbs.Bench;

public static class AceBench
{
    public static void Run(string[] args)
    {
        var (rounds, batches) = PeerBench.Parse(args, rounds: 5);
        Console.WriteLine($"CPU: {Timing.CpuModel()}, {Engine.Threads} threads; {Hardware.Date()}; load {Hardware.Load()}");
        Console.WriteLine("| batch | GM step (ms) | classifier step (ms) | GM + classifier (ms) | gen. ACE step (ms) | gen. ACE / (GM + classifier) | of which the auto-encoder's Adam (ms) | gen. ACE + dual (ms) | non-gen. ACE (ms) | rounds |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var train = Gibbs.Data.Datasets.Load("mnist10k", Gibbs.Data.DatasetSplit.Train);
        foreach (int batch in batches)
        {
            // Rows spread through the class-ordered split, so a batch holds every class.
            var rows = Enumerable.Range(0, batch).Select(i => (int)((long)i * train.Count / batch)).ToArray();
            var x = rows.SelectMany(r => train.X.AsSpan(r * 784, 784).ToArray()).ToArray();
            var y = rows.Select(r => train.Labels![r]).ToArray();
            var binary = GibbsMachineTrainer.TestBinarization(x);
            int steps = batch >= 1000 ? 5 : 20;
            var all = Enumerable.Range(0, batch).ToArray();

            using var gm = new GibbsMachine(GmArchitecture.Parse("784-700-100-700-784"), LatentFamilies.Get("laplace"), ReconstructionKind.Bernoulli, new Generator(1));
            using var gmTrainer = new GibbsMachineTrainer(gm, new GmTrainingOptions { BatchSize = batch, Binarize = Gibbs.Models.Rbm.BinarizeMode.None }, binary);
            using var gx = Tensor.FromArray(binary, [batch, 784]).Untrack();
            AceTrainer Ace(AceMode mode, bool dual)
            {
                var clf = new AceClassifier("784-700-700-700-10", new Generator(2), new Generator(3));
                var options = new AceTrainingOptions { Mode = mode, BatchSize = batch, Dual = dual, AeLearningRate = 2e-4f };
                return mode == AceMode.Generative
                    ? new AceTrainer(new GenerativeAce(clf, new ClassAutoEncoder(GmArchitecture.Parse("784-700-100-700-784"), 10, LatentFamilies.Get("laplace"), new Generator(4))), options, x, y)
                    : new AceTrainer(clf, options, x, y);
            }
            using var classifier = Ace(AceMode.Classifier, false);
            using var gen = Ace(AceMode.Generative, false);
            using var genDual = Ace(AceMode.Generative, true);
            using var nongen = Ace(AceMode.NonGenerative, true);
            // Each step builds its batch as training does (Rows: copy, group by class, binarise), then updates.
            Action Steps(AceTrainer t) => () => { for (int s = 0; s < steps; s++) { using var scope = TensorScope.Begin(); t.Step(t.Rows(x, y, all)); } };
            Action gmSteps = () => { for (int s = 0; s < steps; s++) { using var scope = TensorScope.Begin(); gmTrainer.Step(gx); } };
            var m = new List<double>[6];
            for (int i = 0; i < 6; i++) m[i] = [];
            // The Adam update alone over the auto-encoder's 10 decoders (10× a Gibbs machine's decoder weights): a floor
            // for the ratio at small batches, where the GEMMs are cheap and this update is not.
            Action adam = () => { for (int s = 0; s < steps; s++) gen.AeOptimizer!.Step(); };
            var ratios = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                double g = Timing.Median(gmSteps, 3, 1) / steps, c = Timing.Median(Steps(classifier), 3, 1) / steps, a = Timing.Median(Steps(gen), 3, 1) / steps;
                double ad = Timing.Median(Steps(genDual), 3, 1) / steps, n = Timing.Median(Steps(nongen), 3, 1) / steps;
                m[0].Add(g); m[1].Add(c); m[2].Add(a); m[3].Add(ad); m[4].Add(n); m[5].Add(Timing.Median(adam, 3, 1) / steps);
                ratios.Add(a / (g + c));
            }
            static double Med(List<double> v) { var s = v.Order().ToArray(); return s[s.Length / 2]; }
            string Ms(List<double> v) => $"{1000 * Med(v):F1} ({1000 * v.Min():F1}–{1000 * v.Max():F1})";
            Console.WriteLine($"| {batch} | {Ms(m[0])} | {Ms(m[1])} | {1000 * (Med(m[0]) + Med(m[1])):F1} | {Ms(m[2])} | {Med(ratios):F2} ({ratios.Min():F2}–{ratios.Max():F2}) | {Ms(m[5])} | {Ms(m[3])} | {Ms(m[4])} | {rounds} |");
        }
    }
}
