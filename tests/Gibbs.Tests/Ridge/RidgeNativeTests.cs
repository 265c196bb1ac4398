// RidgeSvd's two decompositions: LAPACK's dgesdd from OpenBLAS and Math.NET's managed thin QR + SVD must give the same
// ridge results (to ~1e-10 relative) on tall, near-square, wide, rank-deficient and intercept designs, although their
// singular vectors differ in sign. Both paths must be bit-identical with 1, 2 and 3 threads, whatever OpenBLAS's own
// thread count. Also covered: the fallback to the managed path, and a Scan equal bit for bit to the one-λ calls.
// The native cases are skipped, with the reason, when libopenblas is absent.
using Gibbs.Backends.Cpu.Gemm;
using Gibbs.Backends.Cpu.Lapack;
using Gibbs.Models.Ridge;
using static Gibbs.Tests.Ridge.RidgeReference;

namespace Gibbs.Tests.Ridge;

internal static class RidgeDesigns
{
    /// <summary>A design by name: Gaussian with shifted columns, or with exact linear dependencies (rank below min(n, p)).</summary>
    public static double[,] X(string design) => design switch
    {
        "tall" => Shifted(Gaussian(80, 12, seed: 41)),                 // LAPACK's QR-first path on the 12 × 80 transpose
        "square" => Shifted(Gaussian(50, 40, seed: 42)),               // bidiagonalised directly
        "wide" => Shifted(Gaussian(15, 40, seed: 43)),                 // p > n: interpolates at λ = 0
        "deficient-tall" => Deficient(Shifted(Gaussian(60, 10, seed: 44))),
        "deficient-wide" => DuplicateRows(Shifted(Gaussian(12, 30, seed: 45))),
        "graded" => Graded(Gaussian(600, 150, seed: 46)),              // singular values over 6 decades, several chunks of rows
        _ => throw new ArgumentException(design),
    };

    /// <summary>Column 9 = column 0 + column 1, column 8 = 3 · column 2: rank 8 of 10.</summary>
    private static double[,] Deficient(double[,] x)
    {
        for (int i = 0; i < x.GetLength(0); i++) { x[i, 9] = x[i, 0] + x[i, 1]; x[i, 8] = 3 * x[i, 2]; }
        return x;
    }

    /// <summary>Rows 10 and 11 repeat rows 0 and 1: rank 10 of 12.</summary>
    private static double[,] DuplicateRows(double[,] x)
    {
        for (int j = 0; j < x.GetLength(1); j++) { x[10, j] = x[0, j]; x[11, j] = x[1, j]; }
        return x;
    }

    /// <summary>Column j scaled by 10^(−6j/(p−1)).</summary>
    private static double[,] Graded(double[,] x)
    {
        int p = x.GetLength(1);
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < p; j++) x[i, j] = x[i, j] * Math.Pow(10, -6.0 * j / (p - 1)) + 0.5;
        return x;
    }

    public static double[,] Y(int n, int t, int seed) => Gaussian(n, t, seed, offset: 2);

    public static RidgeSvd Fit(string path, double[,] x, double[,] y, bool intercept)
    {
        if (path == "openblas") Skip.IfNot(OpenBlasLapack.Available, OpenBlasLapack.UnavailableReason ?? "");
        return RidgeSvd.Fit(x, y, intercept, path == "openblas" ? SvdPath.OpenBlas : SvdPath.Managed);
    }

    public static readonly double[] Alphas = [0, 1e-6, 0.1, 10];
    public static readonly double[] Grid = Enumerable.Range(0, 30).Select(i => Math.Pow(10, -4 + 0.25 * i)).ToArray();

    /// <summary>Everything a fit computes, flattened, for bit-identity checks.</summary>
    public static double[] Everything(RidgeSvd fit)
    {
        var scan = fit.Scan(Grid);
        var all = new List<double>(fit.SingularValues);
        all.AddRange(scan.LooMse.Concat(scan.Gcv).Concat(scan.ResidualNorms).Concat(scan.SolutionNorms).Concat(scan.Curvature));
        foreach (var a in Alphas)
        {
            var s = fit.Solve(a);
            all.AddRange(s.Coefficients.Cast<double>().Concat(s.Intercepts).Concat(fit.HatDiagonal(a)).Concat(fit.Residuals(a).Cast<double>()));
        }
        all.AddRange(fit.LooResiduals(0.1).Cast<double>());
        all.AddRange(fit.Picard().Coefficients);
        var risk = fit.Risk(Enumerable.Range(0, fit.Features).Select(j => Math.Cos(j)).ToArray(), 0.5, 0.1);
        all.AddRange(risk.MeanCoefficients.Append(risk.Bias2).Append(risk.Variance).Append(risk.PredictionBias2).Append(risk.PredictionVariance));
        return [.. all];
    }
}

