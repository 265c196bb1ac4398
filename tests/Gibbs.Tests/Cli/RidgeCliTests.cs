// `gibbs ridge fit|path|sweep`: coefficients from .npy files against an independent float64 normal-equations solve,
// the path's choices against its own curves, IDX/dataset inputs with --class, the sweeps' reports, and bad input
// (rows that differ, NaN, a negative alpha, an empty file, a 3-D array) as one line with nothing written.
using Gibbs.IO;
using static Gibbs.Tests.Ridge.RidgeReference;

namespace Gibbs.Tests.Cli;

[Collection("serial")]
public class RidgeCliTests : CliTestBase
{
    private (string X, string Y, double[,] x, double[,] y) Files(int n = 40, int p = 5)
    {
        var x = Shifted(Gaussian(n, p, seed: 1));
        var y = Gaussian(n, 1, seed: 2, offset: 3);
        Npy.SaveDoubles(P("x.npy"), Flat(x), n, p);
        Npy.SaveDoubles(P("y.npy"), Flat(y), n);
        return (P("x.npy"), P("y.npy"), x, y);
    }

    private static double[] Flat(double[,] a) => a.Cast<double>().ToArray();

    [Fact]
    public void FitWritesTheNormalEquationsSolution()
    {
        var (xf, yf, x, y) = Files();
        var (code, stdout, err) = Run("ridge", "fit", "--x", xf, "--y", yf, "--alpha", "2.5", "--intercept", "--out", P("w.npy"), "--json");
        Assert.True(code == 0, err);
        var reference = NormalEquations(x, y, 2.5, intercept: true);
        var (w, shape) = Npy.LoadDoubles(P("w.npy"));
        Assert.Equal([5], shape);
        for (int j = 0; j < 5; j++) Assert.Equal(reference[j, 0], w[j], 1e-10);
        var (b, bshape) = Npy.LoadDoubles(P("w.intercept.npy"));
        Assert.Empty(bshape);
        Assert.Equal(reference[5, 0], b[0], 1e-8);
        var json = LastJson(stdout);
        Assert.Equal(5, json.GetProperty("rank").GetInt32());
        Assert.Equal(reference[5, 0], json.GetProperty("intercept")[0].GetDouble(), 1e-8);
        // Without an intercept and at α = 0 on a wide design: the minimum-norm solution, no intercept file.
        var wide = Gaussian(4, 9, seed: 5);
        Npy.SaveDoubles(P("xw.npy"), Flat(wide), 4, 9);
        Npy.SaveDoubles(P("yw.npy"), [1, 2, 3, 4], 4);
        (code, _, err) = Run("ridge", "fit", "--x", P("xw.npy"), "--y", P("yw.npy"), "--alpha", "0", "--out", P("ww.npy"));
        Assert.True(code == 0, err);
        var pinv = M(wide).PseudoInverse() * MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray([1.0, 2, 3, 4]);
        var (ww, _) = Npy.LoadDoubles(P("ww.npy"));
        for (int j = 0; j < 9; j++) Assert.Equal(pinv[j], ww[j], 1e-10);
        Assert.False(File.Exists(P("ww.intercept.npy")));
    }

    [Fact]
    public void PathChoosesFromItsOwnCurvesAndDrawsThem()
    {
        var (xf, yf, _, _) = Files(60, 8);
        var (code, stdout, err) = Run("ridge", "path", "--x", xf, "--y", yf, "--intercept", "--alphas", "1e-4:1e3:30", "--pictures", P("pics"), "--json");
        Assert.True(code == 0, err);
        var j = LastJson(stdout);
        var loo = j.GetProperty("loo_mse").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var gcv = j.GetProperty("gcv").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var alphas = j.GetProperty("alphas").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(30, alphas.Length);
        Assert.Equal(1e-4, alphas[0], 1e-16);
        Assert.Equal(1e3, alphas[^1], 1e-9);
        Assert.Equal(alphas[Array.IndexOf(loo, loo.Min())], j.GetProperty("best_loo").GetProperty("alpha").GetDouble());
        Assert.Equal(alphas[Array.IndexOf(gcv, gcv.Min())], j.GetProperty("best_gcv").GetProperty("alpha").GetDouble());
        Assert.True(j.GetProperty("lcurve_corner").ValueKind == System.Text.Json.JsonValueKind.Object);
        foreach (var png in new[] { "lcurve.png", "picard.png", "criteria.png" }) Assert.True(File.Exists(P($"pics/{png}")), png);
    }

