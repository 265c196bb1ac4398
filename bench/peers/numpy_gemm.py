#!/usr/bin/env python3
# Peer benchmark: numpy float32 matmul GFLOP/s at the shapes Gibbs.Bench passes, one JSON line per
# shape. Threads are fixed by OPENBLAS_NUM_THREADS/OMP_NUM_THREADS, which the caller sets before
# numpy loads its BLAS. `--config` prints which BLAS numpy uses (np.show_config) instead.
# Usage: OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/peers/numpy_gemm.py 1000x700x784:NN ... [--repeats 9]
import json, sys, time
import numpy as np

def run(spec, repeats):
    dims, op = spec.split(":")
    m, n, k = map(int, dims.split("x"))
    rng = np.random.default_rng(1)
    a = rng.uniform(-0.5, 0.5, (k, m) if op[0] == "T" else (m, k)).astype(np.float32)
    b = rng.uniform(-0.5, 0.5, (n, k) if op[1] == "T" else (k, n)).astype(np.float32)
    A = a.T if op[0] == "T" else a
    B = b.T if op[1] == "T" else b
    c = np.empty((m, n), np.float32)
    for _ in range(2):
        np.matmul(A, B, out=c)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        np.matmul(A, B, out=c)
        times.append(time.perf_counter() - t)
    times.sort()
    sec = times[len(times) // 2]
    return {"shape": spec, "seconds": sec, "gflops": 2.0 * m * n * k / sec / 1e9}

if __name__ == "__main__":
    args = sys.argv[1:]
    if "--config" in args:
        np.show_config()
        sys.exit(0)
    repeats = 9
    if "--repeats" in args:
        i = args.index("--repeats")
        repeats = int(args[i + 1])
        del args[i:i + 2]
    for spec in args:
        print(json.dumps({"numpy": np.__version__, **run(spec, repeats)}), flush=True)
