#!/usr/bin/python3
"""scikit-learn peer of LogisticRegression.Fit (src/Gibbs/Models/Ridge/LogisticRegression.cs; issue 14 item 6), driven by
`Gibbs.Bench logistic` (bench/Gibbs.Bench/LogisticBench.cs), which writes the data once as float64 .npy files:
X [n x p], y [n] (+-1), the test rows Xt [m x p], yt [m] and, for `check`, our fitted solutions (w, then b).

Both sides minimise F(w, b) = sum_i log(1 + exp(-y_i (x_i.w + b))) + (alpha/2) ||w||^2 with an unpenalised intercept.
In scikit-learn 1.2 this is exactly what the lbfgs and newton-cg solvers of LogisticRegression(C = 1/alpha) minimise
(LinearModelLoss: sum of the half-binomial losses + l2_reg_strength/2 ||w||^2, l2_reg_strength = 1/C; sample weights 1,
not rescaled to sum 1 as newton-cholesky and later releases do), so sklearn's tol is an absolute bound on ||grad F||_inf:
scipy's L-BFGS-B gtol (projected gradient, equal to the gradient without bounds; scipy also stops when the relative
decrease of F falls below ftol = 2.2e-9) and newton-cg's max|g_i| <= tol.

  check: per --alphas, LogisticRegression(C=1/alpha, solver='lbfgs', tol=1e-10, max_iter=100000) (scipy's ftol ends
         it long before gtol) and solver='newton-cg' (tol=1e-10, max_iter=--ncg-max-iter, 200: no float64 run meets
         that absolute tol at F ~ 1e2-1e3, so newton-cg runs to its cap, which at 100000 takes minutes); a float64
         reference: Newton's method on the exact Hessian (X1' D X1 + diag(alpha, ..., alpha, 0)) with backtracking,
         from the newton-cg solution, until the gradient stops shrinking. For every solution (ours from --ours: one or
         more variants, each a row per alpha) F and ||grad F||_inf in float64, ||w||, training and test error, and
         ||w - w_ref||_inf/||w_ref||_inf, |b - b_ref|; ours and newton-cg against lbfgs as well. What float32 allows:
         the Newton step H^-1 g32 from the reference, where g32 is the gradient at the reference rounded to float32 and
         evaluated in float32 (numpy's own summation order, so a scale, not our exact error), and the same with only X
         rounded to float32 (exact arithmetic otherwise); the Hessian's extreme eigenvalues.
  time:  after a warm-up on the first 200 rows, for each --alphas one timed LogisticRegression(C=1/alpha).fit(X, y)
         at scikit-learn's defaults (lbfgs, tol=1e-4, max_iter=100) and, with --uncapped, one more with max_iter=100000;
         n_iter_, F and ||grad F||_inf at the result.

  /usr/bin/python3 bench/peers/sklearn_logistic.py check --x X.npy --y y.npy --xt Xt.npy --yt yt.npy --ours W.npy --alphas 1e-2,1,100 --threads 2
  /usr/bin/python3 bench/peers/sklearn_logistic.py time  --x X.npy --y y.npy --alphas 1,1e-2 --threads 2
Prints one JSON line. Threads: OPENBLAS_NUM_THREADS/OMP_NUM_THREADS are set from --threads before numpy loads, and
threadpoolctl limits every pool again (numpy, scipy and scikit-learn's OpenMP)."""
import argparse, json, os, sys, time, warnings

ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["check", "time"])
ap.add_argument("--x", required=True)
ap.add_argument("--y", required=True)
ap.add_argument("--xt")
ap.add_argument("--yt")
ap.add_argument("--ours", help="check: our solutions, [v*k x (p+1)] float64 (w, then b): v variants, each k rows in --alphas order")
ap.add_argument("--alphas", default="1e-2,1,100")
ap.add_argument("--ncg-max-iter", type=int, default=200,
                help="check: newton-cg's max_iter (its absolute tol 1e-10 is below what float64 resolves for F ~ 1e2-1e3, so it "
                     "would run to any cap; Newton has converged long before 200)")
ap.add_argument("--uncapped", action="store_true", help="time: also time max_iter=100000 at tol=1e-4")
ap.add_argument("--threads", type=int, default=2)
a = ap.parse_args()
for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = str(a.threads)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import scipy
import scipy.linalg
from scipy.special import expit
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_info, threadpool_limits

threadpool_limits(limits=a.threads)
X = np.load(a.x)
y = np.load(a.y)
assert X.dtype == np.float64 and y.dtype == np.float64 and X.ndim == 2 and y.shape == (X.shape[0],)
assert set(np.unique(y)) <= {-1.0, 1.0}
n, p = X.shape
ALPHAS = [float(v) for v in a.alphas.split(",")]


def objective(w, b, alpha, x=X, yy=y):
    """F(w, b) in float64 (log1p(exp(-m)) through logaddexp, no overflow)."""
    return float(np.logaddexp(0.0, -yy * (x @ w + b)).sum() + 0.5 * alpha * w @ w)


def gradient(w, b, alpha, x=X):
    r = -y * expit(-y * (x @ w + b))          # dF/dz_i
    return np.concatenate((x.T @ r + alpha * w, [r.sum()]))


def hessian(w, b, alpha):
    z = X @ w + b
    d = expit(z) * expit(-z)
    x1 = np.hstack((X, np.ones((n, 1))))
    h = x1.T @ (d[:, None] * x1)
    h[np.arange(p), np.arange(p)] += alpha
    return h


def error(w, b, x, yy):
    return float(np.mean(np.where(x @ w + b > 0, 1.0, -1.0) != yy))


