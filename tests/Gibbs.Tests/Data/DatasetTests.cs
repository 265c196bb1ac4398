// Datasets: the embedded mnist10k, fashion-mnist when installed, synthetic sets, IDX validation.
using Gibbs.Data;

namespace Gibbs.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void Mnist10kHasTenThousandRealDigits()
    {
        var all = Datasets.Mnist10k();
        Assert.Equal(10_000, all.Count);
        Assert.Equal(784, all.Features);
        Assert.Equal(10, all.Classes);
        Assert.Equal([28, 28], all.SampleShape);
        var counts = all.ClassCounts();
        Assert.All(counts, c => Assert.InRange(c, 863, 1127));
        Assert.Equal((0f, 1f), all.Range());
        // A digit has ink in the centre and none in the corners.
        double centre = 0, corner = 0;
        for (int i = 0; i < all.Count; i++)
        {
            centre += all.X[i * 784 + 14 * 28 + 14];
            corner += all.X[i * 784];
        }
        Assert.True(centre / all.Count > 0.3 && corner == 0, $"centre {centre / all.Count}, corner {corner}");
    }

    [Fact]
    public void Mnist10kDigitsAreUpright()
    {
        // Transposed digits would turn the strokes of 1s sideways; flipped ones would put the bar of 7s at the bottom (measured: top/bottom ink 1.19).
        var all = Datasets.Mnist10k();
        double rows1 = 0, cols1 = 0, top7 = 0, bottom7 = 0;
        for (int i = 0; i < all.Count; i++)
        {
            var img = all.X.AsSpan(i * 784, 784);
            if (all.Labels![i] == 1)
                for (int k = 0; k < 28; k++)
                {
                    bool rowInk = false, colInk = false;
                    for (int j = 0; j < 28; j++) { rowInk |= img[k * 28 + j] > 0.5f; colInk |= img[j * 28 + k] > 0.5f; }
                    rows1 += rowInk ? 1 : 0;
                    cols1 += colInk ? 1 : 0;
                }
            if (all.Labels[i] == 7)
                for (int k = 0; k < 784; k++) (k < 392 ? ref top7 : ref bottom7) += img[k];
        }
        Assert.True(rows1 > 2 * cols1, $"1s span {rows1} rows but {cols1} columns");
        Assert.True(top7 > 1.1 * bottom7, $"7s have ink {top7} in the top half and {bottom7} in the bottom");
    }

    [Fact]
    public void SplitIsStratifiedDeterministicAndDisjoint()
    {
        var train = Datasets.Load("mnist10k", DatasetSplit.Train);
        var test = Datasets.Load("mnist10k", DatasetSplit.Test);
        Assert.Equal((8000, 2000), (train.Count, test.Count));
        var full = Datasets.Mnist10k();
        var all = full.ClassCounts();
        var tr = train.ClassCounts();
        var te = test.ClassCounts();
        for (int c = 0; c < 10; c++)
        {
            Assert.Equal(Math.Round(all[c] * 0.8), tr[c]);
            Assert.Equal(all[c], tr[c] + te[c]);
        }
        // Disjoint and covering: the pixel mass of train + test is that of all 10,000 digits.
        Assert.Equal(full.X.Sum(v => (double)v), train.X.Sum(v => (double)v) + test.X.Sum(v => (double)v), 1e-6);
        Assert.Equal(full.X, Datasets.Load("mnist10k", DatasetSplit.All).X);
        Assert.Equal(train.X, Datasets.Load("mnist10k", DatasetSplit.Train).X);
    }

    [SkippableFact]
    public void FashionMnistLoadsWhenInstalled()
    {
        Skip.IfNot(Directory.Exists(Datasets.FashionMnistDir), "dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)");
        var train = Datasets.Load("fashion-mnist", DatasetSplit.Train);
        var test = Datasets.Load("fashion-mnist", DatasetSplit.Test);
        Assert.Equal((60_000, 784, 10), (train.Count, train.Features, train.Classes));
        Assert.Equal(10_000, test.Count);
        Assert.All(train.ClassCounts(), c => Assert.Equal(6000, c));
    }

    [Fact]
    public void MissingDatasetsSayHowToGetThem()
    {
        Datasets.SystemFashionMnistDir = "/nonexistent-system-dir";
        try
        {
            var e = Assert.Throws<GibbsException>(() => Datasets.Load("fashion-mnist", DatasetSplit.Train, "/nonexistent-dir"));
            Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
            Assert.Contains("/nonexistent-dir", e.Message);
        }
        finally { Datasets.SystemFashionMnistDir = Datasets.FashionMnistDir; }
        var u = Assert.Throws<GibbsException>(() => Datasets.Load("cifar-1000"));
        Assert.Contains("mnist10k", u.Message);
    }

    [Fact]
    public void SyntheticSetsHaveTheirShapes()
    {
        var s = Synthetic.TwoSpirals(10_000, 1);
        Assert.Equal((10_000, 2, 2), (s.Count, s.Features, s.Classes));
        double maxR = 0;
        for (int i = 0; i < s.Count; i++) maxR = Math.Max(maxR, Math.Sqrt(s.X[2 * i] * s.X[2 * i] + s.X[2 * i + 1] * s.X[2 * i + 1]));
        Assert.InRange(maxR, 2.9, 3.6);
        // r = 3·√u plus noise, so the mean radius is 2 (±0.02 for 10,000 points).
        double meanR = Enumerable.Range(0, s.Count).Average(i => Math.Sqrt(s.X[2 * i] * s.X[2 * i] + s.X[2 * i + 1] * s.X[2 * i + 1]));
        Assert.InRange(meanR, 1.97, 2.03);
        Assert.All(s.ClassCounts(), c => Assert.Equal(5000, c));
        Assert.Equal(s.X, Synthetic.TwoSpirals(10_000, 1).X);
        Assert.NotEqual(s.X, Synthetic.TwoSpirals(10_000, 2).X);
        var f = Synthetic.FourSpin(10_000, 1);
        Assert.Equal((10_000, 4), (f.Count, f.Classes));
        Assert.All(f.ClassCounts(), c => Assert.Equal(2500, c));
    }

    [Fact]
    public void CorruptIdxFilesAreRejected()
    {
        var dir = Directory.CreateTempSubdirectory("gibbs-idx-").FullName;
        try
        {
            var p = Path.Combine(dir, "x-images-idx3-ubyte.gz");
            Idx.WriteBytes(p, new byte[2 * 3 * 4], 2, 3, 4);
            Assert.Equal([2, 3, 4], Idx.Read(p).Shape);
            var b = File.ReadAllBytes(p);
            File.WriteAllBytes(p, b[..(b.Length / 2)]);
            Assert.Throws<GibbsFormatException>(() => Idx.Read(p));
            var raw = Path.Combine(dir, "y.idx");
            File.WriteAllBytes(raw, [0, 0, 8, 1, 0, 0, 0, 5, 1, 2]);
            Assert.Contains("needs 5 data bytes", Assert.Throws<GibbsFormatException>(() => Idx.Read(raw)).Message);
            File.WriteAllBytes(raw, [7, 7, 8, 1]);
            Assert.Contains("magic", Assert.Throws<GibbsFormatException>(() => Idx.Read(raw)).Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void BinarizeThresholdsAndSamples()
    {
        Assert.Equal([0f, 0f, 1f], Binarize.Threshold([0.2f, 0.5f, 0.51f]));
        var dst = new float[3];
        Binarize.Sample([0.5f, 0.5f, 1f], [0.4f, 0.6f, 0.99f], dst);
        Assert.Equal([1f, 0f, 1f], dst);
    }
}

public class MiniBatchTests
{
    [Fact]
    public void EpochsAreShuffledDeterministicallyAndCoverEveryRowOnce()
    {
        var a = MiniBatches.Epoch(103, 10, new Gibbs.Rng.Generator(1)).ToList();
        Assert.Equal(11, a.Count);
        Assert.Equal(3, a[^1].Length);
        Assert.Equal(Enumerable.Range(0, 103), a.SelectMany(b => b).Order());
        Assert.NotEqual(Enumerable.Range(0, 103), a.SelectMany(b => b));
        Assert.Equal(a.SelectMany(b => b), MiniBatches.Epoch(103, 10, new Gibbs.Rng.Generator(1)).SelectMany(b => b));
        Assert.Equal(10, MiniBatches.Epoch(103, 10, null, dropLast: true).Count());
    }

    [Fact]
    public void SeededEpochPermutationsAreReproduciblePerEpoch()
    {
        var p0 = MiniBatches.Permutation(1000, 42, 0);
        Assert.Equal(Enumerable.Range(0, 1000), p0.Order());
        Assert.Equal(p0, MiniBatches.Permutation(1000, 42, 0));
        Assert.NotEqual(p0, MiniBatches.Permutation(1000, 42, 1));
        Assert.NotEqual(p0, MiniBatches.Permutation(1000, 43, 0));
        Assert.True(p0.Where((v, i) => v == i).Count() < 10, "a shuffle of 1000 has about one fixed point");
        Assert.Empty(MiniBatches.Permutation(0, 1, 0));
        var b = MiniBatches.Epoch(25, 10, 7, 3).ToList();
        Assert.Equal([10, 10, 5], b.Select(x => x.Length));
        Assert.Equal(MiniBatches.Permutation(25, 7, 3), b.SelectMany(x => x));
        Assert.Equal([new Range(0, 10), new Range(10, 20)], MiniBatches.Batches(25, 10, dropLast: true));
        Assert.Throws<GibbsException>(() => MiniBatches.Batches(5, 0).ToList());
    }

    [Fact]
    public void SplitMix64MatchesTheReferenceStream()
    {
        // Vigna's splitmix64.c seeded with 0 gives e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f.
        var g = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, g.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, g.Next());
        Assert.Equal(0x06C45D188009454FUL, g.Next());
        var counts = new int[3];
        for (int i = 0; i < 30_000; i++) counts[g.NextBelow(3)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_700, 10_300));
    }

    [Fact]
    public void GatherBuildsTheBatchTensor()
    {
        var d = new Dataset("t", [0, 1, 10, 11, 20, 21], 2, null, 0, [2], "test");
        using var scope = TensorScope.Begin();
        Assert.Equal([20f, 21f, 0f, 1f], MiniBatches.Gather(d, [2, 0]).ToArray());
    }
}
