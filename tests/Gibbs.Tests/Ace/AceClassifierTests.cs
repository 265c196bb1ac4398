// The classifier branch of ACE (000_c7b547386cdeff84.txt §5.1, App. A): the dual reconstruction error against a direct
// float64 evaluation of eq. 5.1 and its gradient against central differences; the seed's batch normalisation gives the
// same output in training and evaluation mode; the standard classifier learns a small problem; non-generative ACE
// lowers the dual error the classifier leaves alone; resume is bit-identical (dropout masks included); bad input is
// one line.
using Gibbs.Models.Ace;
using Gibbs.Rng;
using Gibbs.Training;

namespace Gibbs.Tests.Ace;

public class AceClassifierTests
{
    private static double Dual64(double[,] h, double[,] x)
    {
        int b = h.GetLength(0), p = h.GetLength(1), n = x.GetLength(1);
        double total = 0;
        for (int mu = 0; mu < b; mu++)
            for (int i = 0; i < n; i++)
            {
                double z = 0;
                for (int nu = 0; nu < b; nu++)
                {
                    double hh = 0;
                    for (int k = 0; k < p; k++) hh += h[mu, k] * h[nu, k];
                    z += hh * x[nu, i];
                }
                z /= b;
                double s = 1 / (1 + Math.Exp(-z));
                total += -(x[mu, i] * Math.Log(s) + (1 - x[mu, i]) * Math.Log(1 - s));
            }
        return total / b;
    }

    [Fact]
    public void DualReconstructionIsEquationFiveOneAndItsGradientIsExact()
    {
        using var scope = TensorScope.Begin();
        var g = new Generator(2);
        const int b = 6, p = 4, n = 5;
        var h = new double[b, p];
        var x = new double[b, n];
        for (int i = 0; i < b; i++) for (int k = 0; k < p; k++) h[i, k] = 2 * g.NextDouble() - 1;
        for (int i = 0; i < b; i++) for (int k = 0; k < n; k++) x[i, k] = k % 2 == 0 ? (g.NextDouble() < 0.5 ? 1 : 0) : g.NextDouble(); // binary and grey
        var ht = Tensor.FromArray(h.Cast<double>().Select(v => (float)v).ToArray(), [b, p]).RequireGrad();
        var xt = Tensor.FromArray(x.Cast<double>().Select(v => (float)v).ToArray(), [b, n]);
        var e = DualReconstruction.Error(ht, xt);
        Assert.Equal(Dual64(h, x), e.Item(), 4);
        e.Backward();
        var grad = ht.Grad!.ToArray();
        for (int i = 0; i < b; i++)
            for (int k = 0; k < p; k++)
            {
                const double eps = 1e-6;
                var up = (double[,])h.Clone(); up[i, k] += eps;
                var down = (double[,])h.Clone(); down[i, k] -= eps;
                double fd = (Dual64(up, x) - Dual64(down, x)) / (2 * eps);
                Assert.Equal(fd, grad[i * p + k], 4);
            }
    }

    private static (float[] X, int[] Y) TwoClasses(int n, ulong seed)
    {
        var g = new Generator(seed);
        var x = new float[n * 12];
        var y = new int[n];
        for (int r = 0; r < n; r++)
        {
            y[r] = r % 2;
            for (int j = 0; j < 12; j++) x[r * 12 + j] = g.NextDouble() < (j < 6 == (y[r] == 0) ? 0.8 : 0.15) ? 1f : 0f;
        }
        return (x, y);
    }

    [Fact]
    public void TheSeedsBatchNormIsIdenticalInTrainingAndEvaluation()
    {
        using var scope = TensorScope.Begin();
        using var m = new AceClassifier("12-16-16-16-3", new Generator(1), new Generator(2), inputDropout: 0, hiddenDropout: 0);
        var (x, _) = TwoClasses(20, 3);
        var xt = Tensor.FromArray(x, [20, 12]);
        var (train, h) = m.Run(xt);
        var ha = h.ToArray();
        for (int c = 0; c < 16; c++)
        {
            double mean = 0, second = 0;
            for (int r = 0; r < 20; r++) { mean += ha[r * 16 + c]; second += ha[r * 16 + c] * ha[r * 16 + c]; }
            Assert.Equal(0, mean / 20, 4);
            Assert.Equal(1, second / 20, 2); // divided by the root second moment (ε = 1e-5)
        }
        m.Eval();
        Assert.Equal(train.ToArray(), m.Forward(xt).ToArray()); // and no running statistics to drift:
        Assert.DoesNotContain(m.NamedBuffers(), b => b.Name.Contains("running"));
    }

