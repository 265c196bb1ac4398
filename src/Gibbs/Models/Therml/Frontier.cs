// The thermodynamics of the optimal frontier (001_ada2633fde8fc741.txt §4, App. F), measured on a grid of trained
// points. At a minimum of J = N·(ρR + δD + γC) + σS every small move along the frontier keeps
//   ρ dR + δ dD + γ dC + (σ/N) dS = 0                       (the first law, eq. 29, R, D, C per example, S total),
// so between neighbouring grid points the residual ρΔR + δ̄ΔD + γ̄ΔC + (σ̄/N)ΔS (multipliers at the midpoint, which
// makes the check second-order accurate) should vanish relative to the size of its terms. The multipliers are
// derivatives of one potential (−δ = ∂(ρR)/∂D, −γ = ∂(ρR)/∂C, −σ/N = ∂(ρR)/∂S), so M = ∂(δ, γ, σ/N)/∂(D, C, S) is a
// Hessian (of −ρR) and symmetric: M_δC = M_γD is eq. 30's Maxwell relation, M_δS = M_σD and M_γS = M_σC two more (App. F).
// M is the inverse of the measured Jacobian ∂(D, C, S)/∂(δ, γ, σ/N) on each grid cube. The susceptibility
// Where D does not respond to the multipliers (a linear R–D frontier pins δ), M does not exist; the relation of the
// potential A = ρR + δD at fixed δ, (∂γ/∂S)_{δ,C} = (∂(σ/N)/∂C)_{δ,S}, needs only C and S to respond. K_D ≡ (∂R/∂σ)_{D,C}, the "rate capacity at constant distortion" (eq. 31 is blank in our copy; this is the heat
// capacity (∂U/∂T)_V under R ↔ U, σ ↔ −T, D ↔ V), is reported both directly and as −(σ/N)(∂S/∂σ)_{D,C}, which the
// first law makes equal.
using MathNet.Numerics.LinearAlgebra;

namespace Gibbs.Models.Therml;

/// <summary>A trained point: its multipliers (δ, γ, σ; ρ is the sweep's) and the functionals reached; <paramref name="Spread"/> is
/// how far apart its restarts' objectives ended, per example (max − min of J/N; NaN with one restart) — the optimisation error.</summary>
public sealed record FrontierPoint(double Delta, double Gamma, double Sigma, Functionals F, double Spread = double.NaN);

/// <summary>The first law between two neighbouring points along one axis.</summary>
public sealed record FirstLawEdge(string Axis, FrontierPoint A, FrontierPoint B, double Residual, double Scale)
{
    /// <summary>|residual| / (|ρΔR| + |δ̄ΔD| + |γ̄ΔC| + |σ̄ΔS/N|): 0 on an exact frontier, ~1 when the law fails.</summary>
    public double Relative => Scale > 0 ? Math.Abs(Residual) / Scale : double.NaN;

    /// <summary>The ends' optimisation error (the larger restart spread of J/N): a residual below it is consistent with the law.</summary>
    public double Noise => Math.Max(A.Spread, B.Spread);
}

/// <summary>One grid cube: M = ∂(δ, γ, σ/N)/∂(D, C, S) at its centre, the Maxwell residuals and K_D.</summary>
public sealed record FrontierCube(double Delta, double Gamma, double Sigma, double[,] M, double MaxwellDC, double MaxwellDS, double MaxwellCS,
                                  double KD, double KDFromEntropy, double MaxwellCSAtFixedDelta)
{
    /// <summary>|M_δC − M_γD| / (|M_δC| + |M_γD|) / 2: eq. 30's relative residual.</summary>
    public static double Relative(double a, double b) => Math.Abs(a - b) / (0.5 * (Math.Abs(a) + Math.Abs(b)));
}

public static class FrontierAnalysis
{
    /// <summary>Axis values of a grid, sorted; throws unless the points fill the full product grid.</summary>
    public static (double[] Deltas, double[] Gammas, double[] Sigmas) Grid(IReadOnlyList<FrontierPoint> points)
    {
        double[] Axis(Func<FrontierPoint, double> f) => points.Select(f).Distinct().Order().ToArray();
        var (d, g, s) = (Axis(p => p.Delta), Axis(p => p.Gamma), Axis(p => p.Sigma));
        if (d.Length * g.Length * s.Length != points.Count)
            throw new GibbsException($"the sweep's {points.Count} points do not fill the {d.Length}×{g.Length}×{s.Length} grid of their δ, γ, σ values; finish the sweep first");
        return (d, g, s);
    }

    private static Dictionary<(double, double, double), FrontierPoint> Index(IReadOnlyList<FrontierPoint> points) =>
        points.ToDictionary(p => (p.Delta, p.Gamma, p.Sigma));

    /// <summary>The first law on every edge of the grid (neighbours along δ, γ or σ).</summary>
    public static IReadOnlyList<FirstLawEdge> FirstLaw(IReadOnlyList<FrontierPoint> points, double rho, int examples)
    {
        var (ds, gs, ss) = Grid(points);
        var at = Index(points);
        var edges = new List<FirstLawEdge>();
        for (int i = 0; i < ds.Length; i++)
            for (int j = 0; j < gs.Length; j++)
                for (int k = 0; k < ss.Length; k++)
                {
                    var a = at[(ds[i], gs[j], ss[k])];
                    if (i + 1 < ds.Length) edges.Add(Edge("δ", a, at[(ds[i + 1], gs[j], ss[k])], rho, examples));
                    if (j + 1 < gs.Length) edges.Add(Edge("γ", a, at[(ds[i], gs[j + 1], ss[k])], rho, examples));
                    if (k + 1 < ss.Length) edges.Add(Edge("σ", a, at[(ds[i], gs[j], ss[k + 1])], rho, examples));
                }
        return edges;
    }

