// Datasets from files: IDX (with a sibling labels file), NPY matrices, safetensors with "X" (and "y").
// Every file's values must be finite (NaN/±Infinity are refused with their row and column) unless the
// caller only inspects the data (`gibbs data info` counts them).
using System.Globalization;

namespace Gibbs.Data;

public static partial class Datasets
{
    private static Dataset FromFile(string path, bool allowNonFinite)
    {
        var d = ReadFile(path);
        if (!allowNonFinite) RequireFinite(path, d);
        return d;
    }

    /// <summary>Throws at the first NaN or ±Infinity, with its row and column (the flat feature index).</summary>
    private static void RequireFinite(string path, Dataset d)
    {
        int i = Array.FindIndex(d.X, v => !float.IsFinite(v));
        if (i < 0) return;
        float v = d.X[i];
        var why = float.IsNaN(v) ? "NaN" : v.ToString(CultureInfo.InvariantCulture) + " (infinite, or beyond float32's range ±3.4e38)";
        throw new GibbsFormatException(string.Create(CultureInfo.InvariantCulture,
            $"{path}: the value at row {i / d.Features}, column {i % d.Features} is {why}; Gibbs needs finite data: replace or drop non-finite values (e.g. numpy.nan_to_num) and save the file again (`gibbs data info` counts them)"));
    }

    private static Dataset ReadFile(string path)
    {
        var name = Path.GetFileName(path);
        var lower = name.ToLowerInvariant();
        if (lower.EndsWith(".npy", StringComparison.Ordinal))
        {
            using var t = IO.Npy.Load(path).Untrack();
            return Matrix(name, t, null, path);
        }
        if (lower.EndsWith(".safetensors", StringComparison.Ordinal))
        {
            using var f = IO.SafeTensors.Load(path);
            if (!f.Tensors.ContainsKey("X"))
                throw new GibbsFormatException($"{path}: a dataset file needs a tensor named 'X' [N × features] (and optionally 'y' [N]); it has {string.Join(", ", f.Tensors.Keys)}");
            int[]? y = f.Tensors.TryGetValue("y", out var yt) ? Labels(path, yt.ToArray()) : null;
            return Matrix(name, f["X"], y, path);
        }
        if (lower.Contains(".idx") || lower.EndsWith("-ubyte", StringComparison.Ordinal) || lower.EndsWith("-ubyte.gz", StringComparison.Ordinal))
        {
            var images = Idx.Read(path);
            var labelsPath = Path.Combine(Path.GetDirectoryName(path) ?? ".", name.Replace("images", "labels").Replace("idx3", "idx1"));
            var labels = labelsPath != path && File.Exists(labelsPath) ? Idx.Read(labelsPath) : null;
            return FromIdx(name, images, labels, path);
        }
        throw new GibbsException($"{path}: unknown dataset file type; use .idx[.gz], .npy or .safetensors");
    }

    private static Dataset Matrix(string name, Tensor t, int[]? labels, string path)
    {
        if (t.Rank < 2) throw new GibbsFormatException($"{path}: dataset array must be [N × features], got {Tensor.Format(t.Shape)}");
        int n = t.Dim(0);
        if (labels is not null && labels.Length != n)
            throw new GibbsFormatException($"{path}: 'y' has {labels.Length} labels but 'X' has {n} rows; they must match");
        int features = t.Length / Math.Max(1, n);
        int classes = labels is null || labels.Length == 0 ? 0 : labels.Max() + 1;
        return new Dataset(name, t.ToArray(), features, labels, classes, t.Shape[1..].ToArray(), path);
    }
}
