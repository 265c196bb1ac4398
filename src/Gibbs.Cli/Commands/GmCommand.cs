// `gibbs gm train|eval|sample|traverse`: Gibbs machines (000_c7b547386cdeff84.txt §3) from the command line.
using System.CommandLine;
using Gibbs.Data;
using Gibbs.Models.Gm;
using Gibbs.Models.Rbm;
using Gibbs.Rng;

namespace Gibbs.Cli.Commands;

public static partial class GmCommand
{
    public static Command Build()
    {
        var cmd = new Command("gm", "Gibbs machines: generative nets with Gibbs-class (Gaussian, Laplacian) latents — train, evaluate (bound, importance-sampled NLL, D_var), sample, traverse.");
        cmd.Add(DataCommand.DataDir);
        cmd.Add(BuildTrain());
        cmd.Add(BuildEval());
        cmd.Add(BuildSample());
        cmd.Add(BuildTraverse());
        return cmd;
    }

    private static Option<string> ModelOption() => new("--model") { Description = "Model file written by `gibbs gm train` (or its .ckpt)", Required = true };

    /// <summary>Loads the model, checking the file exists first (one line otherwise).</summary>
    internal static (GibbsMachine Model, IReadOnlyDictionary<string, string> Meta) LoadModel(string path, Context ctx)
    {
        if (!File.Exists(path)) throw new GibbsException($"--model '{path}' does not exist: pass a file written by `gibbs gm train --out …`");
        return GmFile.Load(path, ctx.Device);
    }

    /// <summary>The split of a named dataset (or a whole file), checked against the model's width.</summary>
    internal static Dataset LoadData(string name, DatasetSplit split, ParseResult parse, GibbsMachine model)
    {
        var ds = DataCommand.Load(name, split, parse);
        if (ds.Features != model.Features)
            throw new GibbsException($"{ds.Name} has {ds.Features} features but the model ({model.Architecture}) takes {model.Features}: use the data it was trained on");
        return ds;
    }

    /// <summary>The binarisation the model was trained with (its file's metadata), unless the user overrides it.</summary>
    internal static BinarizeMode BinarizeOf(IReadOnlyDictionary<string, string> meta, string? overrideValue) =>
        RbmCommand.Parse<BinarizeMode>(overrideValue ?? meta.GetValueOrDefault("binarize") ?? "dynamic", "--binarize");

    /// <summary>
    /// Evaluation rows: the whole split prepared first (binarised by the one fixed draw, so a row's bits do not depend on
    /// which rows are picked — the PyTorch peer does the same), then the rows <paramref name="pick"/> (all when null).
    /// </summary>
    internal static Tensor Rows(Dataset d, GibbsMachine model, BinarizeMode mode, Backends.Device device, int[]? pick = null)
    {
        var x = GibbsMachineTrainer.PrepareEvaluation(model, mode, CheckRange(d, model, mode));
        if (pick is null) return Tensor.FromArray(x, [d.Count, d.Features], device);
        var rows = new float[pick.Length * d.Features];
        for (int i = 0; i < pick.Length; i++) Array.Copy(x, (long)pick[i] * d.Features, rows, (long)i * d.Features, d.Features);
        return Tensor.FromArray(rows, [pick.Length, d.Features], device);
    }

    /// <summary>n row numbers evenly spaced through count rows (all of them when n ≥ count).</summary>
    internal static int[] SpreadRows(int count, int n) =>
        Enumerable.Range(0, Math.Min(n, count)).Select(i => n >= count ? i : (int)((long)i * count / n)).ToArray();

    private static float[] CheckRange(Dataset d, GibbsMachine model, BinarizeMode mode)
    {
        if (model.Reconstruction != ReconstructionKind.Bernoulli) return d.X;
        var (min, max) = d.Range();
        if (mode == BinarizeMode.None && !d.IsBinary())
            throw new GibbsException($"{d.Name} is not binary: a Bernoulli Gibbs machine needs 0/1 data; pass --binarize dynamic or --binarize threshold");
        if (mode == BinarizeMode.Dynamic && (min < 0 || max > 1))
            throw new GibbsException($"{d.Name} lies in [{min}, {max}]: dynamic binarisation uses the values as probabilities; rescale to [0, 1] or pass --binarize threshold");
        return d.X;
    }

