// The frontier's thermodynamics (001 §4, App. F) on an exactly known frontier: R(D, C, S) = a/(D·C) + c/S, whose
// equilibria for multipliers (δ, γ, σ) solve −∂R/∂D = δ, −∂R/∂C = γ, −∂R/∂S = σ/N in closed form. On it the first law
// holds to second order in the grid step, the Maxwell relations exactly up to the cube's finite differences (and not
// trivially: ∂δ/∂C ≠ 0 here), and K_D = (∂R/∂σ)_{D,C} = ½√(c/N)/√σ. A frontier with one functional off shows residuals.
using Gibbs.Models.Therml;

namespace Gibbs.Tests.Therml;

public class FrontierTests
{
    private const double A = 2, Cc = 30;
    private const int N = 50;

    /// <summary>The equilibrium of R = A/(D·C) + Cc/S for (δ, γ, σ): D²C = A/δ, DC² = A/γ, S² = Cc·N/σ.</summary>
    private static FrontierPoint Exact(double delta, double gamma, double sigma)
    {
        // D³ = A·γ/δ² and C = D·δ/γ.
        double d = Math.Cbrt(A * gamma / (delta * delta)), c = d * delta / gamma, s = Math.Sqrt(Cc * N / sigma);
        return new FrontierPoint(delta, gamma, sigma, new Functionals(A / (d * c) + Cc / s, d, c, s));
    }

    private static List<FrontierPoint> Grid(Func<double, double, double, FrontierPoint> f, double h = 0.05) =>
        (from d in new[] { 1.0, 1 + h, 1 + 2 * h } from g in new[] { 0.8, 0.8 + h, 0.8 + 2 * h } from s in new[] { 0.2, 0.2 + h / 5, 0.2 + 2 * h / 5 } select f(d, g, s)).ToList();

    [Fact]
    public void TheFirstLawHoldsOnAnExactFrontier()
    {
        var edges = FrontierAnalysis.FirstLaw(Grid(Exact), rho: 1, N);
        Assert.Equal(3 * 18, edges.Count);
        Assert.All(edges, e => Assert.True(e.Relative < 2e-3, $"{e.Axis}: {e.Relative}"));
        // Halving the step shrinks the residual about four times (second order, from the midpoint multipliers).
        var fine = FrontierAnalysis.FirstLaw(Grid(Exact, 0.025), 1, N);
        Assert.True(fine.Max(e => Math.Abs(e.Residual)) < 0.35 * edges.Max(e => Math.Abs(e.Residual)));
    }

    [Fact]
    public void TheFirstLawFailsWhenAFunctionalIsOff()
    {
        // Report C where D belongs in half the points: the law no longer balances along δ.
        var broken = Grid((d, g, s) => { var p = Exact(d, g, s); return d > 1.01 ? p with { F = p.F with { D = p.F.D * 1.05 } } : p; });
        Assert.Contains(FrontierAnalysis.FirstLaw(broken, 1, N), e => e.Relative > 0.2);
        // ρ matters: the same exact frontier read with ρ = 2 breaks the law too.
        Assert.Contains(FrontierAnalysis.FirstLaw(Grid(Exact), 2, N), e => e.Relative > 0.2);
    }

    [Fact]
    public void MaxwellRelationsAndTheSusceptibilityOnAnExactFrontier()
    {
        var cubes = FrontierAnalysis.Cubes(Grid(Exact, 0.01), rho: 1, N);
        Assert.Equal(8, cubes.Count);
        foreach (var c in cubes)
        {
            Assert.True(c.MaxwellDC < 0.02, $"eq. 30 residual {c.MaxwellDC}");
            Assert.True(double.IsNaN(c.MaxwellCSAtFixedDelta) || c.MaxwellCSAtFixedDelta < 0.02);   // 0/0 here: C and S respond separately
            // Non-trivial: ∂δ/∂C at fixed D, S is −A/(D²C²) here.
            var p = Exact(c.Delta, c.Gamma, c.Sigma);
            Assert.Equal(-A / Math.Pow(p.F.D * p.F.C, 2), c.M[0, 1], 0.02 * A / Math.Pow(p.F.D * p.F.C, 2));
            Assert.Equal(0.5 * Math.Sqrt(Cc / N) / Math.Sqrt(c.Sigma), c.KD, 0.01 * c.KD);
            Assert.Equal(c.KD, c.KDFromEntropy, 0.01 * c.KD);
        }
    }

    [Fact]
    public void AMultiplierFieldWithoutAPotentialBreaksEq30()
    {
        // D = 1/δ + 0.3γ, C = 1/γ: ∂D/∂γ = 0.3 but ∂C/∂δ = 0, so no R(D, C, S) has these multipliers as its slopes.
        var points = Grid((d, g, s) => new FrontierPoint(d, g, s, new Functionals(1, 1 / d + 0.3 * g, 1 / g, Math.Sqrt(Cc * N / s))), 0.01);
        Assert.All(FrontierAnalysis.Cubes(points, 1, N), c => Assert.True(c.MaxwellDC > 0.5, $"eq. 30 residual {c.MaxwellDC}"));
        // At fixed δ: C = 1/γ + 0.2σ but S independent of γ: (∂γ/∂S)_C ≠ (∂σ/∂C)_S.
        var cs = Grid((d, g, s) => new FrontierPoint(d, g, s, new Functionals(1, 1 / d, 1 / g + 0.2 * s, Math.Sqrt(Cc * N / s))), 0.01);
        Assert.All(FrontierAnalysis.Cubes(cs, 1, N), c => Assert.True(c.MaxwellCSAtFixedDelta > 0.5, $"fixed-δ residual {c.MaxwellCSAtFixedDelta}"));
    }

    [Fact]
    public void AnIncompleteGridIsOneLine()
    {
        var points = Grid(Exact).Skip(1).ToList();
        Assert.Contains("do not fill the 3×3×3 grid", Assert.Throws<GibbsException>(() => FrontierAnalysis.FirstLaw(points, 1, N)).Message);
    }
}
