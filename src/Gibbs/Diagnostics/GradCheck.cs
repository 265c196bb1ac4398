// Gradient checking against float64 references (tinygrad test_ops / JAX check_vjp style): each op
// has a double-precision reference forward; the float32 forward must match it, and the float32
// vector-Jacobian product (autodiff) must match central differences of the double reference.
namespace Gibbs.Diagnostics;

/// <summary>How test inputs for one operand are drawn.</summary>
public enum InputDomain
{
    /// <summary>Uniform on [−2, 2].</summary>
    Any,
    /// <summary>Uniform on [0.5, 2].</summary>
    Positive,
    /// <summary>|x| uniform on [0.25, 2], random sign (away from kinks at 0).</summary>
    AwayFromZero,
    /// <summary>Uniform on [0.05, 0.95] (probabilities, targets).</summary>
    Unit,
    /// <summary>Integer labels in [0, classes) given by <see cref="OpCase.Classes"/>; not differentiated.</summary>
    Labels,
}

/// <summary>One op under test: float32 engine forward, float64 reference forward, input shapes and domains.</summary>
public sealed record OpCase(
    string Name,
    int[][] Shapes,
    InputDomain[] Domains,
    Func<Tensor[], Tensor> Forward,
    Func<double[][], double[]> Reference,
    bool Differentiable = true,
    int Classes = 0);

/// <summary>Outcome of checking one op.</summary>
public sealed record CheckResult(string Name, bool Passed, double ForwardError, double GradientError, string Detail);

public static class GradCheck
{
    /// <summary>Relative tolerance for float32 vs float64 forward values.</summary>
    public const double ForwardTolerance = 1e-4;

    /// <summary>Tolerance for analytic (float32) vs numerical (float64) gradients.</summary>
    public const double GradientTolerance = 2e-3;

    /// <summary>
    /// Tolerance, forward and gradient, on a device whose GEMM rounds its inputs to fewer bits (TF32 tensor cores keep
    /// 11 of float32's 24): the error is then measured normwise (max |error| / max |reference|), since a product that
    /// cancels has no relative accuracy left to check element by element.
    /// </summary>
    public const double ReducedPrecisionTolerance = 1e-2;

    /// <summary>Draws the inputs of a case deterministically from <paramref name="seed"/>.</summary>
    public static double[][] Inputs(OpCase c, int seed)
    {
        var rng = new System.Random(seed);
        var result = new double[c.Shapes.Length][];
        for (int i = 0; i < c.Shapes.Length; i++)
        {
            int n = c.Shapes[i].Aggregate(1, (p, d) => p * d);
            var x = new double[n];
            for (int j = 0; j < n; j++)
            {
                double u = rng.NextDouble();
                x[j] = c.Domains[i] switch
                {
                    InputDomain.Any => -2 + 4 * u,
                    InputDomain.Positive => 0.5 + 1.5 * u,
                    InputDomain.AwayFromZero => (rng.Next(2) == 0 ? -1 : 1) * (0.25 + 1.75 * u),
                    InputDomain.Unit => 0.05 + 0.9 * u,
                    InputDomain.Labels => Math.Min(c.Classes - 1, (int)(u * c.Classes)),
                    _ => throw new ArgumentOutOfRangeException(nameof(c)),
                };
                // Round to float32 so engine and reference see the same numbers.
                x[j] = (float)x[j];
            }
            result[i] = x;
        }
        return result;
    }