public class RidgeNativeTests
{
    private static double Rel(double[,] a, double[,] b) => Rel([.. a.Cast<double>()], [.. b.Cast<double>()]);

    private static double Rel(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double num = 0, den = 0;
        for (int i = 0; i < a.Count; i++) { num += (a[i] - b[i]) * (a[i] - b[i]); den += b[i] * b[i]; }
        return den == 0 ? Math.Sqrt(num) : Math.Sqrt(num / den);   // ‖a − b‖/‖b‖, or ‖a‖ when b = 0
    }

    private static void Small(double e, double bound, string what) => Assert.True(e <= bound, $"{what}: {e:E2} > {bound:E0}");

    [SkippableTheory]
    [InlineData("tall", false)]
    [InlineData("tall", true)]
    [InlineData("square", true)]
    [InlineData("wide", false)]
    [InlineData("wide", true)]
    [InlineData("deficient-tall", false)]
    [InlineData("deficient-tall", true)]
    [InlineData("deficient-wide", true)]
    [InlineData("graded", true)]
    public void NativeAndManagedAgree(string design, bool intercept)
    {
        var x = RidgeDesigns.X(design);
        int n = x.GetLength(0), p = x.GetLength(1);
        var y = RidgeDesigns.Y(n, 2, seed: 47);
        var native = RidgeDesigns.Fit("openblas", x, y, intercept);
        var managed = RidgeDesigns.Fit("managed", x, y, intercept);
        Assert.StartsWith("LAPACK dgesdd", native.Decomposition);
        Assert.StartsWith("Math.NET", managed.Decomposition);

        // The spectrum, the tolerance and the rank.
        double s1 = managed.SingularValues[0];
        for (int i = 0; i < managed.SingularValues.Count; i++)
            Small(Math.Abs(native.SingularValues[i] - managed.SingularValues[i]) / s1, 1e-13, $"s[{i}]");
        Small(Math.Abs(native.Tolerance - managed.Tolerance) / managed.Tolerance, 1e-13, "tol");
        Assert.Equal(managed.Rank, native.Rank);
        int expectedRank = design switch { "deficient-tall" => 8, "deficient-wide" => 10, _ => Math.Min(n, p) } - (intercept && n <= p ? 1 : 0);
        Assert.Equal(expectedRank, managed.Rank);

        // Coefficients, intercepts, the hat diagonal and the residuals at λ = 0 (minimum norm), tiny and moderate λ.
        foreach (var a in RidgeDesigns.Alphas)
        {
            var (sn, sm) = (native.Solve(a), managed.Solve(a));
            Small(Rel(sn.Coefficients, sm.Coefficients), 1e-10, $"w at λ = {a}");
            for (int t = 0; t < 2; t++)
            {   // b = ȳ − x̄ᵀw cancels: its error scales with Σ|x̄ⱼwⱼ|, not with |b| (as in RidgeSvdTests).
                double scale = Math.Max(Math.Abs(sm.Intercepts[t]), Enumerable.Range(0, p).Sum(j => Math.Abs(managed.XMean[j] * sm.Coefficients[j, t])));
                Small(Math.Abs(sn.Intercepts[t] - sm.Intercepts[t]) / Math.Max(scale, 1e-300), 1e-10, $"b[{t}] at λ = {a}");
            }
            Small(native.HatDiagonal(a).Zip(managed.HatDiagonal(a), (u, v) => Math.Abs(u - v)).Max(), 1e-10, $"H at λ = {a}");
            // Where λ = 0 interpolates, the residual is rounding: compare against the size of y.
            double rn = M(native.Residuals(a)).Subtract(M(managed.Residuals(a))).FrobeniusNorm() / M(y).FrobeniusNorm();
            Small(rn, 1e-10, $"r at λ = {a}");
            Small(Math.Abs(native.FilterFactors(a).Zip(managed.FilterFactors(a), (u, v) => Math.Abs(u - v)).Max()), 1e-10, $"f at λ = {a}");
        }
        Small(Rel(native.LooResiduals(0.1), managed.LooResiduals(0.1)), 1e-10, "LOO residuals");
        int k = Math.Max(1, managed.Rank / 2);
        Small(Rel(native.Truncated(k).Coefficients, managed.Truncated(k).Coefficients), 1e-10, $"truncated k = {k}");

        // Selection over a grid.
        var (gn, gm) = (native.Scan(RidgeDesigns.Grid), managed.Scan(RidgeDesigns.Grid));
        Small(Rel(gn.LooMse, gm.LooMse), 1e-10, "LOO MSE");
        Small(Rel(gn.Gcv, gm.Gcv), 1e-10, "GCV");
        Small(Rel(gn.ResidualNorms, gm.ResidualNorms), 1e-10, "‖r‖");
        Small(Rel(gn.SolutionNorms, gm.SolutionNorms), 1e-10, "‖w‖");
        Assert.Equal(gm.BestLoo, gn.BestLoo);
        Assert.Equal(gm.BestGcv, gn.BestGcv);

        // Picard |uᵢᵀy| (sign-free) where sᵢ > tol; the null-space vectors are any basis, so their coefficients are not unique.
        for (int t = 0; t < 2; t++)
        {
            var (pn, pm) = (native.Picard(t), managed.Picard(t));
            double scale = pm.Coefficients.Max();
            for (int i = 0; i < managed.Rank; i++) Small(Math.Abs(pn.Coefficients[i] - pm.Coefficients[i]) / scale, 1e-10, $"Picard {i}, target {t}");
        }

        // The exact risk, including λ = 0 (variance σ² Σ 1/sᵢ²).
        var wStar = Enumerable.Range(0, p).Select(j => Math.Sin(j + 1.0)).ToArray();
        foreach (var a in new[] { 0, 0.1, 10 })
        {
            var (rn, rm) = (native.Risk(wStar, 0.3, a), managed.Risk(wStar, 0.3, a));
            Small(Rel([rn.Bias2, rn.Variance, rn.PredictionBias2, rn.PredictionVariance], [rm.Bias2, rm.Variance, rm.PredictionBias2, rm.PredictionVariance]), 1e-10, $"risk at λ = {a}");
            Small(Rel(rn.MeanCoefficients, rm.MeanCoefficients), 1e-10, $"E ŵ at λ = {a}");
        }
    }

