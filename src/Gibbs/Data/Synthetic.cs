// The 2-D sets of 002_d7648fe8bb9cfc6d.txt §4 (10,000 points each). The paper gives no formulas, so:
// two-spirals: the classic two interleaved arms, θ = 3π·√u, radius θ/π (0…3), arm k rotated by kπ,
//              isotropic noise σ = 0.1; label = arm.
// four-spin:   the "pinwheel" of Johnson et al. (NeurIPS 2016) with 4 arms: (r, t) ~ N((1, 0), diag(0.3², 0.05²)),
//              rotated by 2πk/4 + 0.25·e^r; label = arm. Both deterministic in the seed.
// And the mode-coverage sets of VEEGAN/PacGAN that issue 13 adds beside them: ring8 (8 Gaussians on the unit circle,
// σ = 0.01) and grid25 (25 Gaussians at {−4, −2, 0, 2, 4}², σ = 0.05); label = mode, points cycling through the modes.
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

    /// <summary>The modes of a mixture set: their centres [modes × 2] and the common s.d.</summary>
    public sealed record Mixture(string Name, double[,] Centres, double Sd)
    {
        public int Modes => Centres.GetLength(0);
    }

    /// <summary>ring8: 8 modes at radius 1, angles 2πk/8, σ = 0.01.</summary>
    public static Mixture Ring8Modes { get; } = new("ring8", Centres(8, k => (Math.Cos(2 * Math.PI * k / 8), Math.Sin(2 * Math.PI * k / 8))), 0.01);

    /// <summary>grid25: 25 modes at {−4, −2, 0, 2, 4}², σ = 0.05.</summary>
    public static Mixture Grid25Modes { get; } = new("grid25", Centres(25, k => (-4 + 2 * (k % 5), -4 + 2 * (k / 5))), 0.05);

    /// <summary>The mixture of a named set (ring8, grid25), or null for a set without discrete modes.</summary>
    public static Mixture? ModesOf(string name) => name switch { "ring8" => Ring8Modes, "grid25" => Grid25Modes, _ => null };

    /// <summary><paramref name="n"/> points [n × 2] of <paramref name="mixture"/>: point i from mode i mod modes; label = mode.</summary>
    public static Dataset Sample(Mixture mixture, int n, ulong seed)
    {
        var g = new SplitMix64(seed);
        var x = new float[2 * n];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int k = i % mixture.Modes;
            x[2 * i] = (float)(mixture.Centres[k, 0] + mixture.Sd * g.Normal());
            x[2 * i + 1] = (float)(mixture.Centres[k, 1] + mixture.Sd * g.Normal());
            y[i] = k;
        }
        return new Dataset(mixture.Name, x, 2, y, mixture.Modes, [2], "generated (seed " + seed + ")");
    }

    private static double[,] Centres(int n, Func<int, (double X, double Y)> at)
    {
        var c = new double[n, 2];
        for (int k = 0; k < n; k++) (c[k, 0], c[k, 1]) = at(k);
        return c;
    }
}
