// `gm`: one Gibbs-machine training step (encoder, reparameterised draw, decoder, bound, backward, Adam — the trainer's
// own Step) of the seed's 784-700-400-700-784 net against the identical step in PyTorch (bench/peers/torch_gm.py),
// for Gaussian and Laplacian latents at batch 100 and 1000, alternating rounds (PeerBench), on the same binary digits.
using Gibbs.Models.Gm;
using Gibbs.Rng;

namespace Gibbs.Bench;

public static class GmBench
{
    public static void Run(string[] args)
    {
        var (rounds, batches) = PeerBench.Parse(args);
        double peak = PeerBench.Header("latent, batch");
        var digits = Gibbs.Data.Datasets.Load("mnist10k", Gibbs.Data.DatasetSplit.Test).X;
        foreach (var latent in new[] { "gaussian", "laplace" })
            foreach (int batch in batches)
            {
                int steps = batch >= 1000 ? 10 : 40;
                var gen = new Generator(1);
                using var model = new GibbsMachine(GmArchitecture.Parse("784-700-400-700-784"), LatentFamilies.Get(latent), ReconstructionKind.Bernoulli, gen);
                // Real binary digits, as training sees them: the first rows of mnist10k's fixed binary test draw (the
                // peer times the same rows), 13% ones — what Linear's binary-input path is for.
                var data = GibbsMachineTrainer.PrepareEvaluation(model, Gibbs.Models.Rbm.BinarizeMode.Dynamic, digits)[..(batch * 784)];
                using var trainer = new GibbsMachineTrainer(model, new GmTrainingOptions { BatchSize = batch, Binarize = Gibbs.Models.Rbm.BinarizeMode.None }, data);
                using var x = Tensor.FromArray(data, [batch, 784]).Untrack();
                void Steps()
                {
                    for (int s = 0; s < steps; s++)
                    {
                        using var scope = TensorScope.Begin();
                        trainer.Step(x);
                    }
                }
                // forward 2·B·Σ(in·out) over the five GEMMs (two heads), backward twice that.
                double flops = 3 * 2.0 * batch * (784 * 700 + 2 * 700 * 400 + 400 * 700 + 700 * 784);
                PeerBench.Row($"{latent}, {batch}", Steps, steps,
                    () => PeerBench.Peer("torch_gm.py", $"time --batch {batch} --steps {steps} --runs 3 --latent {latent}"), flops, rounds, peak);
            }
    }
}
