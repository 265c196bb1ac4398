#!/usr/bin/python3
"""Why persistent TAP magnetisations collapse: an independent rebuild of Boltzmann.jl's EMF training loop.

A float64 numpy re-implementation of Boltzmann.jl's `fit` / `fit_batch!` / `equilibrate` (sphinxteam/Boltzmann.jl,
src/Training.jl and src/SamplingEMF.jl): persistent magnetisations start at `batch` random data rows with
m_h = P(h|v); each update runs 3 damped (0.5) TAP2 iterations from the previous update's magnetisations,
visible first; the weight step is lr/batch · (positive − negative − TAP2 correction) + momentum · previous step,
L1 decay on W, biases without momentum. Nothing here calls Gibbs.

It logs, per update, how far the persistent rows are from one another (max over rows of ‖m_i − m_0‖∞) and how
many distinct rows are left, and the map's contraction per update (distance after / distance before).
Usage: /usr/bin/python3 scripts/tap_persistent_collapse.py [--persist-after EPOCHS] [--epochs N] [--seed S]
"""
import argparse, gzip, os, sys
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--persist-after", type=int, default=0, help="epochs of data-restarted magnetisations first")
ap.add_argument("--hidden", type=int, default=500)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--order", choices=["naive", "tap2"], default="tap2")
a = ap.parse_args()

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
with gzip.open(os.path.join(root, "mnist10k-images-idx3-ubyte.gz")) as f:
    x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
X = (x[:8000] / 255.0 > 0.5).astype(np.float64)          # the train split gibbs uses for mnist10k
rng = np.random.default_rng(a.seed)
B, H, V = 100, a.hidden, 784
lr, mom, l1, iters, damp = 0.005 / B, 0.5, 0.01, 3, 0.5
p = X.mean(0).clip(1e-3, 1 - 1e-3)
W = rng.normal(0, 0.01, (H, V)); bv = np.log(p / (1 - p)); bh = np.zeros(H); dW_prev = np.zeros_like(W)
sig = lambda z: 1 / (1 + np.exp(-z))


def equilibrate(mv, mh):
    W2 = W * W
    for _ in range(iters):
        fv = mh @ W + bv
        if a.order == "tap2": fv += ((mh - mh * mh) @ W2) * (0.5 - mv)
        mv = damp * sig(fv) + (1 - damp) * mv
        fh = mv @ W.T + bh
        if a.order == "tap2": fh += ((mv - mv * mv) @ W2.T) * (0.5 - mh)
        mh = damp * sig(fh) + (1 - damp) * mh
    return mv, mh


def spread(m): return np.abs(m - m[0]).max()
def distinct(m): return len({r.tobytes() for r in m})


cv = X[rng.choice(len(X), B, replace=False)]; ch = sig(cv @ W.T + bh)
print(f"# {a.order}, persistent after {a.persist_after} epochs, {H} hidden, seed {a.seed}")
print("epoch update  spread(m_v)  contraction  distinct  |W|_F")
step = 0
for epoch in range(a.epochs):
    persistent = epoch >= a.persist_after
    for i in range(0, len(X), B):
        v = X[i:i + B]; hp = sig(v @ W.T + bh)
        before = spread(cv)
        vn, hn = equilibrate(*(cv, ch) if persistent else (v, hp))
        if persistent: cv, ch = vn, hn
        dW = lr * (hp.T @ v - hn.T @ vn)
        if a.order == "tap2": dW -= lr * ((hn - hn * hn).T @ (vn - vn * vn)) * W
        dW -= lr * l1 * np.sign(W)
        dW += mom * dW_prev
        W += dW; dW_prev = dW
        bh += lr * (hp.sum(0) - hn.sum(0)); bv += lr * (v.sum(0) - vn.sum(0))
        step += 1
        if persistent:
            after = spread(cv)
            k = step - a.persist_after * (len(X) // B)
            if k <= 12 or k % 20 == 0 or i + B >= len(X):
                c = after / before if before > 0 else float("nan")
                print(f"{epoch + 1:5d} {step:6d}  {after:11.3e}  {c:11.3e}  {distinct(cv):8d}  {np.linalg.norm(W):6.2f}")
    sys.stdout.flush()
