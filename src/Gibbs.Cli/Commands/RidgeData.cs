// The design X and targets y of `gibbs ridge fit|path`, in float64: X from a .npy file (any numeric dtype, read as
// float64, 1-D as one column), an IDX file or a named dataset (`gibbs data list`; pixels scaled to [0, 1]); y from a .npy
// (1-D [n] or 2-D [n × t]) or IDX file, or, when omitted, the labels of X's dataset. --class C turns the target into
// ±1 one-vs-rest (+1 where y = C); --rows N keeps the first N rows. Bad input is one line: a missing or empty file, a
// shape that is not a matrix, rows that differ (checked by RidgeSvd.Fit, with NaN/Inf), a class not in the labels.
using System.Globalization;
using Gibbs.Data;
using Gibbs.IO;

namespace Gibbs.Cli.Commands;

internal sealed record RidgeInput(double[,] X, double[,] Y, string Source)
{
    public int Rows => X.GetLength(0);
    public int Features => X.GetLength(1);
    public int Targets => Y.GetLength(1);

    public static RidgeInput Load(string xPath, string? yPath, int? positiveClass, int? rows)
    {
        if (rows is < 1) throw new GibbsException($"--rows must be ≥ 1, not {rows}");
        double[,] x;
        double[]? labels = null;
        if (xPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            var (v, shape) = Npy.LoadDoubles(xPath);
            x = shape.Length switch
            {
                1 => Matrix(v, shape[0], 1),
                2 => Matrix(v, shape[0], shape[1]),
                _ => throw new GibbsException($"{xPath}: X must be a matrix [n × p] (or a vector, one feature), not shape ({string.Join(", ", shape)})"),
            };
        }
        else
        {
            var d = Datasets.Load(xPath);
            x = new double[d.Count, d.Features];
            for (int i = 0; i < d.Count; i++) for (int j = 0; j < d.Features; j++) x[i, j] = d.X[(long)i * d.Features + j];
            labels = d.Labels?.Select(l => (double)l).ToArray();
        }
        double[,] y;
        if (yPath is not null) y = LoadTargets(yPath);
        else if (labels is not null) y = Matrix(labels, labels.Length, 1);
        else throw new GibbsException($"{xPath} has no labels: give the targets with --y y.npy");
        if (positiveClass is int c)
        {
            if (y.GetLength(1) != 1) throw new GibbsException($"--class needs one column of labels, but y has {y.GetLength(1)}");
            int hits = 0;
            for (int i = 0; i < y.GetLength(0); i++) { bool pos = y[i, 0] == c; hits += pos ? 1 : 0; y[i, 0] = pos ? 1 : -1; }
            if (hits == 0) throw new GibbsException($"--class {c}: no row of y has the label {c}, so the one-vs-rest target would be all −1");
        }
        if (rows is int r && r < x.GetLength(0)) x = FirstRows(x, r);
        if (rows is int r2 && r2 < y.GetLength(0)) y = FirstRows(y, r2);
        return new RidgeInput(x, y, yPath is null ? xPath : $"{xPath}, {yPath}");
    }

    private static double[,] LoadTargets(string path)
    {
        double[] v;
        int[] shape;
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) (v, shape) = Npy.LoadDoubles(path);
        else
        {
            var a = Idx.Read(path);
            (v, shape) = (a.Values.Select(f => (double)f).ToArray(), a.Shape);
        }
        return shape.Length switch
        {
            1 => Matrix(v, shape[0], 1),
            2 => Matrix(v, shape[0], shape[1]),
            _ => throw new GibbsException($"{path}: y must be a vector [n] or a matrix [n × targets], not shape ({string.Join(", ", shape)})"),
        };
    }

    private static double[,] Matrix(double[] v, int n, int p)
    {
        var m = new double[n, p];
        Buffer.BlockCopy(v, 0, m, 0, v.Length * sizeof(double));
        return m;
    }

    private static double[,] FirstRows(double[,] a, int n)
    {
        int p = a.GetLength(1);
        var m = new double[n, p];
        Buffer.BlockCopy(a, 0, m, 0, n * p * sizeof(double));
        return m;
    }

    /// <summary>Log-spaced alphas "FROM:TO:COUNT" (FROM, TO &gt; 0, both ends included) or a comma list.</summary>
    public static double[] Alphas(string text)
    {
        var parts = text.Split(':');
        var inv = CultureInfo.InvariantCulture;
        if (parts.Length == 3)
        {
            if (!double.TryParse(parts[0], NumberStyles.Float, inv, out double lo) || !double.TryParse(parts[1], NumberStyles.Float, inv, out double hi)
                || !int.TryParse(parts[2], NumberStyles.None, inv, out int count) || count < 3 || !(lo > 0) || !(hi > lo) || !double.IsFinite(hi))
                throw new GibbsException($"--alphas '{text}': write FROM:TO:COUNT with 0 < FROM < TO and COUNT ≥ 3 (log-spaced), e.g. 1e-6:1e4:100");
            return Gibbs.Models.Ridge.RidgeTransition.LogSpace(Math.Log10(lo), Math.Log10(hi), count);
        }
        return text.Split(',', StringSplitOptions.TrimEntries).Select(s =>
            double.TryParse(s, NumberStyles.Float, inv, out double v) && double.IsFinite(v) && v >= 0 ? v
                : throw new GibbsException($"--alphas '{text}': '{s}' is not a number ≥ 0")).ToArray();
    }
}