    /// <summary>Latent units ranked by their mean generative error over rows x (the most informative first).</summary>
    internal static int[] RankByGenerativeError(GibbsMachine m, Tensor x, out double[] meanError)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var (mu, ls) = m.Encode(x);
        var e = m.Latent.GenerativeError(mu, ls).Mean(0).ToArray().Select(v => (double)v).ToArray();
        meanError = e;
        return Enumerable.Range(0, e.Length).OrderByDescending(j => e[j]).ToArray();
    }

    /// <summary>Decoded means on a grid: row r varies latent units[r] over `steps` values in [−range, range], the rest at 0.</summary>
    internal static float[] Traversal(GibbsMachine m, int[] units, int steps, float range)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var z = new float[units.Length * steps * m.LatentSize];
        for (int r = 0; r < units.Length; r++)
            for (int s = 0; s < steps; s++)
                z[(r * steps + s) * m.LatentSize + units[r]] = steps == 1 ? 0f : -range + 2f * range * s / (steps - 1);
        return m.Mean(m.Decode(Tensor.FromArray(z, [units.Length * steps, m.LatentSize], m.Device))).ToArray();
    }

    /// <summary>Decoded means along the straight line between the posterior locations of rows a and b of x.</summary>
    internal static float[] Interpolation(GibbsMachine m, Tensor x, int a, int b, int steps)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var mu = m.Encode(x).Mu.ToArray();
        int d = m.LatentSize;
        var z = new float[steps * d];
        for (int s = 0; s < steps; s++)
        {
            float t = steps == 1 ? 0f : s / (float)(steps - 1);
            for (int j = 0; j < d; j++) z[s * d + j] = (1 - t) * mu[a * d + j] + t * mu[b * d + j];
        }
        return m.Mean(m.Decode(Tensor.FromArray(z, [steps, d], m.Device))).ToArray();
    }

    internal static int Side(GibbsMachine m, string what) => RbmCommand.ImageSide(m.Features)
        ?? throw new GibbsException($"{m.Features} features do not form a square image, so there is no picture for {what}");

    internal static Generator Gen(Context ctx, ulong stream) => new Generator(ctx.Seed).Fork(stream);

    /// <summary>--distort SHIFT,DEGREES: train and test images shifted (±SHIFT px) and rotated (±DEGREES) at random, seeded.</summary>
    internal static readonly Option<string?> DistortOption = new("--distort")
    {
        Description = "Random shifts (±SHIFT px) and rotations (±DEGREES) of every image, e.g. 4,30 — the same draws for every model (seeded per split)",
    };

    internal static (double Shift, double Degrees)? ParseDistortion(ParseResult parse, string? text = null)
    {
        text ??= parse.GetValue(DistortOption);
        if (text is null || text == "none") return null;
        var p = text.Split(',');
        if (p.Length != 2 || !double.TryParse(p[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double shift)
            || !double.TryParse(p[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double degrees)
            || !(shift >= 0) || !(degrees >= 0) || !double.IsFinite(shift) || !double.IsFinite(degrees))
            throw new GibbsException($"--distort '{text}': give the largest shift in pixels and the largest rotation in degrees, both ≥ 0, e.g. --distort 4,30");
        return (shift, degrees);
    }

    internal static string DistortText((double Shift, double Degrees)? d) =>
        d is { } v ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{v.Shift},{v.Degrees}") : "none";

    /// <summary>The split with the distortion applied (a fixed seed per split, so every model sees the same images).</summary>
    internal static Dataset Distorted(Dataset d, (double Shift, double Degrees)? distortion, DatasetSplit split)
    {
        if (distortion is not { } v) return d;
        if (RbmCommand.ImageSide(d.Features) is null) throw new GibbsException($"--distort needs square images; {d.Name} has {d.Features} features");
        return Distort.ShiftRotate(d, v.Shift, v.Degrees, split == DatasetSplit.Test ? 0x74657374UL : 0x747261696eUL).Data;
    }
}
