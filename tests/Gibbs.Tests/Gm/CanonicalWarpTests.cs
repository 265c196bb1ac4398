// The seed's symmetry recipe through a Gibbs machine (000_c7b547386cdeff84.txt §4; GmCanonicalWarp, GmSymmetry
// canonical mode): the output warp is SymmetryTransform.Denormalize with a background, its gradients (canonical
// logits, the four statistics, the background) match central differences of an independent float64 warp built on
// SquareImages.Bilinear, and in a model the encoder reads the normalised image, varying h alone shifts the drawn
// image by whole pixels, the bound's gradient reaches the symmetry scales and the background, and files keep it all.
using Gibbs.Data;
using Gibbs.Models.Gm;
using Gibbs.Rng;

namespace Gibbs.Tests.Gm;

public class CanonicalWarpTests
{
    private const int Side = 10;

    private static float[] Blob(int count, ulong seed)
    {
        var g = new Generator(seed);
        var x = new float[count * Side * Side];
        for (int i = 0; i < count; i++)
        {
            double ch = 3.5 + 3 * g.NextDouble(), cv = 3.5 + 3 * g.NextDouble(), a = 1.5 + g.NextDouble(), b = 0.8 + 0.5 * g.NextDouble(), t = Math.PI * g.NextDouble();
            for (int r = 0; r < Side; r++)
                for (int c = 0; c < Side; c++)
                {
                    double dh = c + 1 - ch, dv = r + 1 - cv, u = Math.Cos(t) * dh + Math.Sin(t) * dv, w = -Math.Sin(t) * dh + Math.Cos(t) * dv;
                    x[i * Side * Side + r * Side + c] = (float)Math.Exp(-0.5 * (u * u / (a * a) + w * w / (b * b)));
                }
        }
        return x;
    }

    // An independent float64 warp: out = b + Bilinear(L − b) at s·Rot(ρ)·(h − H, v − V) + M, s = C / max(R, MinR).
    private static double[] Reference(SymmetryTransform t, double[] l, double[] st, double b)
    {
        int cs = t.CanonicalSide;
        var shifted = l.Select(v => (float)(v - b)).ToArray();
        double s = t.C / Math.Max(st[2], t.MinR), cos = Math.Cos(st[3]), sin = Math.Sin(st[3]);
        var y = new double[Side * Side];
        for (int r = 0; r < Side; r++)
            for (int c = 0; c < Side; c++)
            {
                double dh = c + 1 - st[0], dv = r + 1 - st[1];
                double ht = s * (cos * dh - sin * dv) + t.M, vt = s * (sin * dh + cos * dv) + t.M;
                bool inGrid = ht > -1 && ht < cs && vt > -1 && vt < cs;
                y[r * Side + c] = b + (inGrid ? SquareImages.Bilinear(shifted, cs, ht, vt) : 0);
            }
        return y;
    }