    // Degenerate shapes: one row, one column, a design that centring makes zero (rank 0: every φᵢ = 0, w = 0).
    [SkippableTheory]
    [InlineData(1, 3, false)]
    [InlineData(3, 1, true)]
    [InlineData(1, 4, true)]
    public void DegenerateShapesAgree(int n, int p, bool intercept)
    {
        var x = Gaussian(n, p, seed: 52);
        var y = RidgeDesigns.Y(n, 1, seed: 53);
        var native = RidgeDesigns.Fit("openblas", x, y, intercept);
        var managed = RidgeDesigns.Fit("managed", x, y, intercept);
        Assert.Equal(managed.Rank, native.Rank);
        Assert.Equal(n == 1 && intercept ? 0 : 1, native.Rank);
        Small(Rel(native.Solve(0.5).Coefficients, managed.Solve(0.5).Coefficients), 1e-12, "w");
        Small(Rel(native.Solve(0).Intercepts, managed.Solve(0).Intercepts), 1e-12, "b");
        Small(Rel(native.Residuals(0.5), managed.Residuals(0.5)), 1e-12, "r");
    }

    // The one-λ methods and Scan share one sweep: equal bit for bit, at every λ, on both paths.
    [SkippableTheory]
    [InlineData("managed")]
    [InlineData("openblas")]
    public void ScanEqualsTheOneLambdaCallsExactly(string path)
    {
        var x = RidgeDesigns.X("graded");
        var fit = RidgeDesigns.Fit(path, x, RidgeDesigns.Y(x.GetLength(0), 3, seed: 48), intercept: true);
        var scan = fit.Scan(RidgeDesigns.Grid);
        for (int i = 0; i < RidgeDesigns.Grid.Length; i++)
        {
            double a = RidgeDesigns.Grid[i];
            Assert.Equal(fit.LooMse(a), scan.LooMse[i]);
            Assert.Equal(fit.Gcv(a), scan.Gcv[i]);
            Assert.Equal(fit.ResidualNorm(a), scan.ResidualNorms[i]);
            Assert.Equal(fit.SolutionNorm(a), scan.SolutionNorms[i]);
        }
        // The sweep's LOO is the mean of the squared LooResiduals (same formula, summed in another order).
        var e = fit.LooResiduals(RidgeDesigns.Grid[5]);
        Assert.Equal(e.Cast<double>().Sum(v => v * v) / e.Length, scan.LooMse[5], 1e-12 * scan.LooMse[5]);
    }

