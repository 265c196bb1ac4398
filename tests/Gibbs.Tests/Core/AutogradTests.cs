// Autograd.Grad: gradients with respect to chosen tensors only, against finite differences of float64
// references; pruning (parameters' weight gradients never run, .Grad untouched); intermediate targets;
// createGraph (a gradient penalty differentiated through θ); public grad-mode scopes.
using Gibbs.Autodiff;

namespace Gibbs.Tests.Core;

public class AutogradTests
{
    private static readonly float[] X = [0.3f, -1.2f, 0.8f, 0.1f, -0.4f, 1.5f];          // [2×3]
    private static readonly float[] W = [0.5f, -0.7f, 0.2f, 1.1f, -0.3f, 0.9f, 0.4f, -0.6f]; // [3×… ] first 6 used as [3×2]
    private static readonly float[] B = [0.05f, -0.2f];

    // E(x) = Σ_rows Σ_j softplus((xW + b)_j) + ½‖x‖², in double.
    private static double Energy(double[] x, double[] w)
    {
        double e = 0;
        for (int r = 0; r < 2; r++)
            for (int j = 0; j < 2; j++)
            {
                double z = B[j];
                for (int i = 0; i < 3; i++) z += x[r * 3 + i] * w[i * 2 + j];
                e += Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            }
        return e + 0.5 * x.Sum(v => v * v);
    }

    private static Tensor EnergyT(Tensor x, Tensor w, Tensor b) => (Tensor.MatMul(x, w) + b).Softplus().Sum() + x.Square().Sum() * 0.5f;

    private static double[] Numeric(Func<double[], double> f, double[] at, double h = 1e-5)
    {
        var g = new double[at.Length];
        for (int i = 0; i < at.Length; i++)
        {
            var p = (double[])at.Clone(); p[i] += h;
            var m = (double[])at.Clone(); m[i] -= h;
            g[i] = (f(p) - f(m)) / (2 * h);
        }
        return g;
    }

