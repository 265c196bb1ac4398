#!/usr/bin/env bash
# scripts/device-run.sh — runs on the GPU machine (through the device tool) from the repository root: unpacks the
# self-contained build that scripts/device.sh packed into .device/pack, then runs the named steps, logging each
# to $OUT/<step>.log (OUT defaults to ./device-out). Steps: info selftest selftest-tf32 train bench bench-quick.
# selftest-tf32 runs the self-test with --tf32 (normwise tolerance 1e-2).
# Usage there: bash scripts/device-run.sh info selftest train bench
set -uo pipefail
OUT="${OUT:-$PWD/device-out}"; mkdir -p "$OUT"
root="$PWD/.device"
# Always unpack: a warm machine keeps the last call's ignored files, which may be an older build.
rm -rf "$root/gibbs" "$root/lib"
tar -C "$root" -xJf "$root/pack/pack.tar.xz" || { echo "cannot unpack $root/pack/pack.tar.xz: run scripts/device.sh here first"; exit 2; }
g="$root/gibbs/gibbs"
export LD_LIBRARY_PATH="$root/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export GIBBS_OPENBLAS="$root/lib/libopenblas.so.0"
# libcublas: the CUDA toolkit's, else the one PyTorch's wheels carry.
if ! ldconfig -p | grep -q libcublas.so && [[ -z "${GIBBS_CUBLAS:-}" ]]; then
  c=$(ls /usr/local/cuda/lib64/libcublas.so.* 2>/dev/null | head -1)
  [[ -z "$c" ]] && c=$(python3 -c 'import nvidia.cublas, os; d=os.path.join(list(nvidia.cublas.__path__)[0], "lib"); print(os.path.join(d, sorted(f for f in os.listdir(d) if f.startswith("libcublas.so"))[0]))' 2>/dev/null)
  [[ -n "$c" ]] && export GIBBS_CUBLAS="$c"
fi
export GIBBS_PEER_PYTHON="${GIBBS_PEER_PYTHON:-$(command -v python3)}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
step() { local name=$1; shift; echo "== $name: $*"; local t0=$SECONDS; "$@" >"$OUT/$name.log" 2>&1; local rc=$?; echo "   rc=$rc in $((SECONDS - t0)) s"; tail -n "${TAILN:-15}" "$OUT/$name.log"; }
for s in "$@"; do
  case "$s" in
    info) nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$OUT/nvidia-smi.log"
          echo "GIBBS_CUBLAS=${GIBBS_CUBLAS:-}"; step info "$g" info ;;
    selftest) step selftest "$g" selftest --device cuda --verbose ;;
    selftest-tf32) step selftest-tf32 "$g" selftest --device cuda --tf32 --verbose ;;
    train)
      d="$OUT/train"; mkdir -p "$d"
      for dev in cpu cuda; do
        step rbm-$dev "$g" rbm train --data mnist10k --binarize threshold --hidden 200 --solver pcd --epochs 2 --seed 1 --device $dev --out "$d/rbm-$dev.safetensors" --json
        step gm-$dev "$g" gm train --data mnist10k --latent laplace --arch 784-200-50-200-784 --epochs 2 --seed 1 --device $dev --out "$d/gm-$dev.safetensors" --json
        step ace-$dev "$g" ace train --mode nongen --data mnist10k --epochs 2 --seed 1 --device $dev --out "$d/ace-$dev.safetensors" --json
        step therml-$dev "$g" therml train --preset vib --beta 1e-3 --data mnist10k --epochs 2 --seed 1 --device $dev --out "$d/therml-$dev" --json
        step dem-$dev "$g" dem train --data two-spirals --epochs 2 --seed 1 --device $dev --out "$d/dem-$dev" --json
      done
      # The same runs on both devices, side by side: the last JSON line of each log.
      python3 - "$OUT" <<'PY' | tee "$OUT/train-summary.log"
import json, sys, os
keys = {"rbm": ["pseudo_likelihood", "reconstruction_error", "seconds_per_epoch"], "gm": ["objective", "heldout_bound", "seconds_per_epoch"],
        "ace": ["test_error", "test_cross_entropy", "seconds_per_epoch"], "therml": ["test_error", "test_rate_bits", "seconds"],
        "dem": ["log_likelihood", "kl_data_to_dem", "seconds"]}
def last(m, dev):
    with open(os.path.join(sys.argv[1], f"{m}-{dev}.log")) as f:
        j = json.loads([l for l in f if l.startswith("{")][-1])
    if m == "gm": j["objective"] = j["epochs"][-1]["objective"]; j["heldout_bound"] = j["epochs"][-1]["heldout_bound"]
    if m == "dem": j.update({k: j["two_d"][k] for k in ("log_likelihood", "kl_data_to_dem")})
    return j
print("| model | metric | cpu | cuda |\n|---|---|---:|---:|")
for m, ks in keys.items():
    try: c, g = last(m, "cpu"), last(m, "cuda")
    except Exception as e: print(f"| {m} | missing: {e} | | |"); continue
    for k in ks: print(f"| {m} | {k} | {c[k]:.6g} | {g[k]:.6g} |")
PY
      ;;
    profile-ae|profile-rbm)
      # Per-kernel GPU time of one training step under Nsight Compute (the bench brackets one step with cuProfilerStart/Stop).
      ncu=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
      [[ -z "$ncu" ]] && { echo "ncu not found"; continue; }
      "$ncu" --profile-from-start off --clock-control none --metrics gpu__time_duration.sum --csv --log-file "$OUT/$s.csv" \
        "$root/gibbs/Gibbs.Bench" cuda --what "$s" --batches "${BATCH:-1000}" >"$OUT/$s.log" 2>&1; echo "   ncu rc=$?"
      python3 - "$OUT/$s.csv" <<'PY' | tee "$OUT/$s-summary.log"
import csv, sys, collections, re
rows = [r for r in csv.DictReader(l for l in open(sys.argv[1]) if l.startswith('"')) if r.get("Metric Name") == "gpu__time_duration.sum"]
step = rows
unit = {"nsecond": 1e-3, "ns": 1e-3, "usecond": 1.0, "us": 1.0, "msecond": 1e3, "ms": 1e3}
agg = collections.defaultdict(lambda: [0, 0.0])
for r in step:
    name = re.sub(r"\(.*", "", r["Kernel Name"])[:60]
    agg[name][0] += 1; agg[name][1] += float(r["Metric Value"].replace(",", "")) * unit.get(r["Metric Unit"], 1.0)
total = sum(v[1] for v in agg.values())
print(f"{len(step)} kernels in one step, {total:.1f} µs of GPU time")
print("| kernel | launches | µs | share |\n|---|---:|---:|---:|")
for k, (n, us) in sorted(agg.items(), key=lambda kv: -kv[1][1]):
    print(f"| {k} | {n} | {us:.1f} | {100 * us / total:.0f}% |")
PY
      ;;
    bench) step bench "$root/gibbs/Gibbs.Bench" cuda --rounds 3 ;;
    bench-quick) step bench "$root/gibbs/Gibbs.Bench" cuda --rounds 1 --sizes 4096 ;;
    *) echo "unknown step $s" ;;
  esac
done