    private static AceTrainer Trainer(AceMode mode, int epochs, float[] x, int[] y, ulong seed = 5, float dropout = 0f)
    {
        var m = new AceClassifier("12-16-16-2", new Generator(seed), new Generator(seed + 100), inputDropout: dropout, hiddenDropout: dropout);
        return new AceTrainer(m, new AceTrainingOptions { Mode = mode, Epochs = epochs, BatchSize = 20, LearningRate = 0.01f, Seed = seed }, x, y);
    }

    [Fact]
    public void TheClassifierLearnsAndAceAlsoLowersTheDualError()
    {
        var (x, y) = TwoClasses(200, 7);
        var (tx, ty) = TwoClasses(100, 8);
        using var classifier = Trainer(AceMode.Classifier, 15, x, y);
        using var ace = Trainer(AceMode.NonGenerative, 15, x, y);
        classifier.Fit();
        ace.Fit();
        Assert.InRange(classifier.Evaluate(tx, ty).Error, 0, 0.05);
        // Class-sorted test rows (as the named splits are): every evaluation batch still spreads over both classes,
        // so the seed's test-batch normalisation keeps the class signal.
        var order = Enumerable.Range(0, 100).OrderBy(i => ty[i]).ThenBy(i => i).ToArray();
        var sx = order.SelectMany(i => tx.Skip(i * 12).Take(12)).ToArray();
        var sy = order.Select(i => ty[i]).ToArray();
        Assert.InRange(classifier.Evaluate(sx, sy).Error, 0, 0.05);
        Assert.InRange(ace.Evaluate(tx, ty).Error, 0, 0.05);
        Assert.All(classifier.History, r => Assert.Equal(0, r.DualReconstruction));
        Assert.Equal(ace.History[^1].Loss, ace.History[^1].CrossEntropy + ace.History[^1].DualReconstruction, 4);
        // The dual error of each trained classifier, measured the same way: ACE minimised it, the classifier did not.
        double Dual(AceTrainer t)
        {
            using var scope = TensorScope.Begin();
            using var _ = Tensor.NoGrad();
            var xt = Tensor.FromArray(x, [200, 12]);
            return DualReconstruction.Error(t.Model.Run(xt).FirstHidden, xt).Item();
        }
        Assert.True(Dual(ace) < Dual(classifier) - 0.5, $"dual error: ACE {Dual(ace)}, classifier {Dual(classifier)}");
        Assert.True(ace.History[^1].DualReconstruction < ace.History[0].DualReconstruction);
    }

    [Fact]
    public void ResumingIsBitIdenticalWithDropout()
    {
        var (x, y) = TwoClasses(90, 9); // 90 rows, batch 20: a last batch of 10
        using var straight = Trainer(AceMode.NonGenerative, 3, x, y, dropout: 0.3f);
        straight.Fit();
        using var first = Trainer(AceMode.NonGenerative, 1, x, y, dropout: 0.3f);
        first.Fit();
        using var state = first.CaptureState();
        var path = Path.Combine(Path.GetTempPath(), $"ace-resume-{Environment.ProcessId}.ckpt");
        state.Save(path, new Dictionary<string, string>());
        using var loaded = TrainingState.Load(path);
        File.Delete(path);
        using var resumed = Trainer(AceMode.NonGenerative, 3, x, y, seed: 5, dropout: 0.3f);
        resumed.RestoreState(loaded);
        Assert.Equal(1, resumed.Epoch);
        resumed.Fit();
        Assert.Equal(straight.History.Select(r => r.Loss), resumed.History.Select(r => r.Loss));
        foreach (var (a, b) in straight.Model.Parameters().Zip(resumed.Model.Parameters())) Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void BadInputIsOneLine()
    {
        var (x, y) = TwoClasses(10, 1);
        y[3] = 2;
        var e = Assert.Throws<GibbsException>(() => Trainer(AceMode.Classifier, 1, x, y));
        Assert.Contains("label 2 at row 3", e.Message);
        e = Assert.Throws<GibbsException>(() => Trainer(AceMode.Classifier, 1, x, null!));
        Assert.Contains("no labels", e.Message);
        x[5] = 3f;
        y[3] = 1;
        e = Assert.Throws<GibbsException>(() => Trainer(AceMode.Classifier, 1, x, y));
        Assert.Contains("[0, 1]", e.Message);
        using var scope = TensorScope.Begin();
        using var m = new AceClassifier("12-16-2", new Generator(1), new Generator(2));
        e = Assert.Throws<GibbsException>(() => m.Forward(Tensor.Zeros([1, 12])));
        Assert.Contains("at least 2 rows", e.Message);
        e = Assert.Throws<GibbsException>(() => new AceClassifier("12-2", new Generator(1), new Generator(2)));
        Assert.Contains("at least one hidden layer", e.Message);
        Assert.Throws<GibbsException>(() => new AceTrainingOptions { BatchSize = 1 }.Validate());
    }
}
