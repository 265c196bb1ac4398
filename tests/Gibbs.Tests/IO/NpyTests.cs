// .npy: round trip, numpy interop both ways, and validation.
using System.Text.Json;
using Gibbs.IO;

namespace Gibbs.Tests.IO;

public class NpyTests : TempDirTest
{
    [Fact]
    public void RoundTrips()
    {
        using var scope = TensorScope.Begin();
        var t = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], [3, 2]);
        Npy.Save(Path.Combine(Dir, "x.npy"), t);
        var back = Npy.Load(Path.Combine(Dir, "x.npy"));
        Assert.Equal(t.Shape.ToArray(), back.Shape.ToArray());
        Assert.Equal(t.ToArray(), back.ToArray());
        // v1.0 header padded so the data starts 64-byte aligned: 6 floats = 24 data bytes after it.
        var bytes = File.ReadAllBytes(Path.Combine(Dir, "x.npy"));
        Assert.Equal(0, (bytes.Length - 24) % 64);
        Assert.Equal((byte)1, bytes[6]);
        Assert.Equal((byte)'\n', bytes[^25]);
        Assert.Empty(Directory.GetFiles(Dir, ".*tmp*"));
    }

    [Fact]
    public void DoublesRoundTripExactly()
    {
        double[] v = [0.1, -0.0, 1e-300, double.MaxValue, Math.PI, -2.5];
        Npy.SaveDoubles(Path.Combine(Dir, "d.npy"), v, 2, 3);
        var (back, shape) = Npy.LoadDoubles(Path.Combine(Dir, "d.npy"));
        Assert.Equal([2, 3], shape);
        Assert.Equal(v.Select(BitConverter.DoubleToInt64Bits), back.Select(BitConverter.DoubleToInt64Bits));
        var bytes = File.ReadAllBytes(Path.Combine(Dir, "d.npy"));
        Assert.Equal(0, (bytes.Length - 48) % 64);
        Assert.Contains("'descr': '<f8'", System.Text.Encoding.ASCII.GetString(bytes, 10, 60));
        // A 0-d array (one intercept), and float32 files read as exact doubles.
        Npy.SaveDoubles(Path.Combine(Dir, "s.npy"), [7.25]);
        var (s, sshape) = Npy.LoadDoubles(Path.Combine(Dir, "s.npy"));
        Assert.Empty(sshape);
        Assert.Equal([7.25], s);
        using var scope = TensorScope.Begin();
        Npy.Save(Path.Combine(Dir, "f.npy"), Tensor.FromArray([0.1f, 3f], [2]));
        Assert.Equal([(double)0.1f, 3.0], Npy.LoadDoubles(Path.Combine(Dir, "f.npy")).Values);
        Assert.Throws<ArgumentException>(() => Npy.SaveDoubles(Path.Combine(Dir, "bad.npy"), [1.0, 2.0], 3));
        Assert.False(File.Exists(Path.Combine(Dir, "bad.npy")));
    }

    [SkippableFact]
    public void InteroperatesWithNumpy()
    {
        using var scope = TensorScope.Begin();
        Npy.Save(Path.Combine(Dir, "g.npy"), Tensor.FromArray([0.5f, -1f, 2f], [3]));
        var json = SafeTensorsTests.Python("npy-read", Path.Combine(Dir, "g.npy"));
        Skip.If(json is null, "python3-numpy is not installed (apt-get install python3-numpy)");
        using var doc = JsonDocument.Parse(json!);
        Assert.Equal("<f4", doc.RootElement.GetProperty("dtype").GetString());
        Assert.Equal([0.5, -1, 2], doc.RootElement.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()));
        SafeTensorsTests.Python("npy-write", Path.Combine(Dir, "n.npy"));
        var t = Npy.Load(Path.Combine(Dir, "n.npy"));
        Assert.Equal([3, 4], t.Shape.ToArray());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (i - 5) / 8f), t.ToArray());
    }

    [SkippableFact]
    public void ReadsEveryNumpyDtypeAndHeaderVersionAndRefusesTheRest()
    {
        var ok = SafeTensorsTests.Python("npy-write-all", Dir);
        Skip.If(ok is null, "python3-numpy is not installed (apt-get install python3-numpy)");
        using var scope = TensorScope.Begin();
        foreach (var f in new[] { "df4", "df8", "df2", "du1", "di4", "di8", "v2", "v3" })
        {
            var t = Npy.Load(Path.Combine(Dir, f + ".npy"));
            Assert.Equal([2, 3], t.Shape.ToArray());
            Assert.Equal([0f, 1f, 2f, 3f, 4f, 250f], t.ToArray());
        }
        var s = Npy.Load(Path.Combine(Dir, "scalar.npy"));
        Assert.Equal(0, s.Rank);
        Assert.Equal([2.5f], s.ToArray());
        foreach (var (f, expect) in new[] { ("fortran", "Fortran-order"), ("bigendian", "'>f4'"), ("complex", "'<c8'") })
        {
            var e = Assert.Throws<GibbsFormatException>(() => Npy.Load(Path.Combine(Dir, f + ".npy")));
            Assert.Contains(f + ".npy", e.Message);
            Assert.Contains(expect, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void EveryTruncationIsAFormatError()
    {
        var p = Path.Combine(Dir, "t.npy");
        using (TensorScope.Begin()) Npy.Save(p, Tensor.Ones([3, 5]));
        var good = File.ReadAllBytes(p);
        for (int cut = 0; cut < good.Length; cut++)
        {
            File.WriteAllBytes(p, good[..cut]);
            var e = Assert.Throws<GibbsFormatException>(() => Npy.Load(p));
            Assert.Contains("t.npy", e.Message);
        }
    }

    [Fact]
    public void HeaderByteFlipsEitherLoadOrGiveAFormatError()
    {
        var p = Path.Combine(Dir, "f.npy");
        using (TensorScope.Begin()) Npy.Save(p, Tensor.Ones([2, 3]));
        var good = File.ReadAllBytes(p);
        int headerEnd = good.Length - 24, rejected = 0;
        foreach (byte v in new byte[] { (byte)'(', (byte)')', (byte)',', (byte)'\'', (byte)'9', (byte)'-', (byte)'T', 0xff, 0 })
            for (int i = 0; i < headerEnd; i++)
            {
                var b = (byte[])good.Clone();
                b[i] = v;
                File.WriteAllBytes(p, b);
                try
                {
                    using var scope = TensorScope.Begin();
                    var t = Npy.Load(p);
                    Assert.True(t.Length * 4 <= 24, $"flip at {i} to {v} gave {t.Length} elements from 24 data bytes");
                }
                catch (GibbsFormatException e)
                {
                    Assert.Contains("f.npy", e.Message);
                    Assert.DoesNotContain('\n', e.Message);
                    rejected++;
                }
            }
        Assert.True(rejected > 60, $"only {rejected} flips rejected");
    }

    [Fact]
    public void BadFilesAreRejectedClearly()
    {
        var p = Path.Combine(Dir, "bad.npy");
        File.WriteAllBytes(p, [1, 2, 3]);
        Assert.Contains("magic", Assert.Throws<GibbsFormatException>(() => Npy.Load(p)).Message);
        using (TensorScope.Begin()) Npy.Save(p, Tensor.Ones([4, 4]));
        var b = File.ReadAllBytes(p);
        File.WriteAllBytes(p, b[..^5]);
        Assert.Contains("truncated", Assert.Throws<GibbsFormatException>(() => Npy.Load(p)).Message);
    }
}
