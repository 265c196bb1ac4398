// Log-scale axis for ScottPlot 5, which plots log10 of the data. Ticks are chosen from the data's
// span: decades (thinned when there are many, minor ticks at 2…9 × 10^k); within about a decade
// 1-2-5 × 10^k, then 1…9 × 10^k; within a few percent, evenly spaced "nice" values.
using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Gibbs.Plots.Internals;

internal static class LogAxis
{
    /// <summary>Sets the left (or, <paramref name="horizontal"/>, the bottom) axis of <paramref name="plot"/> to show
    /// log10 data spanning [<paramref name="lo"/>, <paramref name="hi"/>]: limits with a 5% margin (at least ±0.02
    /// decades) and ticks.</summary>
    public static void Apply(Plot plot, double lo, double hi, bool horizontal = false)
    {
        var ticks = new NumericManual();
        double pad = Math.Max(0.05 * (hi - lo), 0.02);
        double from = lo - pad, to = hi + pad;
        if (horizontal) plot.Axes.SetLimitsX(from, to);
        else plot.Axes.SetLimitsY(from, to);
        lo = Math.Min(lo, hi - 0.02);   // a flat curve still gets ticks around it
        hi = Math.Max(hi, lo + 0.04);
        var majors = Majors(lo, hi, from, to, out bool minors);
        foreach (var k in majors)
            ticks.AddMajor(k, Label(Math.Pow(10, k)));
        if (minors)
            for (int e = (int)Math.Floor(from); e <= Math.Ceiling(to); e++)
                for (int m = 2; m <= 9; m++)
                    ticks.AddMinor(e + Math.Log10(m));
        if (horizontal) plot.Axes.Bottom.TickGenerator = ticks;
        else plot.Axes.Left.TickGenerator = ticks;
    }

    /// <summary>Major tick positions (log10 values) over [from, to], at least two inside [lo, hi] where possible;
    /// <paramref name="minors"/> says whether 2…9 × 10^k minor ticks fit (every decade labelled).</summary>
    public static List<double> Majors(double lo, double hi, double from, double to, out bool minors)
    {
        int first = (int)Math.Floor(from), last = (int)Math.Ceiling(to);
        minors = false;
        int inside = (int)(Math.Floor(hi) - Math.Ceiling(lo)) + 1;
        if (inside >= 2)
        {
            int every = inside <= 10 ? 1 : inside <= 20 ? 2 : inside <= 50 ? 5 : 10;
            minors = every == 1;
            return Enumerable.Range(first, last - first + 1).Where(e => e % every == 0).Select(e => (double)e).ToList();
        }
        foreach (int[] mantissas in new[] { new[] { 1, 2, 5 }, new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 } })
        {
            var list = new List<double>();
            for (int e = first; e <= last; e++)
                foreach (int m in mantissas)
                    list.Add(e + Math.Log10(m));
            if (list.Count(k => k >= lo && k <= hi) >= 2)
                return list;
        }
        // A narrow span: evenly spaced values 1, 2 or 5 × 10^n apart, about five of them.
        double vlo = Math.Pow(10, lo), vhi = Math.Pow(10, hi);
        double raw = Math.Max(vhi - vlo, vlo * 1e-12) / 5, mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 5, 10 }.Select(s => s * mag).First(s => s >= raw * (1 - 1e-9));
        var even = new List<double>();
        double start = Math.Floor(Math.Pow(10, from) / step), end = Math.Pow(10, to);
        for (int i = 0; i < 200 && (start + i) * step <= end; i++)
            if (start + i > 0)
                even.Add(Math.Log10((start + i) * step));
        return even;
    }

    /// <summary>Plain numbers for 0.001 ≤ v &lt; 100000, else m·e±n (e.g. 1e-6, 2.5e7).</summary>
    public static string Label(double v)
    {
        if (v >= 1e-3 && v < 1e5)
            return Round(v).ToString("0.######", CultureInfo.InvariantCulture);
        int e = (int)Math.Floor(Math.Log10(v));
        double m = Round(v / Math.Pow(10, e));
        if (m >= 10) { m /= 10; e++; }
        return m.ToString("0.##", CultureInfo.InvariantCulture) + "e" + e.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Rounds to 12 significant digits, so 10^k·m prints as m, not 2.0000000000000004.</summary>
    private static double Round(double v) =>
        double.Parse(v.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
