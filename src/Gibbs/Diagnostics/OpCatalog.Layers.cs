// Layer-level cases for the gradient checker: batch normalisation (both kinds) and a linear layer.
using Gibbs.Nn;
using static Gibbs.Diagnostics.Reference;

namespace Gibbs.Diagnostics;

public static partial class OpCatalog
{
    static partial void AddLayers(List<OpCase> c)
    {
        int[] s = [5, 3];
        c.Add(new("batchnorm_standard", [s], [InputDomain.Any], x => new BatchNorm(3, BatchNormKind.Standard, device: x[0].Device).Forward(x[0]) /* γ, β stay alive for backward; tiny, left to the finaliser */,
            x => NormalizeColumns(x[0], 5, 3, 1e-5)));
        c.Add(new("batchnorm_second_moment", [s], [InputDomain.Any], x => new BatchNorm(3, BatchNormKind.SecondMoment, device: x[0].Device).Forward(x[0]),
            x => NormalizeColumns(x[0], 5, 3, 1e-5)));
        c.Add(new("gaussian_kl", [s, s], [InputDomain.Any, InputDomain.Any], x => Gibbs.Distributions.Normal.KlToStandard(x[0], x[1]),
            x => x[0].Select((m, i) => Gibbs.Distributions.Normal.KlToStandard(m, Math.Exp(x[1][i] / 2))).ToArray()));
        c.Add(new("laplace_generative_error", [s, s], [InputDomain.AwayFromZero, InputDomain.Positive], x => Gibbs.Distributions.Laplace.GenerativeError(x[0], x[1]),
            x => x[0].Select((m, i) => Gibbs.Distributions.Laplace.GenerativeError(m, x[1][i])).ToArray()));
        c.Add(new("linear_tanh", [[4, 3], [3, 2], [2]], [InputDomain.Any, InputDomain.Any, InputDomain.Any],
            x => (x[0].MatMul(x[1]) + x[2]).Tanh(),
            x => MatMul(x[0], [4, 3], x[1], [3, 2], false, false).Select((v, i) => Math.Tanh(v + x[2][i % 2])).ToArray()));
    }

    private static double[] NormalizeColumns(double[] x, int n, int f, double eps)
    {
        var y = new double[x.Length];
        for (int j = 0; j < f; j++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < n; i++) m += x[i * f + j];
            m /= n;
            for (int i = 0; i < n; i++) v += (x[i * f + j] - m) * (x[i * f + j] - m);
            v /= n;
            for (int i = 0; i < n; i++) y[i * f + j] = (x[i * f + j] - m) / Math.Sqrt(v + eps);
        }
        return y;
    }
}
