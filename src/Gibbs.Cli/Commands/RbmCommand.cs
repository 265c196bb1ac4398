// `gibbs rbm train|eval|sample`: restricted Boltzmann machines from the command line.
using System.CommandLine;
using Gibbs.Data;
using Gibbs.Models.Rbm;

namespace Gibbs.Cli.Commands;

public static partial class RbmCommand
{
    public static Command Build()
    {
        var cmd = new Command("rbm", "Restricted Boltzmann machines: train (CD/PCD/TAP), evaluate (log Z exact/AIS/TAP), sample.");
        cmd.Add(DataCommand.DataDir);
        cmd.Add(BuildTrain());
        cmd.Add(BuildEval());
        cmd.Add(BuildSample());
        return cmd;
    }

    internal static T Parse<T>(string value, string option) where T : struct, Enum =>
        Enum.TryParse<T>(value.Replace("-", ""), ignoreCase: true, out var v) && Enum.IsDefined(v) ? v
            : throw new GibbsException($"{option} '{value}' is not one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");

    /// <summary>Rows of a dataset prepared for an RBM: binarised when asked (threshold here; dynamic per batch in training).</summary>
    internal static float[] Prepare(Dataset d, VisibleKind kind, BinarizeMode mode)
    {
        if (kind == VisibleKind.Gaussian || mode == BinarizeMode.None || mode == BinarizeMode.Dynamic) return d.X;
        return Binarize.Threshold(d.X);
    }

    /// <summary>Throws the --binarize hint when a Bernoulli model meets non-binary data.</summary>
    internal static void RequireBinary(Dataset d, float[] x, string what)
    {
        for (int i = 0; i < x.Length; i++)
            if (x[i] != 0f && x[i] != 1f)
                throw new GibbsException($"{what} data '{d.Name}' is not binary (value {x[i]} at row {i / d.Features}, column {i % d.Features}); a Bernoulli RBM needs 0/1 data: pass --binarize threshold or --binarize dynamic");
    }

    /// <summary>Image side for pictures when the visible layer is a square image (e.g. 28 for 784), else null.</summary>
    internal static int? ImageSide(int nv)
    {
        int s = (int)Math.Round(Math.Sqrt(nv));
        return s * s == nv ? s : null;
    }
}