    [Fact]
    public void TheWarpIsDenormalizeWithABackground()
    {
        using var scope = TensorScope.Begin();
        var images = Blob(4, 5);
        Array.Clear(images, 3 * Side * Side, Side * Side); // an empty image: Normalize neither moves nor scales it
        var t = SymmetryTransform.ForData(images, 4, Side);
        var stats = SymmetryStatistics.Compute(images, 4, Side);
        var canonical = t.Normalize(images, 4, stats);
        const float b = -2.5f;
        var raw = GmSymmetry.Raw(stats, t);
        var g = new Generator(8);
        var logits = canonical.Select(v => v + b + (float)(g.NextDouble() - 0.5)).ToArray(); // any canonical logits
        var y = GmCanonicalWarp.Apply(Tensor.FromArray(logits, [4, t.CanonicalSide * t.CanonicalSide]),
                                      Tensor.FromArray(raw, [4, 4]), Tensor.FromArray([b], [1]), t).ToArray();
        var expected = t.Denormalize(logits.Select(v => v - b).ToArray(), 4, stats);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i] + b, y[i], 4);
        y = GmCanonicalWarp.Apply(Tensor.FromArray(canonical.Select(v => v + b).ToArray(), [4, t.CanonicalSide * t.CanonicalSide]),
                                  Tensor.FromArray(raw, [4, 4]), Tensor.FromArray([b], [1]), t).ToArray();
        // and it undoes Normalize up to resampling blur (14% relative RMS on these small blobs; a misplaced image is
        // over 100%), so an image's own statistics put it back in place
        double err = 0, norm = 0;
        for (int i = 0; i < y.Length; i++) { err += Math.Pow(y[i] - b - images[i], 2); norm += images[i] * images[i]; }
        Assert.InRange(Math.Sqrt(err / norm), 0, 0.25);
    }

    // r above MinR (the magnification depends on it) and below (capped: no gradient through r).
    [Theory]
    [InlineData(3.1, 1)]
    [InlineData(0.4, 2)]
    public void GradientsMatchCentralDifferencesOfAFloat64Warp(double r, ulong seed)
    {
        using var scope = TensorScope.Begin();
        var t = new SymmetryTransform(Side, c: 2.7, m: 5); // an 11 × 11 canonical grid, MinR = 1.35
        int cs2 = t.CanonicalSide * t.CanonicalSide;
        var g = new Generator(seed);
        double[] l = Enumerable.Range(0, cs2).Select(_ => 4 * g.NextDouble() - 2).ToArray();
        double[] st = [5.3 + g.NextDouble(), 4.6 + g.NextDouble(), r, 0.9 * (2 * g.NextDouble() - 1)];
        double b = -1.3;
        double[] w = Enumerable.Range(0, Side * Side).Select(_ => 2 * g.NextDouble() - 1).ToArray(); // loss = Σ w·out
        var lt = Tensor.FromArray(l.Select(v => (float)v).ToArray(), [1, cs2]).RequireGrad();
        var stt = Tensor.FromArray(st.Select(v => (float)v).ToArray(), [1, 4]).RequireGrad();
        var bt = Tensor.FromArray([(float)b], [1]).RequireGrad();
        var y = GmCanonicalWarp.Apply(lt, stt, bt, t);
        var fwd = y.ToArray();
        var reference = Reference(t, l, st, b);
        for (int i = 0; i < fwd.Length; i++) Assert.Equal(reference[i], fwd[i], 4);
        (y * Tensor.FromArray(w.Select(v => (float)v).ToArray(), [1, Side * Side])).Sum().Backward();

        double Loss(double[] ll, double[] s, double bb) => Reference(t, ll, s, bb).Select((v, i) => v * w[i]).Sum();
        var gs = stt.Grad!.ToArray();
        for (int u = 0; u < 4; u++)
        {
            const double eps = 1e-5;
            double[] up = (double[])st.Clone(), down = (double[])st.Clone();
            up[u] += eps; down[u] -= eps;
            double fd = (Loss(l, up, b) - Loss(l, down, b)) / (2 * eps);
            Assert.True(Math.Abs(gs[u] - fd) <= 2e-3 * Math.Max(1, Math.Abs(fd)), $"d/d{"HVRρ"[u]}: autodiff {gs[u]}, central differences {fd}");
        }
        if (r < t.MinR) Assert.Equal(0f, gs[2]);
        var gl = lt.Grad!.ToArray();
        for (int j = 0; j < cs2; j += 7)
        {
            double[] up = (double[])l.Clone(), down = (double[])l.Clone();
            up[j] += 0.25; down[j] -= 0.25;
            Assert.Equal((Loss(up, st, b) - Loss(down, st, b)) / 0.5, gl[j], 3);
        }
        double gbFd = (Loss(l, st, b + 0.25) - Loss(l, st, b - 0.25)) / 0.5;
        Assert.Equal(gbFd, bt.Grad!.ToArray()[0], 3);
        Assert.NotEqual(0, gbFd, 3); // some pixels read off the grid or its border
    }

    private static (GibbsMachine Model, GmSymmetry Sym, float[] Images) Canonical(ulong seed = 1)
    {
        var images = Blob(6, 11);
        var sym = GmSymmetry.Fit(images, Side * Side, GmSymmetryMode.Canonical);
        var m = new GibbsMachine(GmArchitecture.Parse($"{Side * Side}-12-3-12-{Side * Side}"), LatentFamilies.Get("laplace"), ReconstructionKind.Bernoulli, new Generator(seed), symmetry: sym);
        return (m, sym, images);
    }

    [Fact]
    public void VaryingHAloneShiftsTheDrawnImageByWholePixels()
    {
        using var scope = TensorScope.Begin();
        var (m, sym, _) = Canonical();
        using var _m = m;
        Assert.Equal(GmSymmetryMode.Canonical, sym.Mode);
        Assert.Equal(7, m.LatentSize);
        const int k = 2;
        var g = new Generator(4);
        var z = Enumerable.Range(0, 7).Select(_ => (float)(g.NextDouble() - 0.5)).ToArray();
        z[6] = 0; // no rotation beyond the mean
        var shifted = (float[])z.Clone();
        shifted[3] += k / sym.Sd[0];              // h + k pixels (standardised units)
        var a = m.Decode(Tensor.FromArray(z, [1, 7])).ToArray();
        var bImg = m.Decode(Tensor.FromArray(shifted, [1, 7])).ToArray();
        Assert.NotEqual(a, bImg);
        for (int r = 0; r < Side; r++)
            for (int c = k; c < Side; c++)
                Assert.Equal(a[r * Side + c - k], bImg[r * Side + c], 3);
    }

    [Fact]
    public void TheEncoderReadsTheNormalisedImageAndFilesKeepTheFrame()
    {
        using var scope = TensorScope.Begin();
        var (m, sym, images) = Canonical();
        using var _m = m;
        var x = Tensor.FromArray(images, [6, Side * Side]);
        var (mu, _) = m.Encode(x);
        // Moving an image by a whole pixel changes only its h location: the canonical image, hence μ of the learned
        // latents, is the same (the blob stays inside the grid).
        var moved = new float[images.Length];
        for (int i = 0; i < 6; i++)
            for (int r = 0; r < Side; r++)
                for (int c = 1; c < Side; c++) moved[i * 100 + r * Side + c] = images[i * 100 + r * Side + c - 1];
        var stats = SymmetryStatistics.Compute(images, 6, Side);
        var (mu2, _) = m.Encode(Tensor.FromArray(moved, [6, Side * Side]));
        float[] a = mu.ToArray(), b = mu2.ToArray();
        for (int i = 0; i < 6; i++)
        {
            if (images.Skip(i * 100).Take(100).Where((_, j) => j % Side == Side - 1).Max() > 1e-3) continue; // clipped by the move
            for (int j = 0; j < 3; j++) Assert.Equal(a[i * 7 + j], b[i * 7 + j], 3);
            Assert.Equal(a[i * 7 + 3] + 1 / sym.Sd[0], b[i * 7 + 3], 3);
        }
        Assert.Equal(sym.Frame!.Normalize(images, 6, stats).Length, 6 * sym.Frame.CanonicalSide * sym.Frame.CanonicalSide);

        var bin = Tensor.FromArray(Binarize.Threshold(images), [6, Side * Side]);
        m.Objective(bin, GmObjective.Bound, 2, new Generator(3)).Loss.Mean().Backward();
        Assert.Contains(m.SymmetryLogSigma!.Grad!.ToArray(), v => v != 0f);
        Assert.NotEqual(0f, m.CanonicalBackground!.Grad!.ToArray()[0]);

        var path = Path.Combine(Path.GetTempPath(), $"gm-canonical-{Environment.ProcessId}.safetensors");
        GmFile.Save(m, path);
        var (back, _) = GmFile.Load(path);
        File.Delete(path);
        using (back)
        {
            Assert.Equal(GmSymmetryMode.Canonical, back.Symmetry!.Mode);
            Assert.Equal(sym.Frame.C, back.Symmetry.Frame!.C);
            Assert.Equal(sym.Frame.M, back.Symmetry.Frame.M);
            Assert.Equal(sym.Frame.MinR, back.Symmetry.Frame.MinR);
            Assert.Equal(mu.ToArray(), back.Encode(x).Mu.ToArray());
            var z = Tensor.FromArray(Enumerable.Range(0, 14).Select(i => 0.1f * i - 0.5f).ToArray(), [2, 7]);
            Assert.Equal(m.Decode(z).ToArray(), back.Decode(z).ToArray());
        }
    }
}