    [Fact]
    public void ADatasetWithAClassIsAOneVsRestTarget()
    {
        var (code, stdout, err) = Run("ridge", "path", "--x", "mnist10k", "--class", "3", "--rows", "300", "--intercept", "--alphas", "1e-2,1,100", "--json");
        Assert.True(code == 0, err);
        var j = LastJson(stdout);
        Assert.Equal(300, j.GetProperty("rows").GetInt32());
        Assert.Equal(784, j.GetProperty("features").GetInt32());
        Assert.True(j.GetProperty("rank").GetInt32() < 300);
        (code, _, err) = Run("ridge", "fit", "--x", "mnist10k", "--class", "11", "--rows", "50", "--out", P("c.npy"));
        AssertOneLineError(code, err, "--class 11: no row of y has the label 11");
    }

    // IDX images with their sibling labels file: pixels scaled to [0, 1], --class turns the labels into ±1, and the
    // coefficients equal a float64 solve on the same scaled pixels.
    [Fact]
    public void IdxImagesAndLabelsFitLikeTheirPixels()
    {
        int n = 30, p = 4;
        var bytes = Enumerable.Range(0, n * p).Select(i => (byte)((i * 37 + i / p * 11) % 256)).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 3)).ToArray();
        Gibbs.Data.Idx.WriteBytes(P("toy-images-idx3-ubyte"), bytes, n, 2, 2);
        Gibbs.Data.Idx.WriteBytes(P("toy-labels-idx1-ubyte"), labels, n);
        var (code, stdout, err) = Run("ridge", "fit", "--x", P("toy-images-idx3-ubyte"), "--class", "2", "--alpha", "0.5", "--intercept", "--out", P("w.npy"), "--json");
        Assert.True(code == 0, err);
        var x = new double[n, p];
        var y = new double[n, 1];
        for (int i = 0; i < n; i++) { for (int j = 0; j < p; j++) x[i, j] = bytes[i * p + j] / 255.0; y[i, 0] = labels[i] == 2 ? 1 : -1; }
        var reference = NormalEquations(x, y, 0.5, intercept: true);
        var (w, _) = Npy.LoadDoubles(P("w.npy"));
        for (int j = 0; j < p; j++) Assert.Equal(reference[j, 0], w[j], 1e-6);   // the pixels pass through float32 ([0, 1] / 255)
        Assert.Equal(n, LastJson(stdout).GetProperty("rows").GetInt32());
        // The labels given explicitly as IDX, the same fit.
        (code, _, err) = Run("ridge", "fit", "--x", P("toy-images-idx3-ubyte"), "--y", P("toy-labels-idx1-ubyte"), "--class", "2", "--alpha", "0.5", "--intercept", "--out", P("w2.npy"));
        Assert.True(code == 0, err);
        Assert.Equal(w, Npy.LoadDoubles(P("w2.npy")).Values);
    }

    [Fact]
    public void BadInputIsOneLineAndWritesNothing()
    {
        var (xf, _, _, _) = Files();
        Npy.SaveDoubles(P("short.npy"), [1, 2, 3], 3);
        var (code, _, err) = Run("ridge", "fit", "--x", xf, "--y", P("short.npy"), "--out", P("o.npy"));
        AssertOneLineError(code, err, "ridge: X has 40 rows but y has 3");
        Npy.SaveDoubles(P("nan.npy"), [1, double.NaN, 3, 4], 2, 2);
        Npy.SaveDoubles(P("y2.npy"), [1, 2], 2);
        (code, _, err) = Run("ridge", "fit", "--x", P("nan.npy"), "--y", P("y2.npy"), "--out", P("o.npy"));
        AssertOneLineError(code, err, "ridge: X has NaN at row 0, column 1");
        (code, _, err) = Run("ridge", "fit", "--x", xf, "--y", P("y.npy"), "--alpha", "-1", "--out", P("o.npy"));
        AssertOneLineError(code, err, "alpha must be finite and ≥ 0, not -1");
        File.WriteAllBytes(P("empty.npy"), []);
        (code, _, err) = Run("ridge", "fit", "--x", P("empty.npy"), "--y", P("y.npy"), "--out", P("o.npy"));
        AssertOneLineError(code, err, "empty.npy: not a valid .npy file");
        Npy.SaveDoubles(P("cube.npy"), new double[8], 2, 2, 2);
        (code, _, err) = Run("ridge", "path", "--x", P("cube.npy"), "--y", P("y2.npy"));
        AssertOneLineError(code, err, "X must be a matrix [n × p]");
        (code, _, err) = Run("ridge", "fit", "--x", xf, "--y", P("y.npy"), "--out", P("o.txt"));
        AssertOneLineError(code, err, "give a name ending in .npy");
        (code, _, err) = Run("ridge", "path", "--x", xf, "--y", P("y.npy"), "--alphas", "0:1:5");
        AssertOneLineError(code, err, "0 < FROM < TO");
        Assert.False(File.Exists(P("o.npy")));
        Assert.False(File.Exists(P("o.intercept.npy")));
    }

    [Fact]
    public void SyntheticSweepPutsTheSimulationOnTheTheory()
    {
        var (code, stdout, err) = Run("ridge", "sweep", "--fixed", "10", "--sizes", "4,20,40", "--reps", "60", "--out-dir", P("s"), "--json");
        Assert.True(code == 0, err);
        var j = LastJson(stdout);
        Assert.Equal(15, j.GetProperty("points").GetArrayLength());
        foreach (var a in j.GetProperty("agreement").EnumerateArray())
            Assert.True(a.GetProperty("max_abs_z").GetDouble() < 4.5, a.ToString());
        Assert.True(File.Exists(P("s/risk.png")));
        Assert.True(File.Exists(P("s/metrics.json")));
    }

    [Fact]
    public void ImageSweepFindsTheRankAndReports()
    {
        var (code, stdout, err) = Run("ridge", "sweep", "--data", "mnist10k", "--sizes", "60,300", "--reps", "1", "--test-rows", "200", "--alphas", "0,1", "--out-dir", P("r"), "--json");
        Assert.True(code == 0, err);
        var s = LastJson(stdout).GetProperty("summary").EnumerateArray().ToList();
        var fixed0 = s.Where(e => e.GetProperty("choice").GetString() == "fixed" && e.GetProperty("alpha").GetDouble() == 0).ToList();
        Assert.Equal(2, fixed0.Count);
        Assert.Equal(59, fixed0.Single(e => e.GetProperty("rows").GetInt32() == 60).GetProperty("rank").GetDouble());
        Assert.Contains(s, e => e.GetProperty("choice").GetString() == "loo");
        Assert.True(File.Exists(P("r/sweep.png")));
        (code, _, err) = Run("ridge", "sweep", "--data", "mnist10k", "--sizes", "60", "--out-dir", P("r"), "--alphas", "-1");
        AssertOneLineError(code, err, "'-1' is not a number ≥ 0");
        (code, _, err) = Run("ridge", "sweep", "--axis", "diagonal", "--out-dir", P("r"));
        AssertOneLineError(code, err, "--axis 'diagonal': use rows or features");
    }

    // Both repro entries, quick: the tables, the spike where n − 1 ≈ rank, logistic regression beside, the pictures.
    [Fact]
    public void ReproEntriesWriteTheirReports()
    {
        var (code, stdout, err) = Run("repro", "003-ridge-transition", "--quick", "--out", P("t"), "--json");
        Assert.True(code == 0, err);
        var md = File.ReadAllText(P("t/README.md"));
        Assert.Contains("| n varies, p = 30 | λ* | ", md);
        Assert.Contains("| n | rank(X) | test MSE α = 0 |", md);
        foreach (var png in new[] { "risk-rows.png", "risk-features.png", "sweep-fashion-mnist.png", "sweep-mnist10k.png", "path-mnist10k/lcurve.png", "path-mnist10k/picard.png" })
        {
            Assert.Contains($"]({png})", md);
            Assert.True(File.Exists(P($"t/{png}")), png);
        }
        var images = LastJson(stdout).GetProperty("images");
        // fashion-mnist's pixels are all active: the spike sits at n = 780 ≈ rank + 1 among 200, 560, 780.
        Assert.Equal(780, images[0].GetProperty("spike_rows").GetInt32());
        (code, stdout, err) = Run("repro", "003-ridge-vs-logistic", "--quick", "--out", P("l"), "--json");
        Assert.True(code == 0, err);
        md = File.ReadAllText(P("l/README.md"));
        Assert.Contains("| n | rank(X) | ridge error α = 1e-6 | logistic error α = 1e-6 |", md);
        Assert.True(File.Exists(P("l/norms-mnist10k.png")));
        var spike = LastJson(stdout).GetProperty("images")[0].GetProperty("summary").EnumerateArray()
            .Where(e => e.GetProperty("rows").GetInt32() == 780 && e.GetProperty("alpha").GetDouble() == 1e-6).ToList();
        double ridge = spike.Single(e => e.GetProperty("model").GetString() == "ridge").GetProperty("test_error").GetDouble();
        double logistic = spike.Single(e => e.GetProperty("model").GetString() == "logistic").GetProperty("test_error").GetDouble();
        Assert.True(logistic < ridge / 2, $"logistic {logistic} vs ridge {ridge} at the spike");
    }
}
