#!/usr/bin/env bash
# Mutation check for the RBM trainer (issue 8), the Gibbs machine (issue 10), Linear's binary-input path, ACE (issue 11), TherML (issue 12) the deep energy model (issue 13: energy, entropy surrogate, trainer, true densities, measures) the Hopfield network and the ridge solver (issue 14), the CUDA backend's sums and the core's fused paths (issue 15): applies each known mutation — a flipped sign, a dropped term,
# a piece of state forgotten — to a scratch copy of the tree, builds, runs the RBM and Gibbs-machine tests, and reports which
# test caught it. Every mutation must be caught; the script exits 1 if one survives.
#   bash scripts/mutants.sh            # all mutations
#   bash scripts/mutants.sh 3 7        # only mutations 3 and 7
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${TMPDIR:-/tmp}/gibbs-mutants"
rm -rf "$work" && mkdir -p "$work"
(cd "$root" && tar --exclude=bin --exclude=obj --exclude=reports -cf - src tests Gibbs.sln Directory.Build.props Directory.Packages.props data) | (cd "$work" && tar -xf -)

# One mutation per line, fields separated by " ¦ ": id ¦ file ¦ exact text (must occur once) ¦ replacement ¦ what it breaks.
mapfile -t mutations <<'TABLE'
1 ¦ src/Gibbs/Models/Rbm/RbmTrainer.Gradients.cs ¦ alpha: -1f / n, beta: 1f ¦ alpha: 1f / n, beta: 1f ¦ sign of the positive-phase W term
2 ¦ src/Gibbs/Models/Rbm/RbmTrainer.Gradients.cs ¦ Tensor.MatMulInto(gV, onesData, v, alpha: -1f / n, beta: 1f); ¦ Tensor.MatMulInto(gV, onesData, v, alpha: 1f / n, beta: 1f); ¦ sign of the visible-bias data term
3 ¦ src/Gibbs/Models/Rbm/RbmTrainer.Gradients.cs ¦ Tensor.MatMulInto(gH, onesModel, negH, alpha: 1f / negH.Dim(0)); ¦ Tensor.MatMulInto(gH, onesModel, negH, alpha: -1f / negH.Dim(0)); ¦ sign of the hidden-bias model term
4 ¦ src/Gibbs/Optim/Optimizer.cs ¦ Decay == DecayKind.L1 ? (0f, DecayRate) ¦ Decay == DecayKind.L1 ? (0f, -DecayRate) ¦ sign of L1 weight decay
5 ¦ src/Gibbs/Models/Rbm/RbmTrainer.Gradients.cs ¦ _chainV!.CopyFrom(vk); ¦ _chainV!.CopyFrom(data.Dim(0) == _chainV.Dim(0) ? data : _chainV); ¦ PCD chains not persisted (restarted from the batch)
6 ¦ src/Gibbs/Models/Rbm/RbmTrainer.cs ¦ new Sgd(rbm.Parameters(), options.LearningRate, options.Momentum, ¦ new Sgd(rbm.Parameters(), options.LearningRate, options.IsTap ? 0f : options.Momentum, ¦ TAP momentum zeroed
7 ¦ src/Gibbs/Models/Rbm/RbmTrainer.Gradients.cs ¦ G(mh), transA: true), 2f * inv) ¦ G(mh), transA: true), 1f * inv) ¦ TAP3 coefficient of the negative phase
8 ¦ src/Gibbs/Models/Rbm/GaussianBernoulliRbm.cs ¦ Tensor.Randn(mean.Shape, gen, device: Device) * (LogVariance * 0.5f).Exp() ¦ Tensor.Randn(mean.Shape, gen, device: Device) * LogVariance.Exp() ¦ Gaussian sampling with the variance instead of the std
9 ¦ src/Gibbs/Models/Rbm/RbmTrainer.Gradients.cs ¦ (Rbm.FreeEnergy(v).Mean() - Rbm.FreeEnergy(vn.Detach()).Mean()) ¦ (Rbm.FreeEnergy(vn.Detach()).Mean() - Rbm.FreeEnergy(v).Mean()) ¦ sign of the Gaussian gradient
10 ¦ src/Gibbs/Models/Rbm/RbmTrainer.Gradients.cs ¦ (mv, mh) = (v.Clone(), ph.Clone()); ¦ (mv, mh) = (Tile(v, Chains).Clamp(0.5f, 0.5f), Tile(ph, Chains)); ¦ TAP magnetisations not started from the batch
11 ¦ src/Gibbs/Optim/Optimizer.cs ¦ _decayed = Parameters.Select(p => set is null || set.Contains(p)).ToArray(); ¦ _decayed = Parameters.Select(p => true).ToArray(); ¦ weight decay applied to the biases too
12 ¦ src/Gibbs/Models/Rbm/RbmTrainer.State.cs ¦ s.AddGenerator("train", Generator); ¦ /* generator not saved */ ¦ checkpoint without the generator's position
13 ¦ src/Gibbs/Models/Rbm/RbmTrainer.State.cs ¦ s.AddOptimizer(Optimizer); ¦ /* optimiser not saved */ ¦ checkpoint without the momentum buffers
14 ¦ src/Gibbs/Models/Rbm/RbmTrainer.Gradients.cs ¦ GibbsChain(rbm, v, ph, persistent: Options.Solver == RbmSolver.Pcd) ¦ GibbsChain(rbm, v, ph, persistent: true) ¦ CD keeps its chains (runs as PCD)
15 ¦ src/Gibbs/Models/Rbm/RbmTrainer.Gradients.cs ¦ for (int s = 0; s < Options.K; s++) ¦ for (int s = 0; s < 1; s++) ¦ CD-k / PCD-k run one sweep whatever k
16 ¦ src/Gibbs/Models/Gm/GibbsMachine.Objectives.cs ¦ dgen + rec - variance * 0.5f ¦ dgen + rec + variance * 0.5f ¦ GM: sign of the dvar correction
17 ¦ src/Gibbs/Models/Gm/GibbsMachine.Objectives.cs ¦ -(logW.LogSumExp(0) - MathF.Log(draws)) ¦ -logW.LogSumExp(0) ¦ GM: iwae without its 1/K
18 ¦ src/Gibbs/Models/Gm/Latents/LaplaceLatent.cs ¦ mu + logSigma.Exp() * (noise * B0) ¦ mu + logSigma.Exp() * noise ¦ GM: Laplace draws without the √0.5 scale
19 ¦ src/Gibbs/Models/Gm/Latents/GaussianLatent.cs ¦ KlToStandard(mu, logSigma * 2f) ¦ KlToStandard(mu, logSigma) ¦ GM: Gaussian D_gen with log σ for log σ²
20 ¦ src/Gibbs/Models/Gm/GibbsMachineTrainer.cs ¦ var loss = terms.Loss.Mean(); ¦ var loss = terms.Loss.Sum(); ¦ GM: batch loss summed, not averaged
21 ¦ src/Gibbs/Models/Gm/ImportanceSums.cs ¦ Math.Sqrt(VarianceOfMean(row, k)) / (_s1[row] / k); ¦ Math.Sqrt(VarianceOfMean(row, k)); ¦ GM: IS standard error not relative to the mean weight
22 ¦ src/Gibbs/Models/Gm/GibbsMachineTrainer.cs ¦ s.AddGenerator("train", Generator); ¦ /* generator not saved */ ¦ GM: checkpoint without the generator's position
23 ¦ src/Gibbs/Models/Gm/GibbsMachineTrainer.cs ¦ var b = Tensor.Bernoulli(t, Generator); ¦ var b = t.Clone(); ¦ GM: dynamic binarisation skipped
24 ¦ src/Gibbs/Models/Gm/GibbsMachineTrainer.cs ¦ Optimizer.LearningRate = Options.Schedule.Rate(Options.LearningRate, Epoch); ¦ Optimizer.LearningRate = Options.LearningRate; ¦ GM: learning-rate decay ignored
25 ¦ src/Gibbs/Models/Gm/GibbsMachine.Likelihood.cs ¦ bound[r0 + i] = dgen[i] - recSum[i] / k; ¦ bound[r0 + i] = -recSum[i] / k; ¦ GM: the reported bound without D_gen
26 ¦ src/Gibbs/Models/Gm/GmCanonicalWarp.cs ¦ gRho += -(vt - m) * dht + (ht - m) * dvt; ¦ gRho += (vt - m) * dht + (ht - m) * dvt; ¦ GM: warp gradient through the rotation, sign of one term
27 ¦ src/Gibbs/Models/Gm/GmCanonicalWarp.cs ¦ gb += g * (1 - inside); ¦ gb += g; ¦ GM: warp background gradient counts in-grid pixels
28 ¦ src/Gibbs/Models/Gm/GmCanonicalWarp.cs ¦ if (!f.Capped) gR += ¦ gR += ¦ GM: warp gradient through r below MinR (where the magnification is capped)
29 ¦ src/Gibbs/Models/Gm/GibbsMachine.cs ¦ GmCanonicalWarp.Apply(y, sym! * _symSd! + _symMean!, ¦ GmCanonicalWarp.Apply(y, sym! + _symMean!, ¦ GM: symmetry latents warp without their standardisation
30 ¦ src/Gibbs/Models/Gm/GmSymmetry.cs ¦ frame is not null && stats[i].IsEmpty ? frame.C : stats[i].R ¦ stats[i].R ¦ GM: empty images' r not set to C (Normalize and the warp disagree)
31 ¦ src/Gibbs/Nn/BinaryInput.cs ¦ for (; c < cw; c++) ¦ for (; c < cw - 1; c++) ¦ binary-input product: the last output column of the scalar tail dropped
32 ¦ src/Gibbs/Nn/BinaryInput.cs ¦ for (int t = 0; t < k; t++) colStart[cols[t] + 1]++; ¦ for (int t = 0; t < k; t++) colStart[cols[t]]++; ¦ binary-input weight gradient: column lists off by one feature
33 ¦ src/Gibbs/Nn/BinaryInput.cs ¦ new Vector<int>(-1))) return -1; ¦ new Vector<int>(-1))) { } ¦ binary-input path taken for grey (non-binary) inputs
34 ¦ src/Gibbs/Models/Ace/AceTrainer.cs ¦ loss = loss + (dual = DualReconstruction.Error(h, batch.X)); ¦ dual = DualReconstruction.Error(h, batch.X); ¦ ACE: the dual reconstruction error reported but not minimised
35 ¦ src/Gibbs/Models/Ace/AceTrainer.cs ¦ s.RestoreGenerator("dropout", Model.DropoutGenerator); ¦ /* dropout generator not restored */ ¦ ACE: resume without the dropout masks' position
36 ¦ src/Gibbs/Models/Ace/DualReconstruction.cs ¦ Tensor.MatMul(h, Tensor.MatMul(h, x, transA: true)) * inv; ¦ Tensor.MatMul(h, Tensor.MatMul(h, x, transA: true)); ¦ ACE: eq. 5.1 without its 1/B inside the sigmoid
37 ¦ src/Gibbs/Models/Ace/AceClassifier.cs ¦ if (i == 0) first = h = _firstNorm.Forward(h); ¦ if (i == 0) first = h; ¦ ACE: no batch normalisation on the first hidden layer
38 ¦ src/Gibbs/Models/Ace/ClassAutoEncoder.cs ¦ Head(hidden.Slice(0, start, counts[c]), c) ¦ Head(hidden.Slice(0, start, counts[c]), (c + 1) % Classes) ¦ gen. ACE: rows read another class's latent head
39 ¦ src/Gibbs/Models/Ace/ClassAutoEncoder.cs ¦ Decode(z, c)).Mean(0) ¦ Decode(z, 0)).Mean(0) ¦ gen. ACE: every class decoded by class 0's decoder
40 ¦ src/Gibbs/Models/Ace/ClassAutoEncoder.cs ¦ bounds.Add(dgen + rec); ¦ bounds.Add(rec); ¦ gen. ACE: the bound without D_gen
41 ¦ src/Gibbs/Models/Ace/ClassAutoEncoder.cs ¦ noise.Slice(1, start, counts[c]) ¦ noise.Slice(1, 0, counts[c]) ¦ gen. ACE: every class reuses the first rows' noise
42 ¦ src/Gibbs/Models/Ace/AceTrainer.cs ¦ AeOptimizer?.Step(); ¦ /* auto-encoder not stepped */ ¦ gen. ACE: the auto-encoder branch never updated
43 ¦ src/Gibbs/Models/Ace/AceTrainer.cs ¦ options.AeLearningRate ?? options.LearningRate); ¦ options.LearningRate); ¦ gen. ACE: the auto-encoder's own learning rate ignored
44 ¦ src/Gibbs/Models/Ace/AceTrainer.cs ¦ GroupedX = Tensor.Bernoulli(p, NoiseGenerator!) ¦ GroupedX = p.Clone() ¦ gen. ACE: dynamic binarisation skipped
45 ¦ src/Gibbs/Models/Ace/AceTrainer.cs ¦ if (NoiseGenerator is not null) s.AddGenerator("noise", NoiseGenerator); ¦ /* noise generator not saved */ ¦ gen. ACE: checkpoint without the latent-noise generator
46 ¦ src/Gibbs/Models/Ace/GenerativeAce.cs ¦ if (u < (acc += omega[i * Classes + c])) break; ¦ if (u < (acc = omega[i * Classes + c])) break; ¦ gen. ACE: mixture sampling ignores the cumulative ω
47 ¦ src/Gibbs/Models/Ace/GenerativeAce.cs ¦ kU += w * Math.Log(w * nc); ¦ kU += w * Math.Log(w); ¦ gen. ACE: uniform-prior bound with KL(ω‖π) missing log π
48 ¦ src/Gibbs/Models/Ace/GenerativeAce.cs ¦ LogSumExp(nc, c => logP[i, c] - Math.Log(nc)) ¦ LogSumExp(nc, c => logP[i, c]) ¦ gen. ACE: uniform-prior NLL without π_c = 1/C
49 ¦ src/Gibbs/Models/Gm/ImportanceSums.cs ¦ Max[row] + Math.Log(_s1[row] / k); ¦ Max[row] + Math.Log(_s1[row]); ¦ IS estimate without its 1/k (Gibbs machine and generative ACE)
50 ¦ src/Gibbs/Models/Therml/ToyData.cs ¦ double lo = i == 0 ? 0 : Distributions.Normal.Cdf(Edge(i), mean); ¦ double lo = Distributions.Normal.Cdf(Edge(i), mean); ¦ TherML toy: the first bin does not take the lower tail
51 ¦ src/Gibbs/Models/Therml/ToyData.cs ¦ if (MutualInformation(Joint(mid)) < target) lo = mid; else hi = mid; ¦ if (MutualInformation(Joint(mid)) > target) lo = mid; else hi = mid; ¦ TherML toy: bisection in the wrong direction
52 ¦ src/Gibbs/Models/Ace/GenerativeAce.cs ¦ Latent.Sample(mu, logSigma, noise.IndexSelect(0, pick)), c) ¦ Latent.Sample(mu, logSigma, noise.IndexSelect(0, pick)), 0) ¦ gen. ACE: mixture samples all decoded by class 0's decoder
53 ¦ src/Gibbs/Models/Therml/ThermlToyModel.cs ¦ weights = EncoderWeight * (alpha * -0.5f + alpha.Sqrt() * xi).Exp(); ¦ weights = EncoderWeight * (alpha.Sqrt() * xi).Exp(); ¦ TherML toy: log-normal noise without its −α/2 (E[ε] ≠ 1)
54 ¦ src/Gibbs/Models/Therml/ThermlToyModel.cs ¦ (alpha + gap.Square()) * (1f / s2) ¦ gap.Square() * (1f / s2) ¦ TherML toy: S without the posterior variance term
55 ¦ src/Gibbs/Models/Therml/ThermlToyModel.cs ¦ - 1f) * 0.5f + (float)Math.Log(2); ¦ - 1f) * 0.5f; ¦ TherML toy: S without the sign's log 2
56 ¦ src/Gibbs/Models/Therml/ThermlToyModel.cs ¦ (weighted * (logE - logQ)).Sum() ¦ (weighted * logE).Sum() ¦ TherML toy: the rate without the marginal q(z)
57 ¦ src/Gibbs/Models/Therml/ThermlToyModel.cs ¦ logD.Transpose().Reshape(1, X, K) ¦ logD.Reshape(1, X, K) ¦ TherML toy: the decoder read as q(z|x) (transposed)
58 ¦ src/Gibbs/Models/Therml/ThermlToyTrainer.cs ¦ c * (float)m.Gamma) * examples ¦ c * (float)m.Delta) * examples ¦ TherML: C weighted by δ instead of γ
59 ¦ src/Gibbs/Models/Therml/ThermlToyTrainer.cs ¦ (float)(0.5 * m.Sigma / (s * s)) ¦ (float)(0.5 / (s * s)) ¦ TherML Langevin: the prior not multiplied by the temperature σ
60 ¦ src/Gibbs/Models/Therml/ThermlToyTrainer.cs ¦ onExact = model.Evaluate(exact, xi); ¦ onExact = model.Evaluate(train, xi); ¦ TherML: the exact-distribution report is the training one
61 ¦ src/Gibbs/Models/Therml/TabularChannels.cs ¦ c -= pxy[x, y] * e * _logClassifier[z, y]; ¦ c -= px * e * _logClassifier[z, y]; ¦ TherML: C weighs every label by p(x), not p(x, y)
62 ¦ src/Gibbs/Models/Therml/ThermlToyTrainer.cs ¦ optimizer.LearningRate = Rate(options, step); ¦ optimizer.LearningRate = options.LearningRate; ¦ TherML: annealing ignored
63 ¦ src/Gibbs/Optim/Optimizers.cs ¦ MathF.Sqrt(2f * RateOf(i) * Temperature) ¦ MathF.Sqrt(RateOf(i) * Temperature) ¦ SGLD: noise √(ηT) instead of √(2ηT) (temperature halved)
64 ¦ src/Gibbs/Models/Therml/Frontier.cs ¦ double d = 0.5 * (a.Delta + b.Delta), ¦ double d = a.Delta, ¦ TherML frontier: first law with the left multiplier (first order)
65 ¦ src/Gibbs/Models/Therml/Frontier.cs ¦ FrontierCube.Relative(m[0, 1], m[1, 0]) ¦ FrontierCube.Relative(m[0, 1], m[0, 1]) ¦ TherML frontier: eq. 30 compared with itself
66 ¦ src/Gibbs/Models/Therml/Vib.cs ¦ var z = noise is null ? mu : mu + sigma * noise ¦ var z = noise is null ? mu : mu - sigma * noise ¦ VIB: sign of the reparameterised draw
67 ¦ src/Gibbs/Models/Therml/Vib.cs ¦ KlToStandard(mu, sigma.Log() * 2f) ¦ KlToStandard(mu, sigma.Log()) ¦ VIB: rate with log σ for log σ²
68 ¦ src/Gibbs/Models/Therml/DataScaleObjective.cs ¦ var loss = rate * (float)Rho; ¦ var loss = rate * 0f; ¦ objective: the rate term (KL) dropped
69 ¦ src/Gibbs/Models/Therml/Vib.cs ¦ return (logp.Exp().Mean(0), Rate(mu, sigma), logp); ¦ return (Logits(z).Mean(0).Softmax(1), Rate(mu, sigma), logp); ¦ VIB: test draws average logits, not probabilities
70 ¦ src/Gibbs/Models/Therml/Vib.cs ¦ var h = x * 2f - 1f; ¦ var h = x; ¦ VIB: input not mapped to 2x − 1
71 ¦ src/Gibbs/Models/Therml/Vib.cs ¦ (head.Slice(1, Latent, Latent) - ScaleOffset).Softplus() ¦ (head.Slice(1, Latent, Latent) + ScaleOffset).Softplus() ¦ VIB: sign of the scale offset (softplus(ρ + 5))
72 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.cs ¦ new Adam(model.Parameters(), options.LearningRate, options.AdamBeta1) ¦ new Adam(model.Parameters(), options.LearningRate) ¦ trainer: Adam β₁ 0.9 instead of vib_demo's 0.5
73 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.cs ¦ public LearningRateSchedule Schedule => new StepDecay(DecayEvery, DecayRate); ¦ public LearningRateSchedule Schedule => LearningRateSchedule.Constant; ¦ trainer: the 0.97 staircase ignored
74 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.State.cs ¦ s.AddGenerator("noise", Generator); ¦ s.SetMeta("rng.noise", new Generator(Options.Seed).Snapshot()); ¦ checkpoint without the noise generator's position
75 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.State.cs ¦ s.RestoreOptimizer(Optimizer); ¦ /* optimiser not restored */ ¦ resume without Adam's moments
76 ¦ src/Gibbs/Models/Therml/BetaVae.cs ¦ return (terms.GenerativeError.Mean(), terms.ReconstructionError.Mean()); ¦ return (terms.ReconstructionError.Mean(), terms.GenerativeError.Mean()); ¦ β-VAE: R and D swapped (β on the distortion)
77 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.cs ¦ var noise = o.DeterministicEncoder ? null : vib.Noise ¦ var noise = false ? null : vib.Noise ¦ deterministic preset trained with noise
78 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.State.cs ¦ if (ArgMax(probs.AsSpan(i * c, c)) != y) wrong++; ¦ if (ArgMax(logp.AsSpan(i * c, c)) != y) wrong++; ¦ evaluation: the error of one draw reported as the 12-draw error
79 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.cs ¦ var binary = Tensor.Bernoulli(x, Generator); ¦ var binary = x.Clone(); ¦ β-VAE: dynamic binarisation skipped
80 ¦ src/Gibbs/Models/Dem/ModeCoverage.cs ¦ per.Count(c => c >= share * n) ¦ per.Count(c => c > share * n) ¦ DEM mode coverage: a mode with exactly 1 % of the samples not covered
81 ¦ src/Gibbs/Models/Dem/GridNormaliser.cs ¦ return max + Math.Log(sum) + 2 * Math.Log(h); ¦ return max + Math.Log(sum) + Math.Log(h); ¦ DEM grid normaliser: the cell area h² counted once
82 ¦ src/Gibbs/Models/Dem/GridNormaliser.cs ¦ if (wide - logZ > tolerance) ¦ if (wide - fine > tolerance) ¦ DEM grid normaliser: the box check mixes two spacings
83 ¦ src/Gibbs/Models/Dem/DeepEnergyModel.cs ¦ return quadratic - linear - experts; ¦ return quadratic + linear - experts; ¦ DEM energy: sign of the bᵀx term
84 ¦ src/Gibbs/Models/Dem/DeepEnergyModel.cs ¦ var quadratic = x.Square().Sum(1) * (-_logSigma2).Exp(); ¦ var quadratic = x.Square().Sum(1) * 0f; ¦ DEM energy: the xᵀx/σ² term dropped
85 ¦ src/Gibbs/Models/Dem/DeepEnergyModel.cs ¦ x.Square().Sum(1) * (-_logSigma2).Exp() ¦ x.Square().Sum(1) * _logSigma2.Exp() ¦ DEM energy: xᵀx·σ² for xᵀx/σ²
86 ¦ src/Gibbs/Models/Dem/DeepEnergyModel.cs ¦ i == _features.Count - 1 ? FeatureActivation : Hidden ¦ i == 0 ? FeatureActivation : Hidden ¦ DEM energy: the bounded activation on the first hidden layer, not the feature layer
87 ¦ src/Gibbs/Models/Dem/DeepEnergyModel.cs ¦ sigma2 = 2 * variance; ¦ sigma2 = variance; ¦ DEM init: σ² = v, so the quadratic part has variance v/2
88 ¦ src/Gibbs/Models/Dem/DeepGenerator.cs ¦ var term = g.Square().Log().Sum() * 0.5f; ¦ var term = g.Log().Sum() * 0.5f; ¦ DGM entropy: ½ log(2πe γ) for ½ log(2πe γ²)
89 ¦ src/Gibbs/Models/Dem/DemTrainer.cs ¦ (positive - negative).Backward(); ¦ (negative - positive).Backward(); ¦ DEM trainer: sign of the energy step
90 ¦ src/Gibbs/Models/Dem/DemTrainer.cs ¦ energy - entropy * (float)Options.EntropyWeight ¦ energy + entropy * (float)Options.EntropyWeight ¦ DEM trainer: the generator minimises its entropy
91 ¦ src/Gibbs/Models/Dem/DemTrainer.cs ¦ Options.EntropyWeight == 0 ? energy : energy - entropy * (float)Options.EntropyWeight ¦ energy - entropy ¦ DEM trainer: the entropy weight ignored (no ablation)
92 ¦ src/Gibbs/Models/Dem/DemTrainer.cs ¦ EnergyOptimizer.ZeroGrad();   // the energy's ¦ /* not zeroed */   // the energy's ¦ DEM trainer: the generator step leaves gradients on the energy
93 ¦ src/Gibbs/Models/Dem/DemTrainer.Negatives.cs ¦ noise = MathF.Sqrt(2 * eta); ¦ noise = MathF.Sqrt(eta); ¦ DEM Langevin: noise √η for √(2η) (temperature halved)
94 ¦ src/Gibbs/Models/Dem/DemTrainer.Negatives.cs ¦ var next = chains - grad * eta ¦ var next = chains + grad * eta ¦ DEM Langevin: climbs the energy
95 ¦ src/Gibbs/Models/Dem/DemTrainer.Negatives.cs ¦ chains.CopyFrom(next); ¦ /* chains not moved */ ¦ DEM Langevin: the chains never move
96 ¦ src/Gibbs/Models/Dem/DemTrainer.Negatives.cs ¦ xs[2 * s] = (float)(-b + (cell % points + Random.NextDouble()) * h); ¦ xs[2 * s] = (float)(-b + (cell / points + Random.NextDouble()) * h); ¦ DEM grid negatives: x read from the cell's row
97 ¦ src/Gibbs/Models/Dem/DemTrainer.State.cs ¦ if (_chains is not null) s.SetTensor("trainer.chains", _chains); ¦ /* chains not saved */ ¦ DEM checkpoint without the Langevin chains
98 ¦ src/Gibbs/Models/Dem/DemTrainer.State.cs ¦ _chains.CopyFrom(saved); ¦ /* chains not restored */ ¦ DEM resume: the Langevin chains not restored
99 ¦ src/Gibbs/Models/Dem/DemTrainer.State.cs ¦ s.RestoreGenerator("dem", Random); ¦ /* generator not restored */ ¦ DEM resume without the random stream's position
100 ¦ src/Gibbs/Models/Dem/TrueDensity.cs ¦ double jac = Math.Abs(1 - SpinRate * Math.Exp(r) * t); ¦ double jac = 1; ¦ four-spin density without its Jacobian
101 ¦ src/Gibbs/Models/Dem/TrueDensity.cs ¦ Math.Log(sum * dt) + Math.Log(0.5) ¦ Math.Log(sum * dt) + Math.Log(0.25) ¦ two-spirals density: arm weight ¼ for ½
102 ¦ src/Gibbs/Models/Dem/TrueDensity.cs ¦ Math.Log(2 * theta / (top * top)) ¦ Math.Log(1 / top) ¦ two-spirals density: θ uniform, not θ = 3π√u (still normalised)
103 ¦ src/Gibbs/Models/Dem/TrueDensity.cs ¦ for (int k = 0; k < 4; k++) ¦ for (int k = 0; k < 3; k++) ¦ four-spin density: an arm missing
104 ¦ src/Gibbs/Models/Dem/DemEvaluation2d.cs ¦ mass[^1] = Math.Max(1 - inside, 1e-300); ¦ mass[^1] = 1e-300; ¦ DEM sample KL: no model mass outside the box
105 ¦ src/Gibbs/Models/Dem/DemEvaluation2d.cs ¦ Math.Exp(-e[r * fine + c] - logZ) * h * h ¦ Math.Exp(-e[r * fine + c] - logZ) * h ¦ DEM sample KL: bin masses with the cell's side for its area
106 ¦ src/Gibbs/Models/Dem/DemEvaluation2d.cs ¦ - 0.5 * Math.Log(det); ¦ - Math.Log(det); ¦ Gaussian baseline: log det Σ not halved
107 ¦ src/Gibbs/Models/Dem/DemImages.cs ¦ double rank = 0.5 * (i + 1 + j); ¦ double rank = j; ¦ image AUC: ties take the highest rank, not the mean
108 ¦ src/Gibbs/Models/Hopfield/HopfieldNetwork.cs ¦ j[(long)i * n + i] = 0; ¦ /* diagonal kept */ ¦ Hopfield: self-couplings J_ii = p/N kept
109 ¦ src/Gibbs/Models/Hopfield/HopfieldNetwork.cs ¦ double d = 2.0 * now; ¦ double d = now; ¦ Hopfield: a flip moves the fields by J, not 2J
110 ¦ src/Gibbs/Models/Hopfield/HopfieldNetwork.cs ¦ Math.Exp(-2 * h[i] / temperature) ¦ Math.Exp(-h[i] / temperature) ¦ Glauber: the temperature doubled
111 ¦ src/Gibbs/Models/Hopfield/HopfieldNetwork.cs ¦ int want = h[i] > 0 ? 1 : h[i] < 0 ? -1 : s[i]; ¦ int want = h[i] >= 0 ? 1 : -1; ¦ Hopfield: a zero field sets +1 instead of keeping the state
112 ¦ src/Gibbs/Models/Hopfield/HopfieldCapacity.cs ¦ if (a.MeanOverlap >= threshold && b.MeanOverlap < threshold) ¦ if (b.MeanOverlap < threshold) ¦ Hopfield α_c: the first point below the threshold even when the curve starts below it
113 ¦ src/Gibbs/Models/Ridge/RidgeSvd.cs ¦ _s[i] / (_s[i] * _s[i] + alpha) ¦ _s[i] / (_s[i] * _s[i] + 2 * alpha) ¦ ridge: λ counted twice (not scikit-learn's alpha)
114 ¦ src/Gibbs/Models/Ridge/RidgeSvd.cs ¦ phi[i] = _s[i] > Tolerance ? _s[i] / ( ¦ phi[i] = _s[i] > 0 ? _s[i] / ( ¦ ridge: no rank tolerance (λ = 0 divides by round-off singular values)
115 ¦ src/Gibbs/Models/Ridge/RidgeSvd.Selection.cs ¦ double e = r / d; ¦ double e = r; ¦ ridge LOO: the residuals not divided by 1 − Hᵢᵢ
116 ¦ src/Gibbs/Models/Ridge/RidgeSvd.Selection.cs ¦ trace[a] = n - fa.Sum() - (FitIntercept ? 1 : 0); ¦ trace[a] = n - fa.Sum(); ¦ ridge GCV: tr(I − H) without the intercept's degree of freedom
117 ¦ src/Gibbs/Models/Ridge/RidgeTheory.cs ¦ return r2 * lambda * lambda * dm + sigma2 ¦ return r2 * lambda * dm + sigma2 ¦ ridge theory: the bias term r²λ²m′ with λ once
118 ¦ src/Gibbs/Models/Ridge/RidgeTheory.cs ¦ sigma2 * p / (n - p - 1.0) ¦ sigma2 * p / (n - p + 0.0) ¦ ridge theory: the finite-n variance σ²p/(n − p) without the −1
119 ¦ src/Gibbs/Models/Ridge/RidgeTransition.cs ¦ double scale = Math.Sqrt(r2 / w.Sum(v => v * v)); ¦ double scale = Math.Sqrt(1 / w.Sum(v => v * v)); ¦ ridge sweep: w* drawn with ‖w*‖ = 1 whatever r²
120 ¦ src/Gibbs/Models/Ridge/RidgeTransition.cs ¦ y[i] = s + sigma * Normal(gen); ¦ y[i] = s + sigma2 * Normal(gen); ¦ ridge sweep: noise scaled by σ² instead of σ
121 ¦ src/Gibbs/Models/Ridge/RidgeTransition.cs ¦ RidgeTheory.Ridge(alpha / n, ¦ RidgeTheory.Ridge(alpha, ¦ ridge sweep: the theory given scikit-learn's alpha as the per-sample λ
122 ¦ src/Gibbs/Models/Ridge/RidgeTransition.cs ¦ var svd = RidgeSvd.Fit(x, y, intercept: true); ¦ var svd = RidgeSvd.Fit(x, y, intercept: false); ¦ image sweep: ridge without its intercept
123 ¦ src/Gibbs/Models/Ridge/RidgeTransition.cs ¦ if ((yhat[i, 0] >= 0 ? 1 : -1) != y[i]) wrong++; ¦ if ((yhat[i, 0] >= 0 ? -1 : 1) != y[i]) wrong++; ¦ image sweep: the error counts the right signs
124 ¦ src/Gibbs/Models/Ridge/RidgeTransition.cs ¦ MinBy(i => onGrid[i].TestMse) ¦ MaxBy(i => onGrid[i].TestMse) ¦ image sweep: the oracle takes the worst alpha
125 ¦ src/Gibbs/Models/Ridge/RidgeTransition.cs ¦ return (mean, v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0); ¦ return (mean, v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length) : 0); ¦ sweep summary: the population s.d., not the sample s.d.
126 ¦ src/Gibbs/Models/Ridge/RidgeTransition.cs ¦ alpha <= 1e-6 ? RidgeTheory.RidgelessFinite ¦ alpha < 1e-6 ? RidgeTheory.RidgelessFinite ¦ ridge sweep: λ = 1e-6 compared with the asymptotic ridge risk
127 ¦ src/Gibbs/Models/Ridge/LogisticRegression.cs ¦ return data + w.Square().Sum() * penalty; ¦ return data - w.Square().Sum() * penalty; ¦ logistic: sign of the L2 penalty
128 ¦ src/Gibbs/Models/Ridge/LogisticRegression.cs ¦ if (b is not null) z = z + b; ¦ if (b is not null) z = z + b.Detach(); ¦ logistic: no gradient reaches the intercept
129 ¦ src/Gibbs/Models/Ridge/LogisticRegression.cs ¦ return data + w.Square().Sum() * penalty; ¦ return data + w.Square().Sum() * penalty + (b ?? w).Square().Sum() * (b is null ? 0f : penalty); ¦ logistic: intercept penalised
130 ¦ src/Gibbs/Models/Ridge/LogisticRegression.cs ¦ penalty = (float)(alpha / (2.0 * n)) ¦ penalty = (float)(alpha / (4.0 * n)) ¦ logistic: alpha halved (not scikit-learn's C = 1/alpha)
131 ¦ src/Gibbs/Optim/Lbfgs.cs ¦ Axpy(-a, _y[j], d); ¦ Axpy(a, _y[j], d); ¦ L-BFGS: wrong sign in the two-loop recursion
132 ¦ src/Gibbs/Backends/Cpu/Lapack/OpenBlasLapack.cs ¦ if (pinOneThread && blas.Threads != 1) blas.SetThreads(1); ¦ if (false && blas.Threads != 1) blas.SetThreads(1); ¦ dgesdd on whatever OpenBLAS thread count was last set (thread-dependent bits)
133 ¦ src/Gibbs/Models/Ridge/RidgeSvd.Selection.cs ¦ else Par.For(n, SweepChunk, Run); ¦ else Par.For(n, Math.Max(SweepChunk, n / Engine.Threads), Run); ¦ ridge sweep: the row split depends on the thread count
134 ¦ src/Gibbs/Models/Ridge/RidgeSvd.Selection.cs ¦ Math.Abs(_uty[target * _s.Length + i]) ¦ _uty[target * _s.Length + i] ¦ Picard depends on the singular vectors' sign convention
135 ¦ src/Gibbs/Models/Ridge/RidgeSvd.Selection.cs ¦ r[i, k] = hat is null ? v : v / d; ¦ r[i, k] = v; ¦ LooResiduals not divided by 1 − Hᵢᵢ
136 ¦ src/Gibbs.Cuda/Kernels/ReduceKernels.cs ¦ for (int p = 0; p < parts; p++) acc += partial ¦ for (int p = 0; p < parts - 1; p++) acc += partial ¦ CUDA two-pass sum: the last chunk dropped
137 ¦ src/Gibbs.Cuda/Kernels/ReduceKernels.cs ¦ for (int j = lo; j < hi; j++) acc += x[b + (long)j * inner]; ¦ for (int j = lo; j < lo + chunk; j++) acc += x[b + (long)j * inner]; ¦ CUDA column partials: the short last chunk read past n
138 ¦ src/Gibbs.Cuda/Kernels/ReduceKernels.cs ¦ for (int j = lo + tid; j < hi; j += dim) acc += x[b + j]; ¦ for (int j = lo + tid; j < hi - 1; j += dim) acc += x[b + j]; ¦ CUDA row partials: each chunk's last element dropped
139 ¦ src/Gibbs.Cuda/IlgpuBackend.cs ¦ Tf32 && _cublas is not null ? 11 : 24 ¦ Tf32 ? 11 : 24 ¦ TF32 tolerance claimed where the float32 ILGPU kernel computes GEMM
140 ¦ src/Gibbs/Models/Rbm/RbmTrainer.Gradients.cs ¦ Tensor.MatMulInto(gH, onesData, ph, alpha: -1f / n, beta: 1f); ¦ Tensor.MatMulInto(gH, onesData, ph, alpha: -1f / n, beta: 0f); ¦ hidden-bias gradient without its model term (β = 0 overwrites it)
141 ¦ src/Gibbs/Tensors/Tensor.Nn.cs ¦ : g * d) : null, null] ¦ : g) : null, null] ¦ fused BCE: the backward drops σ(z) − t
142 ¦ src/Gibbs/Tensors/Tensor.Nn.cs ¦ g * (logits.Sigmoid() - targets) : g * d ¦ g * d : g * d ¦ fused BCE: the rule under createGraph not recorded
143 ¦ src/Gibbs/Tensors/Tensor.Fused.cs ¦ BiasGrads(g * (1f - y.Square()), x) ¦ BiasGrads(g * (1f + y.Square()), x) ¦ fused bias+tanh: sign in tanh′
144 ¦ src/Gibbs/Tensors/Tensor.Fused.cs ¦ x[1].NeedsGrad ? SumTo(gs, x[1].Shape) : null] ¦ null] ¦ fused bias+activation: the bias gradient dropped
145 ¦ src/Gibbs/Tensors/Tensor.Fused.cs ¦ BiasGrads(g * BiasActivation(x[0], x[1], UnaryOp.Sigmoid), x) ¦ BiasGrads(g * BiasActivation(x[0], x[1], UnaryOp.Tanh), x) ¦ fused bias+softplus: tanh for softplus′
146 ¦ src/Gibbs/Tensors/Tensor.Fused.cs ¦ (g * eps).Reshape(scale._shape) ¦ g.Reshape(scale._shape) ¦ fused reparameterisation: the scale gradient without ε
147 ¦ src/Gibbs/Tensors/Tensor.Fused.cs ¦ g.Backend.Random(kind, seed, counter, eps.Storage ¦ g.Backend.Random(kind, seed, counter + 1, eps.Storage ¦ fused reparameterisation: ε redrawn from the wrong counter
148 ¦ src/Gibbs/Tensors/Tensor.Fused.cs ¦ ulong counter = gen.Reserve(y.Length); ¦ ulong counter = gen.Reserve(y.Length + 4); ¦ fused RBM draw: the generator advanced differently from Bernoulli
TABLE

want=("$@")
survivors=0
printf '%-3s %-58s %s\n' "id" "mutation" "caught by"
for m in "${mutations[@]}"; do
  id="${m%% ¦ *}"; rest="${m#* ¦ }"
  file="${rest%% ¦ *}"; rest="${rest#* ¦ }"
  from="${rest%% ¦ *}"; rest="${rest#* ¦ }"
  to="${rest%% ¦ *}"; what="${rest#* ¦ }"
  if ((${#want[@]})) && [[ ! " ${want[*]} " =~ " $id " ]]; then continue; fi
  cp "$work/$file" "$work/$file.orig"
  if ! python3 - "$work/$file" "$from" "$to" <<'PY'
import sys
path, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
s = open(path).read()
n = s.count(old)
if n != 1:
    sys.exit(f"mutation text found {n} times in {path}: {old!r}")
open(path, 'w').write(s.replace(old, new))
PY
  then echo "$id   ($what) could not be applied: the code changed; update scripts/mutants.sh"; survivors=$((survivors+1)); mv "$work/$file.orig" "$work/$file"; continue; fi
  # The tests of the code a mutation touches: the Gibbs machine's for src/Gibbs/Models/Gm, the engine's and the Gibbs
  # machine's for src/Gibbs/Nn, the RBM's otherwise.
  if [[ "$file" == */Models/Gm/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Gm"
  elif [[ "$file" == */Models/Ace/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Ace"
  elif [[ "$file" == */Models/Therml/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Therml"
  elif [[ "$file" == */Models/Hopfield/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Hopfield"
  elif [[ "$file" == */Models/Ridge/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Ridge"
  elif [[ "$file" == */Models/Dem/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Data.ModeSets|FullyQualifiedName~Gibbs.Tests.Dem."   # ModeSetsTests and every class in namespace Gibbs.Tests.Dem
  elif [[ "$file" == src/Gibbs.Cuda/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Cuda"
  elif [[ "$file" == src/Gibbs/Tensors/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Cuda.FusedHook|FullyQualifiedName~Gibbs.Tests.Core"
  elif [[ "$file" == */Optim/Lbfgs.cs || "$file" == */Backends/Cpu/Lapack/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Ridge"
  elif [[ "$file" == */Optim/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Rbm|FullyQualifiedName~Gibbs.Tests.Cli.Resume|FullyQualifiedName~Gibbs.Tests.Therml"
  elif [[ "$file" == */Nn/* ]]; then filter="FullyQualifiedName~Gibbs.Tests.Core|FullyQualifiedName~Gibbs.Tests.Gm"
  else filter="FullyQualifiedName~Gibbs.Tests.Rbm|FullyQualifiedName~Gibbs.Tests.Cli.Resume"; fi
  if ! (cd "$work" && dotnet build tests/Gibbs.Tests/Gibbs.Tests.csproj -c Release -nologo -v q >"$work/build.log" 2>&1); then
    printf '%-3s %-58s %s\n' "$id" "$what" "(does not compile: not a useful mutation)"; survivors=$((survivors+1))
  else
    (cd "$work" && dotnet test tests/Gibbs.Tests/Gibbs.Tests.csproj -c Release --no-build -nologo \
        --filter "$filter" --logger "console;verbosity=normal" >"$work/test.log" 2>&1)
    caught=$(grep -oE '^\s+Failed [A-Za-z0-9_.]+' "$work/test.log" | awk '{print $2}' | sed 's/^Gibbs.Tests.//' | sort -u | head -4 | paste -sd ', ' -)
    # A mutation that crashes the test host (an out-of-bounds read in a kernel, say) aborts the run: CI fails, so it is caught.
    [[ -z "$caught" ]] && grep -q "Test Run Aborted" "$work/test.log" && caught="(test host crashed: run aborted)"
    if [[ -z "$caught" ]]; then printf '%-3s %-58s %s\n' "$id" "$what" "SURVIVED"; survivors=$((survivors+1))
    else printf '%-3s %-58s %s\n' "$id" "$what" "$caught"; fi
  fi
  mv "$work/$file.orig" "$work/$file"
done
if ((survivors)); then echo "mutants.sh: $survivors mutation(s) not caught"; exit 1; fi
echo "mutants.sh: every mutation was caught"
