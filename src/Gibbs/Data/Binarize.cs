// Binarisation of grey-level data for Bernoulli models: fixed (threshold) or dynamic (a fresh
// Bernoulli(x) draw each time, from uniforms supplied by the caller's generator).
namespace Gibbs.Data;

public static class Binarize
{
    /// <summary>x &gt; threshold → 1, else 0, into a new array.</summary>
    public static float[] Threshold(ReadOnlySpan<float> x, float threshold = 0.5f)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > threshold ? 1f : 0f;
        return y;
    }

    /// <summary>dst[i] = 1 when uniforms[i] &lt; p[i] (a Bernoulli(p) draw).</summary>
    public static void Sample(ReadOnlySpan<float> p, ReadOnlySpan<float> uniforms, Span<float> dst)
    {
        if (uniforms.Length < p.Length || dst.Length < p.Length) throw new ArgumentException("uniforms and dst must be at least as long as p");
        for (int i = 0; i < p.Length; i++) dst[i] = uniforms[i] < p[i] ? 1f : 0f;
    }

    /// <summary>A dataset with thresholded values.</summary>
    public static Dataset Threshold(Dataset d, float threshold = 0.5f) =>
        new(d.Name + "-binarized", Threshold(d.X, threshold), d.Features, d.Labels, d.Classes, d.SampleShape, d.Source);
}
