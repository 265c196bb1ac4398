// Log-scale axis for ScottPlot 5, which plots log10 of the data: integer decade ticks labelled
// 10^k (or plain numbers for 0.001…10000), minor ticks at 2…9 × 10^k.
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Gibbs.Plots.Internals;

internal static class LogAxis
{
    /// <summary>Makes <paramref name="axis"/> show decades of data already transformed with log10.</summary>
    public static void Apply(IAxis axis)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = Label,
        };
    }

    /// <summary>The label of the tick at log10 value <paramref name="k"/>.</summary>
    public static string Label(double k)
    {
        double v = Math.Pow(10, k);
        if (k >= -3 && k <= 4)
            return v.ToString(k < 0 ? "0.###" : "0", System.Globalization.CultureInfo.InvariantCulture);
        return $"1e{k:0}";
    }
}
