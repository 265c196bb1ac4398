// Binarisation of grey-level data for Bernoulli models: fixed (threshold) or dynamic (a fresh
// Bernoulli(x) draw each time, from uniforms supplied by the caller's generator). A threshold that turns
// varying data into a constant (all 0 or all 1) is refused: that is a threshold that does not fit the data.
using System.Globalization;

namespace Gibbs.Data;

public static class Binarize
{
    /// <summary>x &gt; threshold → 1, else 0, into a new array. Throws GibbsException when a value is not finite,
    /// or when the result is constant (all 0 or all 1) although the input is not.</summary>
    public static float[] Threshold(ReadOnlySpan<float> x, float threshold = 0.5f) => Threshold(x, threshold, features: 0);

    /// <summary>dst[i] = 1 when uniforms[i] &lt; p[i] (a Bernoulli(p) draw).</summary>
    public static void Sample(ReadOnlySpan<float> p, ReadOnlySpan<float> uniforms, Span<float> dst)
    {
        if (uniforms.Length < p.Length || dst.Length < p.Length) throw new ArgumentException("uniforms and dst must be at least as long as p");
        for (int i = 0; i < p.Length; i++) dst[i] = uniforms[i] < p[i] ? 1f : 0f;
    }

    /// <summary>A dataset with thresholded values (the same checks as the array form; errors give row and column).</summary>
    public static Dataset Threshold(Dataset d, float threshold = 0.5f) =>
        new(d.Name + "-binarized", Threshold(d.X, threshold, d.Features), d.Features, d.Labels, d.Classes, d.SampleShape, d.Source);

    /// <summary>The threshold with its checks; <paramref name="features"/> &gt; 0 names rows and columns in errors.</summary>
    private static float[] Threshold(ReadOnlySpan<float> x, float threshold, int features)
    {
        var y = new float[x.Length];
        int ones = 0;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            if (!float.IsFinite(v))
                throw new GibbsException(string.Create(CultureInfo.InvariantCulture, $"cannot binarize: the value at {(features > 0 ? $"row {i / features}, column {i % features}" : $"position {i}")} is {v}; remove or replace non-finite values first"));
            if (v > threshold) { y[i] = 1f; ones++; }
            min = MathF.Min(min, v);
            max = MathF.Max(max, v);
        }
        if ((ones == 0 || ones == x.Length) && min < max)
            throw new GibbsException(string.Create(CultureInfo.InvariantCulture, $"binarizing at threshold {threshold} would make every value {(ones == 0 ? 0 : 1)}: the data lie in [{min}, {max}], which threshold {threshold} does not split; rescale the data to [0, 1] first (e.g. divide by the maximum) or give 0/1 data"));
        return y;
    }
}
