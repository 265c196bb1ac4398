// Dataset: a dense float32 design matrix X [Count × Features] (row-major), optional integer labels,
// and where it came from. Data sets are host arrays; models turn batches into tensors.
using Gibbs.Backends;

namespace Gibbs.Data;

public enum DatasetSplit { Train, Test, All }

public sealed class Dataset
{
    public Dataset(string name, float[] x, int features, int[]? labels, int classes, int[] sampleShape, string source)
    {
        if (features < 1 || x.Length % features != 0)
            throw new GibbsException($"dataset '{name}': {x.Length} values are not whole rows of {features} features");
        Count = x.Length / features;
        if (labels is not null && labels.Length != Count)
            throw new GibbsException($"dataset '{name}': {labels.Length} labels for {Count} samples");
        Name = name;
        X = x;
        Features = features;
        Labels = labels;
        Classes = classes;
        SampleShape = sampleShape;
        Source = source;
    }

    public string Name { get; }
    /// <summary>Row-major values [Count × Features].</summary>
    public float[] X { get; }
    public int Count { get; }
    public int Features { get; }
    /// <summary>Class labels [Count] in [0, Classes), or null for unlabelled data.</summary>
    public int[]? Labels { get; }
    public int Classes { get; }
    /// <summary>Shape of one sample, e.g. [28, 28] for images or [2] for points.</summary>
    public int[] SampleShape { get; }
    /// <summary>Where the data was read from (file path, "embedded", or "generated").</summary>
    public string Source { get; }

    /// <summary>True when every value is exactly 0 or 1.</summary>
    public bool IsBinary() => X.All(v => v == 0f || v == 1f);

    /// <summary>The smallest and largest finite value ((0, 0) when there is none); NaN and ±Infinity are left out.</summary>
    public (float Min, float Max) Range()
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in X)
            if (float.IsFinite(v)) { min = MathF.Min(min, v); max = MathF.Max(max, v); }
        return min <= max ? (min, max) : (0, 0);
    }

    /// <summary>How many values are NaN or ±Infinity (loading refuses them unless asked not to, as `gibbs data info` does).</summary>
    public int NonFiniteCount()
    {
        int n = 0;
        foreach (var v in X) if (!float.IsFinite(v)) n++;
        return n;
    }

    /// <summary>Samples per class (empty when unlabelled).</summary>
    public int[] ClassCounts()
    {
        var c = new int[Classes];
        if (Labels is not null) foreach (var y in Labels) c[y]++;
        return c;
    }

    /// <summary>Copies rows <paramref name="indices"/> into <paramref name="dst"/> ([indices.Length × Features]).</summary>
    public void GatherRows(ReadOnlySpan<int> indices, Span<float> dst)
    {
        for (int r = 0; r < indices.Length; r++)
            X.AsSpan(indices[r] * Features, Features).CopyTo(dst.Slice(r * Features, Features));
    }

    /// <summary>A dataset of the given rows.</summary>
    public Dataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        var x = new float[indices.Count * Features];
        var idx = indices.ToArray();
        GatherRows(idx, x);
        var y = Labels is null ? null : idx.Select(i => Labels[i]).ToArray();
        return new Dataset(name ?? Name, x, Features, y, Classes, SampleShape, Source);
    }

    /// <summary>The first <paramref name="n"/> rows (or all when n ≥ Count).</summary>
    public Dataset Take(int n) => n >= Count ? this : Subset(Enumerable.Range(0, n).ToArray());

    /// <summary>X as a [Count × Features] tensor.</summary>
    public Tensor ToTensor(Device? device = null) => Tensor.FromArray(X, [Count, Features], device);

    /// <summary>Labels as a [Count] float tensor (for one-hot / gather).</summary>
    public Tensor LabelTensor(Device? device = null) =>
        Labels is null ? throw new GibbsException($"dataset '{Name}' has no labels")
                       : Tensor.FromArray(Labels.Select(l => (float)l).ToArray(), [Count], device);
}