    [Fact]
    public void TheProviderFollowsGibbsLapack()
    {
        // Auto (no GIBBS_LAPACK in the test environment) decomposes with OpenBLAS exactly when it is available.
        var fit = RidgeSvd.Fit(RidgeDesigns.X("tall"), new double[80]);
        string? forced = Environment.GetEnvironmentVariable("GIBBS_LAPACK");
        if (string.IsNullOrWhiteSpace(forced) || forced.Trim() == "auto")
            Assert.Equal(OpenBlasLapack.Available, fit.Decomposition.StartsWith("LAPACK dgesdd", StringComparison.Ordinal));
        Assert.Equal(OpenBlasLapack.Available, OpenBlasLapack.UnavailableReason is null);
        Assert.Equal(OpenBlasLapack.Available, OpenBlasLapack.Choose("auto"));
        Assert.Equal(OpenBlasLapack.Available, OpenBlasLapack.Choose(null));
        Assert.False(OpenBlasLapack.Choose(" Managed "));
        var e = Assert.Throws<GibbsException>(() => OpenBlasLapack.Choose("mkl"));
        Assert.Contains("unknown LAPACK provider 'mkl'", e.Message);
        if (OpenBlasLapack.Available) Assert.True(OpenBlasLapack.Choose("openblas"));
    }

    // Without OpenBLAS: forcing it fails with the reason and how to install it; the managed path still works.
    [SkippableFact]
    public void WithoutOpenBlasTheManagedPathIsTheFallback()
    {
        Skip.If(OpenBlasLapack.Available, "OpenBLAS's LAPACK is installed here, so there is nothing to fall back from");
        var x = RidgeDesigns.X("tall");
        var e = Assert.Throws<GibbsException>(() => RidgeSvd.Fit(x, new double[80, 1], false, SvdPath.OpenBlas));
        Assert.Contains("libopenblas0-pthread", e.Message);
        Assert.Throws<GibbsException>(() => OpenBlasLapack.Choose("openblas"));
        Assert.StartsWith("Math.NET", RidgeSvd.Fit(x, new double[80]).Decomposition);
    }

    // dgesdd itself: A = U diag(s) Vᵀ with orthonormal U, V, on both orientations, against Math.NET's SVD values.
    [SkippableTheory]
    [InlineData(30, 7)]
    [InlineData(7, 30)]
    [InlineData(20, 20)]
    public void DgesddReconstructsTheMatrix(int rows, int cols)
    {
        Skip.IfNot(OpenBlasLapack.Available, OpenBlasLapack.UnavailableReason ?? "");
        var a = Gaussian(rows, cols, seed: 49);
        int k = Math.Min(rows, cols);
        var colMajor = new double[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) colMajor[j * rows + i] = a[i, j];
        var (s, u, vt) = (new double[k], new double[rows * k], new double[k * cols]);
        Assert.Equal(0, OpenBlasLapack.Dgesdd(rows, cols, colMajor, s, u, vt));
        var U = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows, k, u);
        var Vt = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(k, cols, vt);
        var S = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DiagonalOfDiagonalArray(s);
        Small(RelErr(U * S * Vt, M(a)), 1e-14, "‖USVᵀ − A‖/‖A‖");
        Small((U.TransposeThisAndMultiply(U) - MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(k)).FrobeniusNorm(), 1e-13, "UᵀU − I");
        Small((Vt * Vt.Transpose() - MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(k)).FrobeniusNorm(), 1e-13, "VᵀV − I");
        var reference = M(a).Svd(computeVectors: false).S.ToArray();
        Small(Rel(s, reference), 1e-14, "singular values");
    }
}

[CollectionDefinition(nameof(RidgeThreadingTests), DisableParallelization = true)]
public sealed class RidgeThreadingCollection;