    [Fact]
    public void GradOfTheInputMatchesFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(X, [2, 3]).RequireGrad();
        var w = Tensor.FromArray(W[..6], [3, 2]).RequireGrad();
        var b = Tensor.FromArray(B).RequireGrad();
        var gx = Autograd.Grad(EnergyT(x, w, b), [x])[0];
        var wd = W[..6].Select(v => (double)v).ToArray();
        var expected = Numeric(xs => Energy(xs, wd), X.Select(v => (double)v).ToArray());
        var got = gx.ToArray();
        for (int i = 0; i < 6; i++) Assert.True(Math.Abs(got[i] - expected[i]) < 1e-5, $"∂E/∂x[{i}] = {got[i]}, expected {expected[i]}");
        Assert.Equal([2, 3], gx.Shape.ToArray());
    }

    [Fact]
    public void GradLeavesEveryGradUntouchedAndRunsNoParameterGradient()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(X, [2, 3]).RequireGrad();
        var w = Tensor.FromArray(W[..6], [3, 2]).RequireGrad();
        var b = Tensor.FromArray(B).RequireGrad();
        EnergyT(x, w, b).Backward();
        var wGrad = w.Grad!.ToArray();
        x.ZeroGrad();
        b.ZeroGrad();
        // A spy between w and the product records when the sweep runs its rule.
        var asked = new List<bool>();
        var wSpy = Tensor.Record(w.Detach(), "spy", [w], g => { asked.Add(w.NeedsGrad); return [g]; });
        var y = (Tensor.MatMul(x, wSpy) + b).Softplus().Sum() + x.Square().Sum() * 0.5f;
        var gx = Autograd.Grad(y, [x])[0];
        Assert.Empty(asked); // the spy lies only on w's path: pruned
        Assert.Equal(wGrad, w.Grad!.ToArray());
        Assert.Null(x.Grad);
        Assert.Null(b.Grad);
        Assert.Equal(6, gx.Length);
        Autograd.Grad(y, [w]);
        Assert.Equal([true], asked);
    }

    [Fact]
    public void GradOfAnIntermediateStopsThere()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1f, 2f, 3f]).RequireGrad();
        var h = x * 2f;
        var y = (h.Square() + x).Sum();
        var (gh, gx) = (Autograd.Grad(y, [h])[0], Autograd.Grad(y, [x])[0]);
        Assert.Equal([4f, 8f, 12f], gh.ToArray());      // 2h
        Assert.Equal([9f, 17f, 25f], gx.ToArray());     // 8x + 1
        var both = Autograd.Grad(y, [x, h, x]);
        Assert.Equal(gx.ToArray(), both[0].ToArray());
        Assert.Equal(gh.ToArray(), both[1].ToArray());
        Assert.Equal(gx.ToArray(), both[2].ToArray());
        Assert.NotSame(both[0], both[2]);
    }

    [Fact]
    public void UnusedTargetsAreAnErrorUnlessAllowed()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1f, 2f]).RequireGrad();
        var z = Tensor.FromArray([3f]).RequireGrad();
        var y = x.Sum();
        var e = Assert.Throws<GibbsException>(() => Autograd.Grad(y, [x, z]));
        Assert.Contains("does not depend on wrt[1]", e.Message);
        Assert.Equal([0f], Autograd.Grad(y, [x, z], allowUnused: true)[1].ToArray());
        var plain = Tensor.FromArray([1f]);
        Assert.Contains("does not require grad", Assert.Throws<GibbsException>(() => Autograd.Grad(y, [plain])).Message);
    }

    [Fact]
    public void SeededVectorJacobianProduct()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1f, 2f, 3f]).RequireGrad();
        var y = x.Square();
        var g = Autograd.Grad(y, [x], seed: Tensor.FromArray([1f, 0f, -1f]))[0];
        Assert.Equal([2f, 0f, -6f], g.ToArray());
    }

    [Fact]
    public void CreateGraphGivesAGradientPenaltyItsGradient()
    {
        // P(W) = ‖∂E/∂x‖² at fixed x; dP/dW by differentiating the recorded gradient, against finite differences.
        var xd = X.Select(v => (double)v).ToArray();
        double Penalty(double[] w)
        {
            var g = Numeric(xs => Energy(xs, w), xd, 1e-4);
            return g.Sum(v => v * v);
        }
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(X, [2, 3]).RequireGrad();
        var w = Tensor.FromArray(W[..6], [3, 2]).RequireGrad();
        var b = Tensor.FromArray(B);
        var gx = Autograd.Grad(EnergyT(x, w, b), [x], createGraph: true)[0];
        Assert.True(gx.RequiresGrad);
        var penalty = gx.Square().Sum();
        var dw = Autograd.Grad(penalty, [w])[0].ToArray();
        var expected = Numeric(Penalty, W[..6].Select(v => (double)v).ToArray(), 1e-3);
        for (int i = 0; i < 6; i++) Assert.True(Math.Abs(dw[i] - expected[i]) < 2e-3 * (1 + Math.Abs(expected[i])), $"∂P/∂W[{i}] = {dw[i]}, expected {expected[i]}");
    }

    [Fact]
    public void GradModeScopesArePublic()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1f]).RequireGrad();
        using (Autograd.NoGrad())
        {
            Assert.False(Autograd.IsEnabled);
            Assert.False((x * 2f).RequiresGrad);
            using (Autograd.EnableGrad())
            {
                Assert.True(Autograd.IsEnabled);
                Assert.True((x * 2f).RequiresGrad);
            }
            Assert.False(Autograd.IsEnabled);
        }
        Assert.True(Autograd.IsEnabled);
    }
}

/// <summary>Counts GEMM calls made from the current thread (wraps the process-wide provider, hence serial).</summary>
internal sealed unsafe class CountingGemm(Gibbs.Backends.Cpu.Gemm.IGemm inner) : Gibbs.Backends.Cpu.Gemm.IGemm
{
    [ThreadStatic] private static int _calls;

    public static int Calls => _calls;

    public string Name => inner.Name;

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        _calls++;
        inner.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    public static IDisposable Install()
    {
        var saved = Gibbs.Backends.Cpu.Gemm.GemmProvider.Current;
        Gibbs.Backends.Cpu.Gemm.GemmProvider.Current = new CountingGemm(saved);
        return new Restore(saved);
    }

    private sealed class Restore(Gibbs.Backends.Cpu.Gemm.IGemm saved) : IDisposable
    {
        public void Dispose() => Gibbs.Backends.Cpu.Gemm.GemmProvider.Current = saved;
    }
}

[Collection("serial")]
public class AutogradPruningTests
{
    [Fact]
    public void GradRunsOnlyTheInputGradientGemm()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([0.3f, -1.2f, 0.8f, 0.1f, -0.4f, 1.5f], [2, 3]).RequireGrad();
        var w = Tensor.FromArray([0.5f, -0.7f, 0.2f, 1.1f, -0.3f, 0.9f], [3, 2]).RequireGrad();
        var y = Tensor.MatMul(x, w).Sum();
        using (CountingGemm.Install())
        {
            int before = CountingGemm.Calls;
            Autograd.Grad(y, [x]);
            Assert.Equal(1, CountingGemm.Calls - before); // dX = G·Wᵀ only, no Xᵀ·G
            before = CountingGemm.Calls;
            y.Backward();
            Assert.Equal(2, CountingGemm.Calls - before);
        }
    }
}