    /// <summary>Checks forward values and (when differentiable) gradients of one case on a device.</summary>
    public static CheckResult Check(OpCase c, Backends.Device device, int seed = 1234)
    {
        var xs = Inputs(c, seed);
        var reference = c.Reference(xs);
        bool reduced = Engine.Backend(device).GemmPrecisionBits < 24;
        double Error(double[] actual, double[] expected, double floor) => reduced ? NormRelError(actual, expected) : MaxRelError(actual, expected, floor);
        double forwardTolerance = reduced ? ReducedPrecisionTolerance : ForwardTolerance;
        double gradientTolerance = reduced ? ReducedPrecisionTolerance : GradientTolerance;
        using var scope = TensorScope.Begin();
        var inputs = new Tensor[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            inputs[i] = Tensor.FromArray(xs[i].Select(v => (float)v).ToArray(), c.Shapes[i], device);
            if (c.Differentiable && c.Domains[i] != InputDomain.Labels) inputs[i].RequiresGrad = true;
        }
        var y = c.Forward(inputs);
        var got = y.ToArray();
        if (got.Length != reference.Length)
            return new(c.Name, false, double.NaN, double.NaN, $"output has {got.Length} elements, reference {reference.Length}");
        double fwdErr = Error(got.Select(v => (double)v).ToArray(), reference, 1e-5);
        if (!(fwdErr <= forwardTolerance))
            return new(c.Name, false, fwdErr, double.NaN, $"forward differs from the float64 reference ({(reduced ? "normwise" : "max")} rel. error {fwdErr:G3})");
        if (!c.Differentiable) return new(c.Name, true, fwdErr, 0, "forward only (not differentiable)");

        // Random cotangent: L = Σ cot · f(x).
        var rng = new System.Random(seed + 1);
        var cot = new double[reference.Length];
        for (int i = 0; i < cot.Length; i++) cot[i] = (float)(rng.NextDouble() * 2 - 1);
        using (var seedTensor = Tensor.FromArray(cot.Select(v => (float)v).ToArray(), y.Shape, device).Untrack())
            y.Backward(seedTensor);

        double gradErr = 0;
        string worst = "";
        for (int i = 0; i < xs.Length; i++)
        {
            if (c.Domains[i] == InputDomain.Labels) continue;
            var analytic = inputs[i].Grad?.ToArray() ?? new float[xs[i].Length];
            var numeric = NumericGradient(c.Reference, xs, i, cot);
            double e = Error(analytic.Select(v => (double)v).ToArray(), numeric, 1e-3);
            if (e > gradErr) { gradErr = e; worst = $"input {i}"; }
        }
        bool ok = gradErr <= gradientTolerance;
        return new(c.Name, ok, fwdErr, gradErr, ok ? "ok" : $"gradient of {worst} differs from central differences (max rel. error {gradErr:G3})");
    }

    /// <summary>∂(Σ cot·f)/∂x_input by central differences of the float64 reference.</summary>
    public static double[] NumericGradient(Func<double[][], double[]> f, double[][] xs, int input, double[] cot)
    {
        var x = xs[input];
        var g = new double[x.Length];
        var work = xs.Select(a => (double[])a.Clone()).ToArray();
        for (int j = 0; j < x.Length; j++)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(x[j]));
            work[input][j] = x[j] + h;
            double plus = Dot(f(work), cot);
            work[input][j] = x[j] - h;
            double minus = Dot(f(work), cot);
            work[input][j] = x[j];
            g[j] = (plus - minus) / (2 * h);
        }
        return g;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>max_i |a−b| / (floor + |b|), with floor scaled by the largest |b|.</summary>
    /// <summary>max_i |actual − expected| / max_i |expected| (0 when both are all zero).</summary>
    public static double NormRelError(double[] actual, double[] expected)
    {
        double err = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(actual[i] - expected[i]);
            err = double.IsNaN(d) || d > err ? d : err;
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return err == 0 ? 0 : err / scale;
    }

    public static double MaxRelError(double[] actual, double[] expected, double floor)
    {
        double scale = expected.Length == 0 ? 1 : Math.Max(1, expected.Max(Math.Abs));
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double e = Math.Abs(actual[i] - expected[i]) / (floor * scale + Math.Abs(expected[i]));
            if (double.IsNaN(e)) return double.NaN;
            worst = Math.Max(worst, e);
        }
        return worst;
    }
}