// Runs alone: it changes Engine.Threads, Math.NET's parallelism and OpenBLAS's thread count, all process-wide.
[Collection(nameof(RidgeThreadingTests))]
public class RidgeThreadingTests
{
    private static double[] Run(string path, int threads, int mathNetThreads = 0, int openBlasThreads = 0)
    {
        var (saved, savedMathNet) = (Engine.Threads, MathNet.Numerics.Control.MaxDegreeOfParallelism);
        Engine.Threads = threads;
        if (mathNetThreads > 0) MathNet.Numerics.Control.MaxDegreeOfParallelism = mathNetThreads;
        if (openBlasThreads > 0) GemmProvider.RequireOpenBlas().SetThreads(openBlasThreads);
        try
        {
            var x = RidgeDesigns.X("graded");
            return RidgeDesigns.Everything(RidgeDesigns.Fit(path, x, RidgeDesigns.Y(x.GetLength(0), 2, seed: 50), intercept: true));
        }
        finally
        {
            Engine.Threads = saved;
            MathNet.Numerics.Control.MaxDegreeOfParallelism = savedMathNet;
            if (openBlasThreads > 0) GemmProvider.RequireOpenBlas().SetThreads(1);
        }
    }

    [SkippableTheory]
    [InlineData("managed")]
    [InlineData("openblas")]
    public void BitIdenticalWithOneTwoAndThreeThreads(string path)
    {
        var one = Run(path, 1, mathNetThreads: 1);
        Assert.Equal(one, Run(path, 2, mathNetThreads: 2));
        Assert.Equal(one, Run(path, 3, mathNetThreads: 3));
        Assert.Equal(one, Run(path, 1, mathNetThreads: 1));
    }

    // dgesdd with OpenBLAS's own 2 threads gives other bits than with 1 (docs/benchmarks.md); the decomposition re-pins
    // OpenBLAS to one thread, so a fit after someone set 2 (or 4) threads is still the one-thread result.
    [SkippableFact]
    public void OpenBlasIsPinnedToOneThread()
    {
        var one = Run("openblas", 2);
        Assert.Equal(one, Run("openblas", 2, openBlasThreads: 2));
        Assert.Equal(one, Run("openblas", 1, openBlasThreads: 4));
        GemmProvider.RequireOpenBlas().SetThreads(2);
        try
        {
            _ = RidgeDesigns.Fit("openblas", RidgeDesigns.X("tall"), new double[80, 1], false);
            Assert.Equal(1, GemmProvider.RequireOpenBlas().Threads);
        }
        finally { GemmProvider.RequireOpenBlas().SetThreads(1); }
    }

    /// <summary>
    /// The reason for the pin, as a sentinel: the raw dgesdd with OpenBLAS's own 2 threads gives other bits than with 1
    /// (scipy on the same OpenBLAS 0.3.21: 70–100 % of the entries of U, s, Vᵀ at 1000 × 784), while each thread count
    /// repeats. If a new OpenBLAS makes this fail, update docs/benchmarks.md and this test.
    /// </summary>
    [SkippableFact]
    public void RawDgesddIsNotBitIdenticalWithOneAndTwoOpenBlasThreads()
    {
        Skip.IfNot(OpenBlasLapack.Available, OpenBlasLapack.UnavailableReason ?? "");
        Skip.If(Environment.ProcessorCount < 2, "needs 2 cores for OpenBLAS to use 2 threads");
        var a = Gaussian(400, 300, seed: 51);
        var colMajor = new double[400 * 300];
        for (int i = 0; i < 400; i++) for (int j = 0; j < 300; j++) colMajor[j * 400 + i] = a[i, j];
        double[] Svd(int threads)
        {
            var (s, u, vt) = (new double[300], new double[400 * 300], new double[300 * 300]);
            var blas = GemmProvider.RequireOpenBlas();
            blas.SetThreads(threads);
            try { Assert.Equal(0, DgesddAtCurrentThreads((double[])colMajor.Clone(), s, u, vt)); }
            finally { blas.SetThreads(1); }
            return [.. s, .. u, .. vt];
        }
        var (one, two) = (Svd(1), Svd(2));
        Assert.Equal(one, Svd(1));
        Assert.Equal(two, Svd(2));
        Assert.True(one.Zip(two, (p, q) => Math.Abs(Math.Abs(p) - Math.Abs(q))).Max() < 1e-10, "1 and 2 threads: the same SVD up to rounding");
        int differ = one.Zip(two).Count(p => p.First != p.Second);
        Assert.True(differ > 0, $"OpenBLAS ({GemmProvider.RequireOpenBlas().Config}) dgesdd is now bit-identical with 1 and 2 threads: update docs/benchmarks.md");
    }

    private static int DgesddAtCurrentThreads(double[] a, double[] s, double[] u, double[] vt) =>
        OpenBlasLapack.Dgesdd(400, 300, a, s, u, vt, pinOneThread: false);
}
