// L-BFGS on the engine (issue 14, item 5c): the Rosenbrock valley from (−1.2, 1) with the two coordinates in two tensors,
// a 20-dimensional quadratic whose minimiser A⁻¹b is solved in float64, the step-count bound that only quasi-Newton
// directions meet there, monotone losses, and the closure and option errors.
using Gibbs.Optim;
using MathNet.Numerics.LinearAlgebra;

namespace Gibbs.Tests.Ridge;

public class LbfgsTests
{
    private static void OneLine(Action act, string fragment)
    {
        var e = Assert.Throws<GibbsException>(act);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(fragment, e.Message);
    }

    /// <summary>f(a, b) = (1 − a)² + 100(b − a²)², minimum 0 at (1, 1).</summary>
    private static Tensor Rosenbrock(Tensor a, Tensor b) => ((1f - a).Square() + (b - a.Square()).Square() * 100f).Sum();

    [Fact]
    public void RosenbrockFromTheClassicalStart()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.FromArray(new[] { -1.2f });
        var b = Tensor.FromArray(new[] { 1f });
        var r = new Lbfgs([a, b], new LbfgsOptions { GradientTolerance = 1e-5 }).Minimize(() => Rosenbrock(a, b));
        Assert.True(r.Converged, r.ToString());
        Assert.Equal(LbfgsStop.GradientTolerance, r.Stop);
        // The valley's floor is flat to float32 near (1, 1): |a − 1| ~ √ε₃₂ would still leave f ~ 10⁻⁷; we get far closer.
        Assert.True(Math.Abs(a.Item() - 1) < 1e-4 && Math.Abs(b.Item() - 1) < 2e-4, $"({a.Item()}, {b.Item()})");
        Assert.True(r.Loss < 1e-8, r.ToString());
        Assert.True(r.GradientNorm <= 1e-5);
        // scipy's L-BFGS-B needs ~35 iterations here; steepest descent with the same line search needs thousands.
        Assert.InRange(r.Iterations, 15, 80);
        Assert.True(r.Evaluations < 2 * r.Iterations, r.ToString());
    }

    /// <summary>A = Q diag(1 … 100) Qᵀ (20×20, condition number 100) and b, both exactly representable in float32.</summary>
    private static (float[] A, float[] B, Vector<double> XStar) Quadratic()
    {
        const int d = 20;
        var rng = new Random(11);
        var q = Matrix<double>.Build.Dense(d, d, (_, _) => rng.NextDouble() - 0.5).QR().Q;
        var ev = Vector<double>.Build.Dense(d, i => Math.Pow(100, i / (d - 1.0)));
        var a64 = q * Matrix<double>.Build.DiagonalOfDiagonalVector(ev) * q.Transpose();
        var a = new float[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) a[i * d + j] = (float)(0.5 * (a64[i, j] + a64[j, i]));
        var b = Enumerable.Range(0, d).Select(i => (float)Math.Sin(i + 1)).ToArray();
        // The reference solves the float32-rounded system in float64.
        var A = Matrix<double>.Build.Dense(d, d, (i, j) => a[i * d + j]);
        var xStar = A.Cholesky().Solve(Vector<double>.Build.Dense(d, i => b[i]));
        return (a, b, xStar);
    }

    [Fact]
    public void QuadraticMinimiserMatchesTheFloat64Solve()
    {
        var (a, b, xStar) = Quadratic();
        int d = b.Length;
        using var scope = TensorScope.Begin();
        var A = Tensor.FromArray(a, [d, d]);
        var B = Tensor.FromArray(b, [d, 1]);
        var x = Tensor.Zeros([d, 1]);
        // f(x) = ½ xᵀAx − bᵀx, ∇f = Ax − b.
        var r = new Lbfgs([x], new LbfgsOptions { GradientTolerance = 1e-5 })
            .Minimize(() => (Tensor.MatMul(x, Tensor.MatMul(A, x), transA: true) * 0.5f - Tensor.MatMul(B, x, transA: true)).Sum());
        Assert.True(r.Converged, r.ToString());
        var got = Vector<double>.Build.Dense(x.ToArray().Select(v => (double)v).ToArray());
        // ‖x − x*‖ ≤ ‖A⁻¹‖·‖∇f‖ ≤ 1 · √20 · 10⁻⁵ against ‖x*‖ ≈ 1: 10⁻⁴ relative is the stopping rule's own bound.
        double rel = (got - xStar).L2Norm() / xStar.L2Norm();
        Assert.True(rel < 1e-4, $"relative error {rel:E2}");
        double fStar = -0.5 * Vector<double>.Build.Dense(d, i => b[i]).DotProduct(xStar);
        Assert.True(Math.Abs(r.Loss - fStar) < 1e-5 * Math.Abs(fStar), $"{r.Loss} vs {fStar}");
        // With m = 10 pairs L-BFGS takes 51 iterations at κ = 100, d = 20. Without H₀ = γI, with a wrong sign in either
        // loop of the two-loop recursion, or with s of the wrong sign (every pair skipped: steepest descent) it takes
        // more than 60 or does not converge.
        Assert.True(r.Iterations <= 60, r.ToString());
    }

    [Fact]
    public void EveryIterationDecreasesTheLoss()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Zeros([1]);
        var b = Tensor.Zeros([1]);
        double previous = double.PositiveInfinity;
        for (int k = 0; k <= 12; k++)
        {
            a.CopyFrom(new[] { -1.2f });
            b.CopyFrom(new[] { 1f });
            var r = new Lbfgs([a, b], new LbfgsOptions { MaxIterations = k, GradientTolerance = 0 }).Minimize(() => Rosenbrock(a, b));
            Assert.Equal(k, r.Iterations);
            Assert.False(r.Converged);
            Assert.Equal(LbfgsStop.MaxIterations, r.Stop);
            Assert.True(r.Loss < previous, $"iteration {k}: {r.Loss} after {previous}");
            previous = r.Loss;
        }
    }

    [Fact]
    public void BadClosuresAndOptions()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([3]);
        OneLine(() => new Lbfgs([x]).Minimize(() => x.Square()), "one-element loss, not [3]");
        OneLine(() => new Lbfgs([x]).Minimize(() => { using var _ = Tensor.NoGrad(); return x.Square().Sum(); }), "does not depend on the parameters");
        OneLine(() => new Lbfgs([x]).Minimize(() => x.Log().Sum()), "loss at the starting point is -Infinity");
        var leaf = Tensor.Zeros([2]).RequireGrad();
        OneLine(() => new Lbfgs([leaf * 2f]), "is not a leaf");
        OneLine(() => new Lbfgs(Array.Empty<Tensor>()), "given no parameters");
        OneLine(() => new Lbfgs([x], new LbfgsOptions { History = 0 }), "History must be ≥ 1, not 0");
        OneLine(() => new Lbfgs([x], new LbfgsOptions { C1 = 0.95 }), "0 < C1 < C2 < 1");
        OneLine(() => new Lbfgs([x], new LbfgsOptions { GradientTolerance = double.NaN }), "GradientTolerance must be finite and ≥ 0, not NaN");
    }
}
