// The list of ops `gibbs selftest` and the test suite check: every differentiable op of the engine
// (and the composite losses and layers built on them) with its float64 reference.
using static Gibbs.Diagnostics.Reference;

namespace Gibbs.Diagnostics;

public static partial class OpCatalog
{
    private static readonly int[] M = [3, 4];

    /// <summary>All cases, in a stable order.</summary>
    public static IReadOnlyList<OpCase> All { get; } = Build();

    private static OpCase U(string name, Func<Tensor, Tensor> f, Func<double, double> r, InputDomain d = InputDomain.Any, bool diff = true) =>
        new(name, [M], [d], x => f(x[0]), Unary(r), diff);

    private static List<OpCase> Build()
    {
        var c = new List<OpCase>
        {
            U("neg", x => x.Neg(), v => -v),
            U("exp", x => x.Exp(), Math.Exp),
            U("log", x => x.Log(), Math.Log, InputDomain.Positive),
            U("log1p", x => x.Log1p(), v => Math.Log(1 + v), InputDomain.Positive),
            U("sqrt", x => x.Sqrt(), Math.Sqrt, InputDomain.Positive),
            U("abs", x => x.Abs(), Math.Abs, InputDomain.AwayFromZero),
            U("sign", x => x.Sign(), v => Math.Sign(v), InputDomain.AwayFromZero, diff: false),
            U("square", x => x.Square(), v => v * v),
            U("reciprocal", x => x.Reciprocal(), v => 1 / v, InputDomain.AwayFromZero),
            U("tanh", x => x.Tanh(), Math.Tanh),
            U("sigmoid", x => x.Sigmoid(), Sigmoid),
            U("relu", x => x.Relu(), v => Math.Max(v, 0), InputDomain.AwayFromZero),
            U("softplus", x => x.Softplus(), Softplus),
            U("softplus_large", x => (x * 40f).Softplus(), v => Softplus(40 * v), InputDomain.AwayFromZero),
            U("logsigmoid", x => x.LogSigmoid(), v => -Softplus(-v)),
            U("pow_scalar", x => x.Pow(2.5f), v => Math.Pow(v, 2.5), InputDomain.Positive),
            U("clamp", x => x.Clamp(-1f, 1f), v => Math.Clamp(v, -1, 1)),
            U("affine", x => x.Affine(-1.5f, 0.25f), v => -1.5 * v + 0.25),
            U("scalar_ops", x => (2f - x) / 3f + 1f / (x + 3f), v => (2 - v) / 3 + 1 / (v + 3)),
            U("gt_scalar", x => x.Gt(0.1f), v => v > 0.1 ? 1 : 0, diff: false),
        };

        int[][][] pairs = [[M, M], [M, [4]], [M, [3, 1]], [M, []], [[2, 3, 4], [3, 1]], [[4], [3, 1]]];
        foreach (var p in pairs)
        {
            int[] sa = p[0], sb = p[1];
            string tag = $"[{string.Join("x", sa)},{string.Join("x", sb)}]";
            c.Add(new("add" + tag, [sa, sb], [InputDomain.Any, InputDomain.Any], x => x[0] + x[1], Binary(sa, sb, (a, b) => a + b)));
            c.Add(new("sub" + tag, [sa, sb], [InputDomain.Any, InputDomain.Any], x => x[0] - x[1], Binary(sa, sb, (a, b) => a - b)));
            c.Add(new("mul" + tag, [sa, sb], [InputDomain.Any, InputDomain.Any], x => x[0] * x[1], Binary(sa, sb, (a, b) => a * b)));
            c.Add(new("div" + tag, [sa, sb], [InputDomain.Any, InputDomain.AwayFromZero], x => x[0] / x[1], Binary(sa, sb, (a, b) => a / b)));
        }
        c.Add(new("maximum", [M, [4]], [InputDomain.Any, InputDomain.Any], x => Tensor.Maximum(x[0], x[1]), Binary(M, [4], Math.Max)));
        c.Add(new("minimum", [M, [3, 1]], [InputDomain.Any, InputDomain.Any], x => Tensor.Minimum(x[0], x[1]), Binary(M, [3, 1], Math.Min)));
        c.Add(new("pow_tensor", [M, M], [InputDomain.Positive, InputDomain.Any], x => Tensor.Pow(x[0], x[1]), Binary(M, M, Math.Pow)));
        c.Add(new("where", [M, M, [4]], [InputDomain.Any, InputDomain.Any, InputDomain.Any],
            x => Tensor.Where(x[0].Gt(0f), x[1], x[2]),
            x => Enumerable.Range(0, 12).Select(i => x[0][i] > 0 ? x[1][i] : x[2][i % 4]).ToArray()));
        c.Add(new("compare", [M, [4]], [InputDomain.Any, InputDomain.Any], x => x[0].Lt(x[1]), Binary(M, [4], (a, b) => a < b ? 1 : 0), Differentiable: false));

        AddReductions(c);
        AddShapeOps(c);
        AddMatMul(c);
        AddIndexOps(c);
        AddComposites(c);
        return c;
    }

