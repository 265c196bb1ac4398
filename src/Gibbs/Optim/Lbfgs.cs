// L-BFGS (Nocedal & Wright, "Numerical Optimization", 2nd ed. 2006, alg. 7.4 two-loop recursion, alg. 7.5) over engine
// parameters, closure-based like torch.optim.LBFGS: the closure computes a scalar loss from the parameters on the tape,
// the minimiser runs Backward and reads each parameter's .Grad. The iterate stays in the float32 tensors; everything
// L-BFGS itself computes — the m pairs sₖ = xₖ₊₁ − xₖ, yₖ = gₖ₊₁ − gₖ, the two-loop recursion, the line search — is
// float64 on the host. Steps come from a strong-Wolfe line search (N&W alg. 3.5 bracketing, 3.6 zoom with safeguarded
// cubic interpolation, eq. 3.59) that also accepts Hager & Zhang's approximate-Wolfe step (SIAM J. Optim. 16, 2005,
// eq. 4.1: φ(t) ≤ φ(0) + ε|φ(0)| and φ′(t) ≤ (1 − 2c₁)|φ′(0)|): a float32 loss stops resolving decreases long before a
// float32 gradient stops pointing the way, and on a quadratic the approximate condition is exactly Armijo's.
// A pair with yᵀs ≤ ε‖s‖‖y‖ is skipped, so the inverse-Hessian model stays positive definite. Not stochastic (no
// mini-batches), no bounds (L-BFGS-B), no state kept between Minimize calls. Deterministic: the engine's ops are
// bit-identical for any thread count and the host arithmetic is sequential.
using System.Globalization;

namespace Gibbs.Optim;

/// <summary>L-BFGS settings, checked when an <see cref="Lbfgs"/> is built.</summary>
public sealed record LbfgsOptions
{
    /// <summary>m: the (s, y) pairs kept.</summary>
    public int History { get; init; } = 10;
    /// <summary>Iterations (accepted steps) at most.</summary>
    public int MaxIterations { get; init; } = 1000;
    /// <summary>Loss-and-gradient evaluations at most (0: 25 × <see cref="MaxIterations"/>, i.e. no separate cap).</summary>
    public int MaxEvaluations { get; init; }
    /// <summary>Stop when ‖∇f‖∞ ≤ this (absolute, in the closure's units; relative to |f| with <see cref="RelativeGradient"/>).</summary>
    public double GradientTolerance { get; init; } = 1e-5;
    /// <summary>Compare ‖∇f‖∞ with GradientTolerance · |f|, i.e. test ‖∇ log f‖∞ for a positive loss: invariant to the
    /// loss's scale, and never met where f → 0 only along a diverging path (a separable logistic regression without
    /// a penalty, where ‖∇f‖/f tends to the margin).</summary>
    public bool RelativeGradient { get; init; }
    /// <summary>Stop when |fₖ − fₖ₊₁| ≤ this · max(|fₖ|, |fₖ₊₁|) (scipy's factr·ε). 0 (the default) turns the rule off:
    /// a float32 loss often repeats exactly while the iterate still improves, so the gradient test is the one to trust.</summary>
    public double LossTolerance { get; init; }
    /// <summary>Evaluations per line search at most.</summary>
    public int MaxLineSearch { get; init; } = 25;
    /// <summary>c₁ of the sufficient-decrease (Armijo) condition.</summary>
    public double C1 { get; init; } = 1e-4;
    /// <summary>c₂ of the strong curvature condition |φ′(t)| ≤ c₂|φ′(0)|.</summary>
    public double C2 { get; init; } = 0.9;
    /// <summary>ε of the approximate-Wolfe test: loss values within ε|f₀| of f₀ count as no increase (float32's sums
    /// carry ~10⁻⁷ relative error).</summary>
    public double LossNoise { get; init; } = 1e-6;

    internal void Validate()
    {
        static string S(double v) => v.ToString(CultureInfo.InvariantCulture);
        if (History < 1) throw new GibbsException($"L-BFGS: History must be ≥ 1, not {History}");
        if (MaxIterations < 0) throw new GibbsException($"L-BFGS: MaxIterations must be ≥ 0, not {MaxIterations}");
        if (MaxEvaluations < 0) throw new GibbsException($"L-BFGS: MaxEvaluations must be ≥ 0, not {MaxEvaluations}");
        if (!(GradientTolerance >= 0) || !double.IsFinite(GradientTolerance)) throw new GibbsException($"L-BFGS: GradientTolerance must be finite and ≥ 0, not {S(GradientTolerance)}");
        if (!(LossTolerance >= 0) || !double.IsFinite(LossTolerance)) throw new GibbsException($"L-BFGS: LossTolerance must be finite and ≥ 0, not {S(LossTolerance)}");
        if (MaxLineSearch < 1) throw new GibbsException($"L-BFGS: MaxLineSearch must be ≥ 1, not {MaxLineSearch}");
        if (!(C1 > 0 && C1 < C2 && C2 < 1)) throw new GibbsException($"L-BFGS: the Wolfe constants need 0 < C1 < C2 < 1, not C1 = {S(C1)}, C2 = {S(C2)}");
        if (!(LossNoise >= 0) || !double.IsFinite(LossNoise)) throw new GibbsException($"L-BFGS: LossNoise must be finite and ≥ 0, not {S(LossNoise)}");
    }
}

