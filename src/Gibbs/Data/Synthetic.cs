// The 2-D sets of 002_d7648fe8bb9cfc6d.txt §4 (10,000 points each). The paper gives no formulas, so:
// two-spirals: the classic two interleaved arms, θ = 3π·√u, radius θ/π (0…3), arm k rotated by kπ,
//              isotropic noise σ = 0.1; label = arm.
// four-spin:   the "pinwheel" of Johnson et al. (NeurIPS 2016) with 4 arms: (r, t) ~ N((1, 0), diag(0.3², 0.05²)),
//              rotated by 2πk/4 + 0.25·e^r; label = arm. Both deterministic in the seed.
using Gibbs.Rng;

namespace Gibbs.Data;

public static class Synthetic
{
    public static Dataset TwoSpirals(int n, ulong seed)
    {
        var g = new Generator(seed);
        var x = new float[2 * n];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int arm = i % 2;
            double theta = 3 * Math.PI * Math.Sqrt(g.NextDouble());
            double r = theta / Math.PI;
            double a = theta + arm * Math.PI;
            x[2 * i] = (float)(r * Math.Cos(a) + 0.1 * Normal(g));
            x[2 * i + 1] = (float)(r * Math.Sin(a) + 0.1 * Normal(g));
            y[i] = arm;
        }
        return new Dataset("two-spirals", x, 2, y, 2, [2], "generated (seed " + seed + ")");
    }

    public static Dataset FourSpin(int n, ulong seed)
    {
        var g = new Generator(seed);
        var x = new float[2 * n];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int arm = i % 4;
            double r = 1 + 0.3 * Normal(g), t = 0.05 * Normal(g);
            double angle = 2 * Math.PI * arm / 4 + 0.25 * Math.Exp(r);
            x[2 * i] = (float)(Math.Cos(angle) * r - Math.Sin(angle) * t);
            x[2 * i + 1] = (float)(Math.Sin(angle) * r + Math.Cos(angle) * t);
            y[i] = arm;
        }
        return new Dataset("four-spin", x, 2, y, 4, [2], "generated (seed " + seed + ")");
    }

    private static double Normal(Generator g)
    {
        double u1 = 1 - g.NextDouble(), u2 = g.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