    private static void AddReductions(List<OpCase> c)
    {
        int[] s3 = [2, 3, 4];
        c.Add(new("sum", [s3], [InputDomain.Any], x => x[0].Sum(), x => [x[0].Sum()]));
        c.Add(new("mean", [s3], [InputDomain.Any], x => x[0].Mean(), x => [x[0].Average()]));
        for (int axis = 0; axis < 3; axis++)
        {
            int a = axis;
            c.Add(new($"sum_axis{a}", [s3], [InputDomain.Any], x => x[0].Sum(a), x => ReduceAxis(x[0], s3, a, v => v.Sum())));
            c.Add(new($"max_axis{a}", [s3], [InputDomain.Any], x => x[0].Max(a), x => ReduceAxis(x[0], s3, a, v => v.Max())));
            c.Add(new($"logsumexp_axis{a}", [s3], [InputDomain.Any], x => (x[0] * 3f).LogSumExp(a),
                x => ReduceAxis(x[0].Select(v => 3 * v).ToArray(), s3, a, LogSumExp)));
        }
        c.Add(new("mean_axis1_keepdim", [s3], [InputDomain.Any], x => x[0].Mean(1, keepDim: true), x => ReduceAxis(x[0], s3, 1, v => v.Average())));
        c.Add(new("min_axis1", [s3], [InputDomain.Any], x => x[0].Min(1), x => ReduceAxis(x[0], s3, 1, v => v.Min())));
        c.Add(new("argmax_axis1", [M], [InputDomain.Any], x => x[0].ArgMax(1),
            x => ReduceAxis(x[0], M, 1, v => Array.IndexOf(v, v.Max())), Differentiable: false));
        c.Add(new("logsoftmax", [M], [InputDomain.Any], x => x[0].LogSoftmax(1),
            x => MapAxis(x[0], M, 1, v => { double l = LogSumExp(v); return v.Select(t => t - l).ToArray(); })));
        c.Add(new("softmax_axis0", [M], [InputDomain.Any], x => x[0].Softmax(0),
            x => MapAxis(x[0], M, 0, v => { double l = LogSumExp(v); return v.Select(t => Math.Exp(t - l)).ToArray(); })));
    }

    private static void AddShapeOps(List<OpCase> c)
    {
        int[] s3 = [2, 3, 4];
        c.Add(new("reshape", [s3], [InputDomain.Any], x => x[0].Reshape(6, 4) * x[0].Reshape(6, -1), x => x[0].Select(v => v * v).ToArray()));
        c.Add(new("expand", [[3, 1]], [InputDomain.Any], x => x[0].Expand([2, 3, 4]),
            x => Enumerable.Range(0, 24).Select(i => x[0][(i / 4) % 3]).ToArray()));
        c.Add(new("transpose", [M], [InputDomain.Any], x => x[0].T, x => Permute(x[0], M, [1, 0])));
        c.Add(new("permute", [s3], [InputDomain.Any], x => x[0].Permute(2, 0, 1), x => Permute(x[0], s3, [2, 0, 1])));
        c.Add(new("slice", [s3], [InputDomain.Any], x => x[0].Slice(2, 1, 2), x => Slice(x[0], s3, 2, 1, 2)));
        c.Add(new("concat", [M, [3, 2]], [InputDomain.Any, InputDomain.Any], x => Tensor.Concat([x[0], x[1]], 1),
            x => Enumerable.Range(0, 18).Select(i => i % 6 < 4 ? x[0][i / 6 * 4 + i % 6] : x[1][i / 6 * 2 + i % 6 - 4]).ToArray()));
    }

    private static void AddMatMul(List<OpCase> c)
    {
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            int[] sa = ta ? [5, 3] : [3, 5];
            int[] sb = tb ? [4, 5] : [5, 4];
            bool a = ta, b = tb;
            c.Add(new($"matmul{(ta ? "_tA" : "")}{(tb ? "_tB" : "")}", [sa, sb], [InputDomain.Any, InputDomain.Any],
                x => Tensor.MatMul(x[0], x[1], a, b), x => MatMul(x[0], sa, x[1], sb, a, b)));
        }
        int[] ba = [2, 3, 5], bb = [2, 4, 5];
        c.Add(new("matmul_batched_tB", [ba, bb], [InputDomain.Any, InputDomain.Any],
            x => Tensor.MatMul(x[0], x[1], false, true), x => MatMul(x[0], ba, x[1], bb, false, true)));
    }

    private static void AddComposites(List<OpCase> c)
    {
        c.Add(new("gather", [M, [3]], [InputDomain.Any, InputDomain.Labels], x => x[0].Gather(x[1]),
            x => Enumerable.Range(0, 3).Select(i => x[0][i * 4 + (int)x[1][i]]).ToArray(), Classes: 4));
        c.Add(new("onehot", [[3]], [InputDomain.Labels], x => Tensor.OneHot(x[0], 4),
            x => Enumerable.Range(0, 12).Select(i => (int)x[0][i / 4] == i % 4 ? 1.0 : 0.0).ToArray(), Differentiable: false, Classes: 4));
        c.Add(new("maxout", [[3, 6]], [InputDomain.Any], x => x[0].Maxout(2),
            x => Enumerable.Range(0, 9).Select(i => Math.Max(x[0][2 * i], x[0][2 * i + 1])).ToArray()));
        c.Add(new("bce_with_logits", [M, M], [InputDomain.Any, InputDomain.Unit],
            x => Tensor.BinaryCrossEntropyWithLogits(x[0] * 4f, x[1]),
            x => x[0].Select((z, i) => Softplus(4 * z) - x[1][i] * 4 * z).ToArray()));
        c.Add(new("cross_entropy", [M, [3]], [InputDomain.Any, InputDomain.Labels], x => Tensor.CrossEntropy(x[0], x[1]),
            x => [Enumerable.Range(0, 3).Select(i => LogSumExp(x[0][(i * 4)..(i * 4 + 4)]) - x[0][i * 4 + (int)x[1][i]]).Average()], Classes: 4));
        AddLayers(c);
    }

    static partial void AddLayers(List<OpCase> c);
}