/// <summary>Why <see cref="Lbfgs.Minimize"/> stopped.</summary>
public enum LbfgsStop
{
    /// <summary>‖∇f‖∞ met the tolerance (converged).</summary>
    GradientTolerance,
    /// <summary>The relative loss change met <see cref="LbfgsOptions.LossTolerance"/> (converged).</summary>
    LossTolerance,
    MaxIterations,
    MaxEvaluations,
    /// <summary>No acceptable step: the loss and gradient no longer resolve a decrease (float32's floor), or the
    /// gradient is exactly 0 without the test passing (a relative test on a loss that underflowed to 0).</summary>
    LineSearchFailed,
}

/// <summary>The outcome: accepted steps, closure calls, the final loss and ‖∇f‖∞ (at the parameters left in the tensors).</summary>
/// <param name="Converged">True when a tolerance was met (<see cref="LbfgsStop.GradientTolerance"/> or <see cref="LbfgsStop.LossTolerance"/>).</param>
public sealed record LbfgsResult(int Iterations, int Evaluations, bool Converged, double Loss, double GradientNorm, LbfgsStop Stop);

/// <summary>
/// Limited-memory BFGS over a list of parameter tensors (leaves; RequiresGrad is set on them). Each call to
/// <see cref="Minimize"/> starts from the parameters' current values with an empty history and leaves the best point
/// in them.
/// </summary>
public sealed class Lbfgs
{
    private readonly Tensor[] _params;
    private readonly int[] _offset;
    private readonly int _n;
    private readonly float[] _buf;                 // host staging for tensor ⇄ double copies
    private readonly double[][] _s, _y;            // ring buffer of the m newest pairs
    private double[] _sSpare, _ySpare;             // the candidate pair, swapped in when it passes the curvature test
    private readonly double[] _rho, _alpha;
    private int _count, _newest;                   // pairs held; index of the newest

    public LbfgsOptions Options { get; }
    public IReadOnlyList<Tensor> Parameters => _params;

    public Lbfgs(IEnumerable<Tensor> parameters, LbfgsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Options = options ?? new LbfgsOptions();
        Options.Validate();
        _params = parameters.ToArray();
        if (_params.Length == 0) throw new GibbsException("L-BFGS given no parameters");
        _offset = new int[_params.Length + 1];
        for (int i = 0; i < _params.Length; i++)
        {
            if (!_params[i].IsLeaf) throw new GibbsException($"L-BFGS: parameter {i} {Tensor.Format(_params[i].Shape)} is not a leaf (pass the tensors the loss is built from, not results of ops)");
            _params[i].RequiresGrad = true;
            _offset[i + 1] = checked(_offset[i] + _params[i].Length);
        }
        _n = _offset[^1];
        _buf = new float[_n];
        int m = Options.History;
        _s = new double[m][];
        _y = new double[m][];
        for (int k = 0; k < m; k++) { _s[k] = new double[_n]; _y[k] = new double[_n]; }
        (_sSpare, _ySpare) = (new double[_n], new double[_n]);
        _rho = new double[m];
        _alpha = new double[m];
    }

