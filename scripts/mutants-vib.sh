#!/usr/bin/env bash
# Mutation check for TherML at data scale (issue 12 item 6: the VIB, the presets, DataScaleTrainer): applies each known
# mutation — a flipped sign, a dropped term, logits averaged instead of probabilities, a piece of state forgotten — to a
# scratch copy of the tree, builds, runs the Vib tests, and reports which test caught it. Every mutation must be caught;
# the script exits 1 if one survives. Same machinery as scripts/mutants.sh (ids V1…, to be folded into it).
#   bash scripts/mutants-vib.sh          # all mutations
#   bash scripts/mutants-vib.sh V3 V7    # only those
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${TMPDIR:-/tmp}/gibbs-mutants-vib"
rm -rf "$work" && mkdir -p "$work"
(cd "$root" && tar --exclude=bin --exclude=obj --exclude=reports -cf - src tests Gibbs.sln Directory.Build.props Directory.Packages.props data) | (cd "$work" && tar -xf -)

# One mutation per line, fields separated by " ¦ ": id ¦ file ¦ exact text (must occur once) ¦ replacement ¦ what it breaks.
mapfile -t mutations <<'TABLE'
V1 ¦ src/Gibbs/Models/Therml/Vib.cs ¦ var z = noise is null ? mu : mu + sigma * noise ¦ var z = noise is null ? mu : mu - sigma * noise ¦ VIB: sign of the reparameterised draw
V2 ¦ src/Gibbs/Models/Therml/Vib.cs ¦ KlToStandard(mu, sigma.Log() * 2f) ¦ KlToStandard(mu, sigma.Log()) ¦ VIB: rate with log σ for log σ²
V3 ¦ src/Gibbs/Models/Therml/DataScaleObjective.cs ¦ var loss = rate * (float)Rho; ¦ var loss = rate * 0f; ¦ objective: the rate term (KL) dropped
V4 ¦ src/Gibbs/Models/Therml/Vib.cs ¦ return (logp.Exp().Mean(0), Rate(mu, sigma), logp); ¦ return (Logits(z).Mean(0).Softmax(1), Rate(mu, sigma), logp); ¦ VIB: test draws average logits, not probabilities
V5 ¦ src/Gibbs/Models/Therml/Vib.cs ¦ var h = x * 2f - 1f; ¦ var h = x; ¦ VIB: input not mapped to 2x − 1
V6 ¦ src/Gibbs/Models/Therml/Vib.cs ¦ (head.Slice(1, Latent, Latent) - ScaleOffset).Softplus() ¦ (head.Slice(1, Latent, Latent) + ScaleOffset).Softplus() ¦ VIB: sign of the scale offset (softplus(ρ + 5))
V7 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.cs ¦ new Adam(model.Parameters(), options.LearningRate, options.AdamBeta1) ¦ new Adam(model.Parameters(), options.LearningRate) ¦ trainer: Adam β₁ 0.9 instead of vib_demo's 0.5
V8 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.cs ¦ public LearningRateSchedule Schedule => new StepDecay(DecayEvery, DecayRate); ¦ public LearningRateSchedule Schedule => LearningRateSchedule.Constant; ¦ trainer: the 0.97 staircase ignored
V9 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.State.cs ¦ s.AddGenerator("noise", Generator); ¦ s.SetMeta("rng.noise", new Generator(Options.Seed).Snapshot()); ¦ checkpoint without the noise generator's position
V10 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.State.cs ¦ s.RestoreOptimizer(Optimizer); ¦ /* optimiser not restored */ ¦ resume without Adam's moments
V11 ¦ src/Gibbs/Models/Therml/BetaVae.cs ¦ return (terms.GenerativeError.Mean(), terms.ReconstructionError.Mean()); ¦ return (terms.ReconstructionError.Mean(), terms.GenerativeError.Mean()); ¦ β-VAE: R and D swapped (β on the distortion)
V12 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.cs ¦ var noise = o.DeterministicEncoder ? null : vib.Noise ¦ var noise = false ? null : vib.Noise ¦ deterministic preset trained with noise
V13 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.State.cs ¦ if (ArgMax(probs.AsSpan(i * c, c)) != y) wrong++; ¦ if (ArgMax(logp.AsSpan(i * c, c)) != y) wrong++; ¦ evaluation: the error of one draw reported as the 12-draw error
V14 ¦ src/Gibbs/Models/Therml/DataScaleTrainer.cs ¦ var binary = Tensor.Bernoulli(x, Generator); ¦ var binary = x.Clone(); ¦ β-VAE: dynamic binarisation skipped
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
  then echo "$id   ($what) could not be applied: the code changed; update scripts/mutants-vib.sh"; survivors=$((survivors+1)); mv "$work/$file.orig" "$work/$file"; continue; fi
  filter="FullyQualifiedName~Vib"
  if ! (cd "$work" && dotnet build tests/Gibbs.Tests/Gibbs.Tests.csproj -c Release -nologo -v q >"$work/build.log" 2>&1); then
    printf '%-3s %-58s %s\n' "$id" "$what" "(does not compile: not a useful mutation)"; survivors=$((survivors+1))
  else
    (cd "$work" && dotnet test tests/Gibbs.Tests/Gibbs.Tests.csproj -c Release --no-build -nologo \
        --filter "$filter" --logger "console;verbosity=normal" >"$work/test.log" 2>&1)
    caught=$(grep -oE '^\s+Failed [A-Za-z0-9_.]+' "$work/test.log" | awk '{print $2}' | sed 's/^Gibbs.Tests.//' | sort -u | head -4 | paste -sd ', ' -)
    if [[ -z "$caught" ]]; then printf '%-3s %-58s %s\n' "$id" "$what" "SURVIVED"; survivors=$((survivors+1))
    else printf '%-3s %-58s %s\n' "$id" "$what" "$caught"; fi
  fi
  mv "$work/$file.orig" "$work/$file"
done
if ((survivors)); then echo "mutants-vib.sh: $survivors mutation(s) not caught"; exit 1; fi
echo "mutants-vib.sh: every mutation was caught"
