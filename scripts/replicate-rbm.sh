#!/usr/bin/env bash
# Reproduces docs/replication.md: Bernoulli RBMs with 500 hidden units trained by CD-1, PCD-1, TAP2 and
# TAP3 on binarised mnist10k and fashion-mnist, each evaluated on its test split — log Z by AIS
# (100 runs, 14,500 inverse temperatures), mean test log-likelihood, pseudo-likelihood, EMF score —
# with training curves in each model's report folder.
#   bash scripts/replicate-rbm.sh [OUT]   (env: EPOCHS_MNIST, EPOCHS_FASHION, LR, DECAY, DECAY_RATE, SEED, DATASETS, SOLVERS)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-reports/replication}
mkdir -p "$out"
lr=${LR:-0.01}
seed=${SEED:-42}
for data in ${DATASETS:-mnist10k fashion-mnist}; do
  epochs=$([[ $data == mnist10k ]] && echo "${EPOCHS_MNIST:-30}" || echo "${EPOCHS_FASHION:-10}")
  for solver in ${SOLVERS:-cd pcd tap2 tap3}; do
    model="$out/$data-$solver.safetensors"
    echo "== $data $solver ($epochs epochs)" >&2
    ./gibbs rbm train --data "$data" --binarize threshold --hidden 500 --solver "$solver" --k 1 --epochs "$epochs" \
      --batch 100 --lr "$lr" --momentum 0.5 --decay "${DECAY:-l2}" --decay-rate "${DECAY_RATE:-0.0001}" --seed "$seed" --out "$model" --json | tail -n 1 > "$out/$data-$solver.train.json"
    ./gibbs rbm eval --model "$model" --data "$data" --split test --binarize threshold --logz ais --seed "$seed" --json | tail -n 1 > "$out/$data-$solver.eval.json"
  done
done
/usr/bin/python3 scripts/replication-table.py "$out"
