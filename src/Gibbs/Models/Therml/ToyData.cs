// The toy data of 001_ada2633fde8fc741.txt App. H (after Alemi et al. 2018): a class Z ~ Ber(0.7), a hidden value
// h|Z ~ N(μ_Z, σ_Z²), the observation x = h discretised into 30 equal bins, and the label y = Z, with μ_Z, σ_Z set so
// that I(x; Z) = 0.5 nats. The seed gives neither μ_Z, σ_Z nor the bins. Our choice, one free parameter so that the
// condition fixes it: σ₀ = σ₁ = 1, μ₀ = −m, μ₁ = +m, and 30 bins of equal width on [−6, 6] whose two outer bins also
// take the tails (so p(x) sums to 1 exactly). I(x; Z) grows with m from 0 to H(Z) = 0.611 nats, and bisection finds
// m = 1.67438 (Separation; scipy agrees to 1e-9). Everything is exact (no sampling) except Sample, which draws a
// finite data set. This is the first piece of issue 12 (TherML); the model and objectives build on it.
using Gibbs.Rng;

namespace Gibbs.Models.Therml;

public sealed class ToyData
{
    /// <summary>P(Z = 1).</summary>
    public const double ClassOne = 0.7;

    /// <summary>The number of bins of x (and of values of the one-hot observation).</summary>
    public const int Bins = 30;

    /// <summary>The bins cover [−Range, Range]; the outer two extend to ∓∞.</summary>
    public const double Range = 6;

    /// <summary>The seed's target I(x; Z) in nats.</summary>
    public const double TargetInformation = 0.5;

    private readonly double[,] _joint; // p(x, Z), [Bins × 2]

    private ToyData(double separation)
    {
        Separation = separation;
        _joint = Joint(separation);
    }

    /// <summary>The toy of App. H with I(x; Z) = 0.5 nats.</summary>
    public static ToyData AppendixH { get; } = new(Solve(TargetInformation));

    /// <summary>A toy with the given separation m (μ_Z = ±m, σ_Z = 1); for tests and sweeps.</summary>
    public static ToyData WithSeparation(double m) =>
        double.IsFinite(m) && m >= 0 ? new ToyData(m) : throw new GibbsException($"the separation m must be a finite number ≥ 0, got {m}");

    /// <summary>m: the class means are μ₀ = −m and μ₁ = +m (σ_Z = 1).</summary>
    public double Separation { get; }

    /// <summary>The lower edge of bin i (bin 0 extends to −∞ in the probabilities).</summary>
    public static double Edge(int i) => -Range + 2 * Range * i / Bins;

    /// <summary>p(x = i, Z = z).</summary>
    public double Joint(int x, int z) => _joint[x, z];

    /// <summary>p(x = i).</summary>
    public double Marginal(int x) => _joint[x, 0] + _joint[x, 1];

    /// <summary>p(Z = 1 | x = i), which is also p(y = 1 | x).</summary>
    public double ClassGivenX(int x) => _joint[x, 1] / Marginal(x);

    /// <summary>The exact p(x, y) (y = Z), [Bins × 2] — the infinite-data variant.</summary>
    public double[,] Exact() => (double[,])_joint.Clone();

    /// <summary>The empirical p(x, y) of a finite data set, [Bins × 2].</summary>
    public static double[,] Empirical(int[] x, int[] y)
    {
        if (x.Length != y.Length || x.Length == 0) throw new GibbsException($"a data set needs as many labels as observations (and at least one): {x.Length} vs {y.Length}");
        var p = new double[Bins, 2];
        for (int i = 0; i < x.Length; i++)
        {
            if ((uint)x[i] >= Bins || (uint)y[i] > 1) throw new GibbsException($"example {i} is (x={x[i]}, y={y[i]}); x must lie in 0…{Bins - 1} and y in {{0, 1}}");
            p[x[i], y[i]] += 1.0 / x.Length;
        }
        return p;
    }

    /// <summary>I(x; Z) in nats, by exact summation.</summary>
    public double Information => MutualInformation(_joint);

    /// <summary>A finite data set of n draws (x, y = Z), x the bin index.</summary>
    public (int[] X, int[] Y) Sample(int n, Generator gen)
    {
        if (n < 1) throw new GibbsException($"a data set needs at least 1 example, got {n}");
        var x = new int[n];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            double u = gen.NextDouble(), acc = 0;
            int cell = 0;
            for (; cell < 2 * Bins - 1; cell++)
                if (u < (acc += _joint[cell / 2, cell % 2])) break;
            (x[i], y[i]) = (cell / 2, cell % 2);
        }
        return (x, y);
    }

    private static double[,] Joint(double m)
    {
        var p = new double[Bins, 2];
        for (int z = 0; z < 2; z++)
        {
            double mean = z == 1 ? m : -m, weight = z == 1 ? ClassOne : 1 - ClassOne;
            for (int i = 0; i < Bins; i++)
            {
                double lo = i == 0 ? 0 : Distributions.Normal.Cdf(Edge(i), mean);
                double hi = i == Bins - 1 ? 1 : Distributions.Normal.Cdf(Edge(i + 1), mean);
                p[i, z] = weight * (hi - lo);
            }
        }
        return p;
    }

    private static double MutualInformation(double[,] p)
    {
        double pz1 = 0;
        for (int i = 0; i < Bins; i++) pz1 += p[i, 1];
        double info = 0;
        for (int i = 0; i < Bins; i++)
        {
            double px = p[i, 0] + p[i, 1];
            for (int z = 0; z < 2; z++)
                if (p[i, z] > 0) info += p[i, z] * Math.Log(p[i, z] / (px * (z == 1 ? pz1 : 1 - pz1)));
        }
        return info;
    }

    /// <summary>The separation m with I(x; Z) = <paramref name="target"/> (bisection; I grows with m).</summary>
    public static double Solve(double target)
    {
        double hz = -(ClassOne * Math.Log(ClassOne) + (1 - ClassOne) * Math.Log(1 - ClassOne));
        if (!(target > 0 && target < hz)) throw new GibbsException($"I(x; Z) must lie in (0, H(Z) = {hz:F4}) nats, got {target}");
        double lo = 0, hi = Range;
        if (MutualInformation(Joint(hi)) < target) throw new GibbsException($"I(x; Z) = {target} nats needs classes further apart than the bins allow");
        for (int it = 0; it < 200 && hi - lo > 1e-15; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (MutualInformation(Joint(mid)) < target) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