    /// <summary>
    /// Minimises the one-element loss that <paramref name="loss"/> returns (built from the parameters with grad on;
    /// the minimiser zeroes the gradients, runs Backward and disposes the closure's tensors after each call).
    /// </summary>
    public LbfgsResult Minimize(Func<Tensor> loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var o = Options;
        int maxEval = o.MaxEvaluations > 0 ? o.MaxEvaluations : (int)Math.Min(int.MaxValue, 25L * Math.Max(1, o.MaxIterations) + 1);
        _count = 0;
        _newest = -1;
        var x = Read(null);                        // the iterate: float32 values held as doubles
        var g = new double[_n];
        var d = new double[_n];
        var ls = new LineSearch(this, loss, _n);
        double f = ls.Evaluate(x, g);
        if (!double.IsFinite(f)) throw new GibbsException($"L-BFGS: the loss at the starting point is {f.ToString(CultureInfo.InvariantCulture)}");
        double gmax = InfNorm(g);
        int iter = 0;
        var stop = LbfgsStop.MaxIterations;
        if (Small(gmax, f)) stop = LbfgsStop.GradientTolerance;
        else
            while (iter < o.MaxIterations)
            {
                Direction(g, d);
                double gtd = Dot(g, d);
                if (!(gtd < 0))
                {   // Not a descent direction (round-off in the model): forget the history, go downhill.
                    _count = 0;
                    for (int i = 0; i < _n; i++) d[i] = -g[i];
                    gtd = -Dot(g, g);
                    if (!(gtd < 0)) { stop = LbfgsStop.LineSearchFailed; break; }   // g = 0 without passing the test (f underflowed to 0)
                }
                // First step (no curvature yet): torch's min(1, 1/‖g‖₁); afterwards the quasi-Newton step t = 1.
                double t0 = _count == 0 ? Math.Min(1, 1 / Norm1(g)) : 1;
                if (!ls.Search(x, f, g, d, gtd, t0, maxEval))
                {
                    stop = ls.Evaluations >= maxEval ? LbfgsStop.MaxEvaluations : LbfgsStop.LineSearchFailed;
                    break;
                }
                iter++;
                double fPrev = f;
                f = ls.F;
                Update(x, g, ls.X, ls.G);          // x ← x⁺, g ← g⁺, history ← (s, y)
                gmax = InfNorm(g);
                if (Small(gmax, f)) { stop = LbfgsStop.GradientTolerance; break; }
                if (o.LossTolerance > 0 && Math.Abs(fPrev - f) <= o.LossTolerance * Math.Max(Math.Abs(fPrev), Math.Abs(f))) { stop = LbfgsStop.LossTolerance; break; }
                if (ls.Evaluations >= maxEval) { stop = LbfgsStop.MaxEvaluations; break; }
            }
        Write(x);
        bool converged = stop is LbfgsStop.GradientTolerance or LbfgsStop.LossTolerance;
        return new LbfgsResult(iter, ls.Evaluations, converged, f, gmax, stop);
    }

    // Relative: a loss of exactly 0 never passes (for a positive loss that is underflow, not a minimum).
    private bool Small(double gmax, double f) => Options.RelativeGradient ? f != 0 && gmax <= Options.GradientTolerance * Math.Abs(f) : gmax <= Options.GradientTolerance;

    /// <summary>Stores sₖ = x⁺ − x, yₖ = g⁺ − g when yᵀs &gt; ε‖s‖‖y‖ (else the pair is skipped), then moves to x⁺, g⁺.</summary>
    private void Update(double[] x, double[] g, double[] xNew, double[] gNew)
    {
        double[] s = _sSpare, y = _ySpare;
        double sy = 0, ss = 0, yy = 0;
        for (int i = 0; i < _n; i++)
        {
            s[i] = xNew[i] - x[i];
            y[i] = gNew[i] - g[i];
            sy += s[i] * y[i];
            ss += s[i] * s[i];
            yy += y[i] * y[i];
        }
        if (sy > 1e-10 * Math.Sqrt(ss * yy))
        {   // The pair replaces the oldest one; its arrays become the spare.
            int slot = (_newest + 1) % Options.History;
            (_s[slot], _sSpare) = (s, _s[slot]);
            (_y[slot], _ySpare) = (y, _y[slot]);
            _rho[slot] = 1 / sy;
            _newest = slot;
            _count = Math.Min(_count + 1, Options.History);
        }
        Array.Copy(xNew, x, _n);
        Array.Copy(gNew, g, _n);
    }

    /// <summary>d = −H g by the two-loop recursion (N&amp;W alg. 7.4) with H₀ = γI, γ = sᵀy/yᵀy of the newest pair.</summary>
    private void Direction(double[] g, double[] d)
    {
        for (int i = 0; i < _n; i++) d[i] = -g[i];
        if (_count == 0) return;
        int m = Options.History;
        for (int k = 0; k < _count; k++)           // newest to oldest
        {
            int j = (_newest - k + m) % m;
            double a = _rho[j] * Dot(_s[j], d);
            _alpha[j] = a;
            Axpy(-a, _y[j], d);
        }
        double gamma = 1 / (_rho[_newest] * Dot(_y[_newest], _y[_newest]));
        for (int i = 0; i < _n; i++) d[i] *= gamma;
        for (int k = _count - 1; k >= 0; k--)      // oldest to newest
        {
            int j = (_newest - k + m) % m;
            double b = _rho[j] * Dot(_y[j], d);
            Axpy(_alpha[j] - b, _s[j], d);
        }
    }

