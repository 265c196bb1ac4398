#!/usr/bin/env python3
"""Peer for `Gibbs.Bench rbm`: scikit-learn's BernoulliRBM (PCD-1) on binarised Fashion-MNIST.

Usage: /usr/bin/python3 bench/peers/sklearn_rbm.py [--batch 100] [--hidden 500] [--epochs 1] [--lr 0.01]
Prints seconds per epoch and the mean pseudo-likelihood (sklearn's score_samples) on 10,000 training rows.
"""
import argparse, gzip, time
import numpy as np
from sklearn.neural_network import BernoulliRBM

def load(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[4:8], "big")
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, 784).astype(np.float64) / 255.0

ap = argparse.ArgumentParser()
ap.add_argument("--batch", type=int, default=100)
ap.add_argument("--hidden", type=int, default=500)
ap.add_argument("--epochs", type=int, default=1)
ap.add_argument("--lr", type=float, default=0.01)
a = ap.parse_args()
x = (load("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") > 0.5).astype(np.float64)
rbm = BernoulliRBM(n_components=a.hidden, learning_rate=a.lr, batch_size=a.batch, n_iter=a.epochs, random_state=0)
t = time.perf_counter()
rbm.fit(x)
per_epoch = (time.perf_counter() - t) / a.epochs
pl = rbm.score_samples(x[:10000]).mean()
print(f"| fashion-mnist | sklearn BernoulliRBM (PCD-1) | {a.batch} | {a.hidden} | {per_epoch:.2f} | – | – | {pl:.2f} |")
