// Seeded shift-and-rotate distortions (the symmetric copies the symmetry transform undoes): exact on integer shifts
// and quarter turns, draws uniform in their ranges and fixed by (seed, image index), bits independent of the thread count.
using Gibbs.Data;
using static Gibbs.Tests.Data.SymmetryTestImages;

namespace Gibbs.Tests.Data;

[Collection("serial")] // sets Engine.Threads
public class SymmetryDistortTests
{
    [Fact]
    public void IdentityIntegerShiftsAndQuarterTurnsAreExactPixelMoves()
    {
        var d = Mnist;
        var img = d.X.AsSpan(0, 784).ToArray();
        Assert.Equal(img, Distort.Apply(img, 0, 0, 0));
        var shifted = Distort.Apply(img, 2, -3, 0);
        for (int row = 0; row < 28; row++)
            for (int col = 0; col < 28; col++)
            {
                int sr = row + 3, sc = col - 2;
                float expect = sr < 28 && sc >= 0 ? img[sr * 28 + sc] : 0;
                Assert.Equal(expect, shifted[row * 28 + col]);
            }
        // +90° turns +h into +v: the pixel right of the centre goes below it (clockwise as displayed).
        var turned = Distort.Apply(img, 0, 0, 90);
        for (int row = 0; row < 28; row++)
            for (int col = 0; col < 28; col++)
                Assert.Equal(img[(27 - col) * 28 + row], turned[row * 28 + col], 1e-6f);
        var dot = new float[7 * 7];
        dot[3 * 7 + 5] = 1; // row 3, column 5: right of the centre (3, 3)
        var dotTurned = Distort.Apply(dot, 0, 0, 90);
        Assert.Equal(1f, dotTurned[5 * 7 + 3], 1e-6f); // row 5, column 3: below it
    }

    [Fact]
    public void DrawsAreUniformInTheirRangesAndFixedBySeedAndIndex()
    {
        var x = new float[1000 * 16];
        var (_, draws) = Distort.ShiftRotate(x, 1000, 4, 4, 30, 11);
        Assert.All(draws, t =>
        {
            Assert.InRange(t.Dx, -4, 4);
            Assert.InRange(t.Dy, -4, 4);
            Assert.InRange(t.Degrees, -30, 30);
        });
        // Uniform on [−a, a]: mean 0 ± a/√(3n) (one standard error 0.07 px, 0.55°), extremes near ±a.
        Assert.Equal(0, draws.Average(t => t.Dx), 0.25);
        Assert.Equal(0, draws.Average(t => t.Dy), 0.25);
        Assert.Equal(0, draws.Average(t => t.Degrees), 2.0);
        Assert.True(draws.Max(t => t.Degrees) > 29.5 && draws.Min(t => t.Degrees) < -29.5);
        Assert.True(draws.Max(t => t.Dx) > 3.9 && draws.Min(t => t.Dy) < -3.9);
        // Image i's draw depends only on (seed, i): a prefix of the set gets the same draws; another seed others.
        Assert.Equal(draws[..10], Distort.ShiftRotate(new float[10 * 16], 10, 4, 4, 30, 11).Draws);
        Assert.NotEqual(draws[..10], Distort.ShiftRotate(new float[10 * 16], 10, 4, 4, 30, 12).Draws);
        Assert.Equal(new ShiftRotation(0, 0, 0), Distort.ShiftRotate(new float[16], 1, 4, 0, 0, 11).Draws[0]);
    }

    [Fact]
    public void TheSameSeedGivesTheSameBitsOnAnyThreadCount()
    {
        var d = Mnist.Take(600);
        var copy = d.X.ToArray();
        (float[] Images, ShiftRotation[] Draws, float[] Canonical, float[] Back) Run(int threads)
        {
            int saved = Engine.Threads;
            Engine.Threads = threads;
            try
            {
                var (images, draws) = Distort.ShiftRotate(d.X, d.Count, 28, 4, 30, 2024);
                var t = new SymmetryTransform(28, 6.2);
                var (canonical, stats) = t.Normalize(images, d.Count);
                return (images, draws, canonical, t.Denormalize(canonical, d.Count, stats));
            }
            finally { Engine.Threads = saved; }
        }
        var one = Run(1);
        foreach (int threads in new[] { 2, 3 })
        {
            var other = Run(threads);
            Assert.Equal(one.Draws, other.Draws);
            Assert.True(one.Images.AsSpan().SequenceEqual(other.Images), $"distorted images differ with {threads} threads");
            Assert.True(one.Canonical.AsSpan().SequenceEqual(other.Canonical), $"canonical images differ with {threads} threads");
            Assert.True(one.Back.AsSpan().SequenceEqual(other.Back), $"denormalized images differ with {threads} threads");
        }
        Assert.False(one.Images.AsSpan().SequenceEqual(Distort.ShiftRotate(d.X, d.Count, 28, 4, 30, 2025).Images));
        Assert.Equal(copy, d.X);
    }

    [Fact]
    public void ADataSetKeepsItsLabelsAndShape()
    {
        var d = Mnist.Take(50);
        var (moved, draws) = Distort.ShiftRotate(d, 4, 30, 3);
        Assert.Equal("mnist10k-distorted", moved.Name);
        Assert.Equal(d.Labels, moved.Labels);
        Assert.Equal([28, 28], moved.SampleShape);
        Assert.Equal(Distort.ShiftRotate(d.X, 50, 28, 4, 30, 3).Images, moved.X);
        Assert.Equal(50, draws.Length);
    }

    [Fact]
    public void BadArgumentsAreRefusedInOneLineNamingTheProblemAndTheFix()
    {
        var x = new float[2 * 49];
        AssertOneLine(Assert.Throws<GibbsException>(() => Distort.ShiftRotate(x, 2, 7, -1, 30, 1)).Message, "maximum shift -1 px", "[0, 7]");
        AssertOneLine(Assert.Throws<GibbsException>(() => Distort.ShiftRotate(x, 2, 7, double.NaN, 30, 1)).Message, "maximum shift NaN");
        AssertOneLine(Assert.Throws<GibbsException>(() => Distort.ShiftRotate(x, 2, 7, 4, 200, 1)).Message, "maximum rotation 200°", "[0, 180]");
        AssertOneLine(Assert.Throws<GibbsException>(() => Distort.ShiftRotate(x, 3, 7, 4, 30, 1)).Message, "98 values", "147");
        AssertOneLine(Assert.Throws<GibbsException>(() => Distort.Apply(x, 2, 7, [new(0, 0, 0)])).Message, "1 distortions for 2 images");
        AssertOneLine(Assert.Throws<GibbsException>(() => Distort.Apply(x, 2, 7, [new(0, 0, 0), new(double.NaN, 0, 0)])).Message, "distortion 1", "finite");
        x[60] = float.NaN;
        AssertOneLine(Assert.Throws<GibbsException>(() => Distort.ShiftRotate(x, 2, 7, 4, 30, 1)).Message, "image 1, row 1, column 4 is NaN");
        AssertOneLine(Assert.Throws<GibbsException>(() => Distort.Apply(new float[50], 1, 1, 0)).Message, "50 pixels is not square");
        AssertOneLine(Assert.Throws<GibbsException>(() => Distort.ShiftRotate(Synthetic.TwoSpirals(4, 1), 4, 30, 1)).Message, "'two-spirals'", "shape [2]");
    }
}