def newton(w, b, alpha, iters=100):
    """Float64 Newton with backtracking from (w, b); stops when a step no longer lowers ||grad F||_inf."""
    v = np.concatenate((w, [b]))
    g = gradient(v[:p], v[p], alpha)
    f = objective(v[:p], v[p], alpha)
    k = 0
    for k in range(1, iters + 1):
        step = scipy.linalg.solve(hessian(v[:p], v[p], alpha), g, assume_a="pos")
        t = 1.0
        while True:
            cand = v - t * step
            fc = objective(cand[:p], cand[p], alpha)
            if fc <= f + 1e-4 * t * (-g @ step) or t < 1e-10:
                break
            t *= 0.5
        gc = gradient(cand[:p], cand[p], alpha)
        if np.abs(gc).max() >= np.abs(g).max() and fc >= f:
            break
        v, g, f = cand, gc, fc
    return v[:p], v[p], k


def describe(w, b, alpha, ref=None, other=None):
    g = gradient(w, b, alpha)
    d = {"F": objective(w, b, alpha), "grad_inf": float(np.abs(g).max()), "norm": float(np.linalg.norm(w)),
         "train_error": error(w, b, X, y), "intercept": float(b)}
    if XT is not None:
        d["test_error"] = error(w, b, XT, YT)
    for name, r in (("ref", ref), ("lbfgs", other)):
        if r is not None:
            d[f"coef_vs_{name}"] = float(np.abs(w - r[0]).max() / np.abs(r[0]).max())
            d[f"intercept_vs_{name}"] = float(abs(b - r[1]))
    return d


XT = np.load(a.xt) if a.xt else None
YT = np.load(a.yt) if a.yt else None

if a.mode == "check":
    ours = np.load(a.ours) if a.ours else None
    assert ours is None or (ours.ndim == 2 and ours.shape[1] == p + 1 and ours.shape[0] % len(ALPHAS) == 0)
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__, "python": sys.version.split()[0],
           "blas": [f"{i['internal_api']} {i.get('version')} {i['num_threads']} threads" for i in threadpool_info()],
           "n": n, "p": p, "rank": int(np.linalg.matrix_rank(np.hstack((X, np.ones((n, 1)))))), "fits": []}
    for k, alpha in enumerate(ALPHAS):
        fit = {"alpha": alpha}
        sk = {}
        for solver in ("lbfgs", "newton-cg"):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                t = time.perf_counter()
                cap = 100000 if solver == "lbfgs" else a.ncg_max_iter
                m = LogisticRegression(C=1.0 / alpha, solver=solver, tol=1e-10, max_iter=cap).fit(X, y)
                seconds = time.perf_counter() - t
            sk[solver] = (m.coef_[0].copy(), float(m.intercept_[0]), int(m.n_iter_[0]), seconds,
                          sorted({type(c.message).__name__ for c in caught}))
        wr, br, newton_iters = newton(sk["newton-cg"][0], sk["newton-cg"][1], alpha)
        ref = (wr, br)
        fit["ref"] = describe(wr, br, alpha) | {"newton_iterations": newton_iters}
        for solver, (w, b, it, seconds, warned) in sk.items():
            fit[solver] = describe(w, b, alpha, ref) | {"n_iter": it, "seconds": seconds, "warnings": warned}
        if ours is not None:
            fit["ours"] = [describe(o[:p], o[p], alpha, ref, sk["lbfgs"][:2]) for o in ours[k::len(ALPHAS)]]
        fit["newton-cg"] |= {"coef_vs_lbfgs": describe(*sk["newton-cg"][:2], alpha, None, sk["lbfgs"][:2])["coef_vs_lbfgs"]}
        # What float32 allows: the Newton displacement that the float32 gradient at the reference implies.
        h = hessian(wr, br, alpha)
        eig = np.linalg.eigvalsh(h)
        x32, y32, w32, b32 = X.astype(np.float32), y.astype(np.float32), wr.astype(np.float32), np.float32(br)
        z32 = x32 @ w32 + b32
        r32 = -y32 * expit(-y32 * z32)
        g32 = np.concatenate((x32.T @ r32 + np.float32(alpha) * w32, [r32.sum(dtype=np.float32)])).astype(np.float64)
        gdata = gradient(wr, br, alpha, x=x32.astype(np.float64))
        for name, g in (("float32", g32), ("x_rounded", gdata)):
            step = scipy.linalg.solve(h, g, assume_a="pos")
            fit[f"floor_{name}"] = {"coef": float(np.abs(step[:p]).max() / np.abs(wr).max()), "intercept": float(abs(step[p])),
                                    "grad_inf": float(np.abs(g).max())}
        fit["hessian_eig"] = [float(eig[0]), float(eig[-1])]
        out["fits"].append(fit)
    print(json.dumps(out))
else:
    w200 = slice(0, min(200, n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        LogisticRegression().fit(X[w200], y[w200])
    out = {"threads": a.threads, "fits": []}
    for alpha in ALPHAS:
        row = {"alpha": alpha}
        for name, max_iter in (("default", 100),) + ((("uncapped", 100000),) if a.uncapped else ()):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                t = time.perf_counter()
                m = LogisticRegression(C=1.0 / alpha, max_iter=max_iter).fit(X, y)
                seconds = time.perf_counter() - t
            w, b = m.coef_[0], float(m.intercept_[0])
            row[name] = {"seconds": seconds, "n_iter": int(m.n_iter_[0]), "F": objective(w, b, alpha),
                         "grad_inf": float(np.abs(gradient(w, b, alpha)).max()),
                         "capped": any(issubclass(c.category, ConvergenceWarning) for c in caught)}
        out["fits"].append(row)
    print(json.dumps(out))
