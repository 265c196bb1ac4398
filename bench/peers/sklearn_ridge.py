#!/usr/bin/python3
"""scikit-learn peer of RidgeSvd (src/Gibbs/Models/Ridge/; issue 14 item 6), driven by `Gibbs.Bench ridge`
(bench/Gibbs.Bench/RidgeBench.cs), which writes the data once as float64 .npy files: X [n x p], y [n].

Alpha is scikit-learn's convention, minimise ||y - Xw||^2 + alpha ||w||^2, with an unpenalised intercept
(fit_intercept=True) on both sides. The LOO grid is np.logspace(-3, 4, 100), as the C# side (it takes the alphas
from this script's `check` output, so both use the same doubles).

  check: Ridge(alpha, solver='svd').fit for each --alphas, coef_ and intercept_; RidgeCV(alphas, fit_intercept=True,
         store_cv_values=True) with gcv_mode 'svd', 'auto' (None in 1.2 means the same) and, for n <= --eigen-max,
         'eigen': alpha_, the LOO curve cv_values_.mean(0) and the per-sample squared LOO errors at three grid points
         (first, chosen, last); the singular values of the centred X (what Ridge's svd solver decomposes), how many
         exceed its absolute cut 1e-15 and RidgeSvd's tol = max(n, p) eps s_1, the part of Ridge's coef_ from the
         singular values between the two, and np.linalg.lstsq(X_c, y_c, rcond=None) (the minimum-norm solution).
  time:  after a warm-up on the first 200 rows, one timed Ridge(alpha=1, solver='svd').fit and one timed
         RidgeCV(alphas).fit (gcv_mode 'auto', which is 'svd' when n > p), and, for the SVD's share, one
         scipy.linalg.svd(X_c, full_matrices=False) and one of [X_c, 1] (what RidgeCV decomposes).

  /usr/bin/python3 bench/peers/sklearn_ridge.py check --x X.npy --y y.npy --threads 2
  /usr/bin/python3 bench/peers/sklearn_ridge.py time  --x X.npy --y y.npy --threads 2
Prints one JSON line. Threads: OPENBLAS_NUM_THREADS/OMP_NUM_THREADS are set from --threads before numpy loads, and
threadpoolctl limits every BLAS pool again (scipy and numpy share Debian's OpenBLAS)."""
import argparse, json, os, sys, time, warnings

ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["check", "time"])
ap.add_argument("--x", required=True)
ap.add_argument("--y", required=True)
ap.add_argument("--alphas", default="1e-3,1,100", help="check: the alphas of Ridge(solver='svd')")
ap.add_argument("--eigen-max", type=int, default=2000, help="check: gcv_mode='eigen' (an n x n eigh) only up to this n")
ap.add_argument("--threads", type=int, default=2)
a = ap.parse_args()
for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = str(a.threads)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import scipy
import scipy.linalg
import sklearn
from sklearn.linear_model import Ridge, RidgeCV
from threadpoolctl import threadpool_info, threadpool_limits

threadpool_limits(limits=a.threads)
X = np.load(a.x)
y = np.load(a.y)
assert X.dtype == np.float64 and y.dtype == np.float64 and X.ndim == 2 and y.shape == (X.shape[0],)
n, p = X.shape
GRID = np.logspace(-3, 4, 100)


def ridgecv(mode, store=True):
    return RidgeCV(alphas=GRID, fit_intercept=True, gcv_mode=mode, store_cv_values=store).fit(X, y)


if a.mode == "check":
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__, "python": sys.version.split()[0],
           "blas": [f"{i['internal_api']} {i.get('version')} {i['num_threads']} threads" for i in threadpool_info()],
           "n": n, "p": p, "alphas": GRID.tolist(), "ridge": [], "cv": {}}
    # The decomposition Ridge's svd solver takes (sklearn.linear_model._ridge._solve_svd: scipy.linalg.svd of the centred
    # X with vectors, full_matrices=False; it keeps s > 1e-15), and the part of its w from the singular values it keeps
    # but RidgeSvd cuts (s <= tol = max(n, p) eps s_1, numpy's pinv/lstsq rule).
    xc, yc = X - X.mean(0), y - y.mean()
    U, s, Vt = scipy.linalg.svd(xc, full_matrices=False)
    tol = max(n, p) * np.finfo(np.float64).eps * s[0]
    cut = (s > 1e-15) & (s <= tol)
    out["singular_values"] = s.tolist()
    out["above_1e-15"] = int((s > 1e-15).sum())
    out["above_tol"] = int((s > tol).sum())
    for alpha in (float(v) for v in a.alphas.split(",")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")            # alpha = 0 warns
            m = Ridge(alpha=alpha, solver="svd", fit_intercept=True).fit(X, y)
        part = Vt[cut].T @ (s[cut] / (s[cut] ** 2 + alpha) * (U[:, cut].T @ yc))
        out["ridge"].append({"alpha": alpha, "coef": m.coef_.tolist(), "intercept": float(m.intercept_),
                             "cut_part": float(np.abs(part).max()) if cut.any() else 0.0})
    w = np.linalg.lstsq(xc, yc, rcond=None)[0]       # the minimum-norm least-squares solution, RidgeSvd's alpha = 0
    out["lstsq"] = {"coef": w.tolist(), "intercept": float(y.mean() - X.mean(0) @ w)}
    for mode in ("svd", "auto") + (("eigen",) if n <= a.eigen_max else ()):
        m = ridgecv(mode)
        cv = m.cv_values_                      # [n, 100]: squared LOO errors for a 1-D y
        best = int(np.flatnonzero(GRID == m.alpha_)[0])
        out["cv"][mode] = {"alpha_": float(m.alpha_), "best": best, "loo": cv.mean(0).tolist(),
                           "per_sample": {str(k): cv[:, k].tolist() for k in sorted({0, best, len(GRID) - 1})}}
    print(json.dumps(out))
else:
    w = slice(0, min(200, n))
    Ridge(alpha=1.0, solver="svd").fit(X[w], y[w])
    RidgeCV(alphas=GRID).fit(X[w], y[w])
    t = time.perf_counter(); Ridge(alpha=1.0, solver="svd", fit_intercept=True).fit(X, y); ridge_s = time.perf_counter() - t
    t = time.perf_counter(); RidgeCV(alphas=GRID, fit_intercept=True).fit(X, y); ridgecv_s = time.perf_counter() - t
    xc = X - X.mean(0)
    t = time.perf_counter(); scipy.linalg.svd(xc, full_matrices=False); svd_s = time.perf_counter() - t
    t = time.perf_counter(); scipy.linalg.svd(np.hstack((xc, np.ones((n, 1)))), full_matrices=False); svd1_s = time.perf_counter() - t
    print(json.dumps({"ridge_s": ridge_s, "ridgecv_s": ridgecv_s, "svd_s": svd_s, "svd_with_ones_s": svd1_s, "threads": a.threads}))