    /// <summary>The parameters' values (or, with <paramref name="grad"/>, their gradients; none yet counts as 0) as doubles.</summary>
    private double[] Read(double[]? into, bool grad = false)
    {
        var r = into ?? new double[_n];
        for (int i = 0; i < _params.Length; i++)
        {
            var span = _buf.AsSpan(_offset[i], _params[i].Length);
            var t = grad ? _params[i].Grad : _params[i];
            if (t is null) span.Clear();
            else t.CopyTo(span);
        }
        for (int i = 0; i < _n; i++) r[i] = _buf[i];
        return r;
    }

    /// <summary>Writes <paramref name="x"/> (rounded to float32) into the parameters; returns the rounded values in <paramref name="x"/>.</summary>
    private void Write(double[] x)
    {
        for (int i = 0; i < _n; i++) { _buf[i] = (float)x[i]; x[i] = _buf[i]; }
        using var _ = Tensor.NoGrad();
        for (int i = 0; i < _params.Length; i++) _params[i].CopyFrom(_buf.AsSpan(_offset[i], _params[i].Length));
    }

    internal static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++) y[i] += a * x[i];
    }

    internal static double InfNorm(double[] a)
    {
        double m = 0;
        foreach (var v in a) m = Math.Max(m, Math.Abs(v));
        return m;
    }

    private static double Norm1(double[] a)
    {
        double s = 0;
        foreach (var v in a) s += Math.Abs(v);
        return s;
    }

    /// <summary>
    /// The line search along d from x: N&amp;W alg. 3.5 (bracket, extrapolating up to 10× per trial) then alg. 3.6 (zoom)
    /// to a step satisfying sufficient decrease — Armijo, or the approximate-Wolfe test within the loss's noise — and
    /// the strong curvature condition. Trial points are rounded to float32, as the parameters hold them.
    /// </summary>
    private sealed class LineSearch(Lbfgs owner, Func<Tensor> loss, int n)
    {
        private double[] _xt = new double[n], _gt = new double[n];     // the newest trial
        private double[] _xp = new double[n], _gp = new double[n];     // the previous trial (bracketing) / lo (zoom)
        private double _f0, _gtd0, _eps, _dmax, _xmax;
        private int _tries, _maxEval;

        public int Evaluations { get; private set; }
        /// <summary>The accepted point, its gradient and loss.</summary>
        public double[] X { get; private set; } = new double[n];
        public double[] G { get; private set; } = new double[n];
        public double F { get; private set; }

        /// <summary>f(x) and ∇f(x) into <paramref name="g"/>; x is rounded to float32 in place.</summary>
        public double Evaluate(double[] x, double[] g)
        {
            owner.Write(x);
            foreach (var p in owner._params) p.ZeroGrad();
            double f;
            using (TensorScope.Begin())
            {
                var l = loss() ?? throw new GibbsException("L-BFGS: the closure returned null instead of the loss");
                if (l.Length != 1) throw new GibbsException($"L-BFGS: the closure must return a one-element loss, not {Tensor.Format(l.Shape)}");
                if (!l.RequiresGrad) throw new GibbsException("L-BFGS: the loss does not depend on the parameters (built under NoGrad, or from detached copies)");
                f = l.Item();
                l.Backward();
            }
            owner.Read(g, grad: true);
            Evaluations++;
            return f;
        }

        private (double F, double Gtd) Trial(double[] x, double[] d, double t)
        {
            for (int i = 0; i < x.Length; i++) _xt[i] = x[i] + t * d[i];
            double f = Evaluate(_xt, _gt);
            _tries++;
            return (double.IsNaN(f) ? double.PositiveInfinity : f, Dot(_gt, d));
        }

        private bool Sufficient(double t, double f, double gtd) =>
            f <= _f0 + owner.Options.C1 * t * _gtd0
            || (f <= _f0 + _eps && gtd <= (1 - 2 * owner.Options.C1) * -_gtd0);

        private bool Curvature(double gtd) => Math.Abs(gtd) <= -owner.Options.C2 * _gtd0;

        /// <summary>Worse than the point (tr, fr): clearly higher, or level within the noise with the slope pointing back to tr.</summary>
        private bool WorseThan(double t, double f, double gtd, double tr, double fr) =>
            f > fr + _eps || (f >= fr && gtd * (t - tr) > 0);

        private bool Budget => _tries < owner.Options.MaxLineSearch && Evaluations < _maxEval;

        private void SwapTrialIntoPrevious()
        {
            (_xp, _xt) = (_xt, _xp);
            (_gp, _gt) = (_gt, _gp);
        }

        private bool Accept(bool trial, double f)
        {
            if (trial) { (X, _xt) = (_xt, X); (G, _gt) = (_gt, G); }
            else { (X, _xp) = (_xp, X); (G, _gp) = (_gp, G); }
            F = f;
            return true;
        }

        /// <summary>Finds a step from x along the descent direction d (gᵀd = <paramref name="gtd0"/> &lt; 0); false when none.</summary>
        public bool Search(double[] x, double f0, double[] g0, double[] d, double gtd0, double t0, int maxEval)
        {
            (_f0, _gtd0, _eps, _dmax, _xmax, _tries, _maxEval) = (f0, gtd0, owner.Options.LossNoise * Math.Abs(f0), InfNorm(d), InfNorm(x), 0, maxEval);
            Array.Copy(x, _xp, x.Length);
            Array.Copy(g0, _gp, x.Length);
            double tPrev = 0, fPrev = f0, gtdPrev = gtd0, t = t0;
            for (int i = 0; Budget; i++)
            {
                var (f, gtd) = Trial(x, d, t);
                if (!Sufficient(t, f, gtd) || (i > 0 && WorseThan(t, f, gtd, tPrev, fPrev)))
                    return Zoom(x, d, tPrev, fPrev, gtdPrev, t, f, gtd, loIsTrial: false);
                if (Curvature(gtd)) return Accept(trial: true, f);
                if (gtd >= 0) return Zoom(x, d, t, f, gtd, tPrev, fPrev, gtdPrev, loIsTrial: true);
                if (!Budget) return Accept(trial: true, f);    // out of evaluations: the last step decreased enough
                double next = Cubic(tPrev, fPrev, gtdPrev, t, f, gtd, t + 0.01 * (t - tPrev), 10 * t);
                SwapTrialIntoPrevious();
                (tPrev, fPrev, gtdPrev, t) = (t, f, gtd, next);
            }
            return false;
        }

        // lo satisfies sufficient decrease (or is t = 0) and is the better end; gtd_lo·(hi − lo) < 0. lo's point and
        // gradient are in the trial buffers when loIsTrial, else in the previous-point buffers; they move to the latter.
        private bool Zoom(double[] x, double[] d, double tLo, double fLo, double gtdLo, double tHi, double fHi, double gtdHi, bool loIsTrial)
        {
            if (loIsTrial) SwapTrialIntoPrevious();
            while (Budget && Math.Abs(tHi - tLo) * _dmax > 1.2e-7 * Math.Max(_xmax, 1e-30))
            {
                double a = Math.Min(tLo, tHi), b = Math.Max(tLo, tHi), w = b - a;
                double t = Math.Abs(fHi - fLo) <= _eps && gtdHi != gtdLo && double.IsFinite(gtdHi)
                    ? tLo - gtdLo * (tHi - tLo) / (gtdHi - gtdLo)    // level within the noise: the secant on φ′
                    : Cubic(tLo, fLo, gtdLo, tHi, fHi, gtdHi, a, b);
                if (!double.IsFinite(t)) t = (a + b) / 2;
                t = Math.Clamp(t, a + 0.1 * w, b - 0.1 * w);
                var (f, gtd) = Trial(x, d, t);
                if (!Sufficient(t, f, gtd) || WorseThan(t, f, gtd, tLo, fLo)) (tHi, fHi, gtdHi) = (t, f, gtd);
                else
                {
                    if (Curvature(gtd)) return Accept(trial: true, f);
                    if (gtd * (tHi - tLo) >= 0) (tHi, fHi, gtdHi) = (tLo, fLo, gtdLo);
                    SwapTrialIntoPrevious();
                    (tLo, fLo, gtdLo) = (t, f, gtd);
                }
            }
            return tLo > 0 && Accept(trial: false, fLo);
        }

        /// <summary>The minimiser of the cubic through (x₁, f₁, f′₁), (x₂, f₂, f′₂) (N&amp;W eq. 3.59), clamped to [lo, hi];
        /// the midpoint when the cubic has no minimum.</summary>
        private static double Cubic(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi)
        {
            if (x1 > x2) (x1, f1, g1, x2, f2, g2) = (x2, f2, g2, x1, f1, g1);
            double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2), d2sq = d1 * d1 - g1 * g2;
            if (!(d2sq >= 0)) return (lo + hi) / 2;
            double d2 = Math.Sqrt(d2sq), t = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2));
            return double.IsFinite(t) ? Math.Clamp(t, lo, hi) : (lo + hi) / 2;
        }
    }
}
