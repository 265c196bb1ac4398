#!/usr/bin/env python3
"""Turns the JSON results of scripts/replicate-rbm.sh into the Markdown table of docs/replication.md."""
import json, os, sys

out = sys.argv[1] if len(sys.argv) > 1 else "reports/replication"
print("| data | solver | epochs | s/epoch | test log-likelihood (AIS, nats) | log Z ± s.e. | pseudo-LL (test) | EMF score (test) | recon. MSE |")
print("|---|---|---|---|---|---|---|---|---|")
for data in ("mnist10k", "fashion-mnist"):
    for solver in ("cd", "pcd", "tap2", "tap3"):
        base = os.path.join(out, f"{data}-{solver}")
        try:
            t = json.load(open(base + ".train.json"))
            e = json.load(open(base + ".eval.json"))
        except (OSError, ValueError):
            continue
        f = lambda v: "–" if v is None else f"{v:.2f}"
        ll, lo, hi = e["mean_log_likelihood"], e["log_likelihood_low"], e["log_likelihood_high"]
        print(f"| {data} | {solver} | {len(t['epochs'])} | {t['seconds_per_epoch']:.2f} | {f(ll)} (3σ: {f(lo)} … {f(hi)}) | "
              f"{f(e['logz'])} ± {f(e['logz_stderr'])} | {f(e['pseudo_likelihood'])} | {f(e['emf_score'])} | {e['reconstruction_error']:.4f} |")
