// The 2-D sets of 002_d7648fe8bb9cfc6d.txt §4 (10,000 points each). The paper gives no formulas, so:
// two-spirals: the classic two interleaved arms, θ = 3π·√u, radius θ/π (0…3), arm k rotated by kπ,
//              isotropic noise σ = 0.1; label = arm.
// four-spin:   the "pinwheel" of Johnson et al. (NeurIPS 2016) with 4 arms: (r, t) ~ N((1, 0), diag(0.3², 0.05²)),
//              rotated by 2πk/4 + 0.25·e^r; label = arm. Both deterministic in the seed.
namespace Gibbs.Data;

public static class Synthetic
{
    /// <summary><paramref name="n"/> points [n × 2] on two interleaved spiral arms (radius 0…3, noise σ = 0.1); label = arm (alternating).</summary>
    public static Dataset TwoSpirals(int n, ulong seed)
    {
        var g = new SplitMix64(seed);
        var x = new float[2 * n];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int arm = i % 2;
            double theta = 3 * Math.PI * Math.Sqrt(g.NextDouble());
            double r = theta / Math.PI;
            double a = theta + arm * Math.PI;
            x[2 * i] = (float)(r * Math.Cos(a) + 0.1 * g.Normal());
            x[2 * i + 1] = (float)(r * Math.Sin(a) + 0.1 * g.Normal());
            y[i] = arm;
        }
        return new Dataset("two-spirals", x, 2, y, 2, [2], "generated (seed " + seed + ")");
    }

    /// <summary><paramref name="n"/> points [n × 2] on a four-armed pinwheel (Johnson et al. 2016); label = arm (cycling 0..3).</summary>
    public static Dataset FourSpin(int n, ulong seed)
    {
        var g = new SplitMix64(seed);
        var x = new float[2 * n];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int arm = i % 4;
            double r = 1 + 0.3 * g.Normal(), t = 0.05 * g.Normal();
            double angle = 2 * Math.PI * arm / 4 + 0.25 * Math.Exp(r);
            x[2 * i] = (float)(Math.Cos(angle) * r - Math.Sin(angle) * t);
            x[2 * i + 1] = (float)(Math.Sin(angle) * r + Math.Cos(angle) * t);
            y[i] = arm;
        }
        return new Dataset("four-spin", x, 2, y, 4, [2], "generated (seed " + seed + ")");
    }
}