    private static FirstLawEdge Edge(string axis, FrontierPoint a, FrontierPoint b, double rho, int n)
    {
        double d = 0.5 * (a.Delta + b.Delta), g = 0.5 * (a.Gamma + b.Gamma), s = 0.5 * (a.Sigma + b.Sigma) / n;
        double[] terms = [rho * (b.F.R - a.F.R), d * (b.F.D - a.F.D), g * (b.F.C - a.F.C), s * (b.F.S - a.F.S)];
        return new FirstLawEdge(axis, a, b, terms.Sum(), terms.Sum(Math.Abs));
    }

    /// <summary>Maxwell relations and K_D on every cube of the grid (needs at least 2 values per axis).</summary>
    public static IReadOnlyList<FrontierCube> Cubes(IReadOnlyList<FrontierPoint> points, double rho, int examples)
    {
        var (ds, gs, ss) = Grid(points);
        if (ds.Length < 2 || gs.Length < 2 || ss.Length < 2)
            throw new GibbsException($"Maxwell relations need at least 2 values of each of δ, γ, σ; the grid is {ds.Length}×{gs.Length}×{ss.Length}");
        var at = Index(points);
        var cubes = new List<FrontierCube>();
        for (int i = 0; i + 1 < ds.Length; i++)
            for (int j = 0; j + 1 < gs.Length; j++)
                for (int k = 0; k + 1 < ss.Length; k++)
                {
                    // ∂(R, D, C, S)/∂(δ, γ, σ/N): each axis's difference averaged over the cube's four parallel edges.
                    var jac = new double[4, 3];
                    double[] step = [ds[i + 1] - ds[i], gs[j + 1] - gs[j], (ss[k + 1] - ss[k]) / examples];
                    for (int a = 0; a < 2; a++)
                        for (int b = 0; b < 2; b++)
                        {
                            var pairs = new (FrontierPoint Lo, FrontierPoint Hi)[]
                            {
                                (at[(ds[i], gs[j + a], ss[k + b])], at[(ds[i + 1], gs[j + a], ss[k + b])]),
                                (at[(ds[i + a], gs[j], ss[k + b])], at[(ds[i + a], gs[j + 1], ss[k + b])]),
                                (at[(ds[i + a], gs[j + b], ss[k])], at[(ds[i + a], gs[j + b], ss[k + 1])]),
                            };
                            for (int axis = 0; axis < 3; axis++)
                            {
                                var (lo, hi) = pairs[axis];
                                jac[0, axis] += 0.25 * (hi.F.R - lo.F.R) / step[axis];
                                jac[1, axis] += 0.25 * (hi.F.D - lo.F.D) / step[axis];
                                jac[2, axis] += 0.25 * (hi.F.C - lo.F.C) / step[axis];
                                jac[3, axis] += 0.25 * (hi.F.S - lo.F.S) / step[axis];
                            }
                        }
                    var j3 = Matrix<double>.Build.Dense(3, 3, (r, c) => jac[r + 1, c]);   // ∂(D, C, S)/∂(δ, γ, σ/N)
                    var mInv = j3.Inverse();                                                // ∂(δ, γ, σ/N)/∂(D, C, S)
                    var m = new double[3, 3];
                    for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) m[r, c] = mInv[r, c];
                    // K_D = (∂R/∂σ) with D, C held: move (δ, γ) so that dD = dC = 0 while σ moves.
                    var dc = Matrix<double>.Build.Dense(2, 2, (r, c) => jac[r + 1, c]);
                    var rhs = Vector<double>.Build.Dense([-jac[1, 2], -jac[2, 2]]);
                    var move = dc.Solve(rhs);                                               // d(δ, γ)/d(σ/N) at fixed D, C
                    double dRds = jac[0, 2] + jac[0, 0] * move[0] + jac[0, 1] * move[1];    // per unit σ/N
                    double dSds = jac[3, 2] + jac[3, 0] * move[0] + jac[3, 1] * move[1];
                    // With δ held (the potential A = ρR + δD of App. F, eq. 91, as a function of C and S): ∂(γ, σ/N)/∂(C, S) is
                    // the inverse of ∂(C, S)/∂(γ, σ/N) and symmetric, (∂γ/∂S)_{δ,C} = (∂σ/N/∂C)_{δ,S}; D need not respond.
                    var cs = Matrix<double>.Build.Dense(2, 2, (r, c) => jac[r + 2, c + 1]).Inverse();
                    double sMid = 0.5 * (ss[k] + ss[k + 1]);
                    cubes.Add(new FrontierCube(0.5 * (ds[i] + ds[i + 1]), 0.5 * (gs[j] + gs[j + 1]), sMid, m,
                        FrontierCube.Relative(m[0, 1], m[1, 0]), FrontierCube.Relative(m[0, 2], m[2, 0]), FrontierCube.Relative(m[1, 2], m[2, 1]),
                        KD: dRds / examples, KDFromEntropy: -(sMid / examples) * dSds / examples / rho,
                        MaxwellCSAtFixedDelta: FrontierCube.Relative(cs[0, 1], cs[1, 0])));
                }
        return cubes;
    }
}
