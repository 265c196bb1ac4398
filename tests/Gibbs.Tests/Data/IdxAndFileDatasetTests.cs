// IDX element types and corruption (truncation at every point, bad gzip), and datasets loaded from
// files: .idx.gz with a sibling labels file, .npy and .safetensors with X / y, bad labels.
// Not here: the named catalog (DatasetTests.cs).
using System.Buffers.Binary;
using System.IO.Compression;
using Gibbs.Data;
using Gibbs.IO;

namespace Gibbs.Tests.Data;

public class IdxAndFileDatasetTests : TempDirTest
{
    /// <summary>A raw IDX file of type <paramref name="type"/>, shape [2, 2], with big-endian values written by <paramref name="put"/>.</summary>
    private static byte[] Raw(byte type, int size, Action<Span<byte>, int> put)
    {
        var b = new byte[4 + 8 + 4 * size];
        b[2] = type;
        b[3] = 2;
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), 2);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), 2);
        for (int i = 0; i < 4; i++) put(b.AsSpan(12 + size * i), i);
        return b;
    }

    [Fact]
    public void ReadsEveryIdxElementType()
    {
        float[] v = [-1.5f, 0f, 2.25f, 300f];
        var files = new (byte Type, int Size, Action<Span<byte>, int> Put, float[] Expect)[]
        {
            (0x08, 1, (s, i) => s[0] = (byte)(i * 80), [0, 80, 160, 240]),
            (0x09, 1, (s, i) => s[0] = unchecked((byte)(sbyte)(i - 2)), [-2, -1, 0, 1]),
            (0x0B, 2, (s, i) => BinaryPrimitives.WriteInt16BigEndian(s, (short)(1000 * i - 1500)), [-1500, -500, 500, 1500]),
            (0x0C, 4, (s, i) => BinaryPrimitives.WriteInt32BigEndian(s, 100_000 * (i - 1)), [-100_000, 0, 100_000, 200_000]),
            (0x0D, 4, (s, i) => BinaryPrimitives.WriteSingleBigEndian(s, v[i]), v),
            (0x0E, 8, (s, i) => BinaryPrimitives.WriteDoubleBigEndian(s, v[i]), v),
        };
        foreach (var (type, size, put, expect) in files)
        {
            var a = Idx.Read($"type{type:X2}", Raw(type, size, put));
            Assert.Equal([2, 2], a.Shape);
            Assert.Equal(expect, a.Values);
        }
        var e = Assert.Throws<GibbsFormatException>(() => Idx.Read("odd.idx", Raw(0x0A, 1, (s, i) => { })));
        Assert.Contains("unknown data type 0x0A", e.Message);
    }

    [Fact]
    public void EveryTruncationAndACorruptGzipAreFormatErrors()
    {
        var p = P("t-images-idx3-ubyte.gz");
        var data = Enumerable.Range(0, 3 * 28 * 28).Select(i => (byte)(i * 7)).ToArray();
        Idx.WriteBytes(p, data, 3, 28, 28);
        var back = Idx.Read(p);
        Assert.Equal(data.Select(b => (float)b), back.Values);
        var gz = File.ReadAllBytes(p);
        for (int cut = 0; cut < gz.Length; cut++)
        {
            var e = Assert.Throws<GibbsFormatException>(() => Idx.Read("cut.gz", gz[..cut]));
            Assert.Contains("cut.gz", e.Message);
        }
        var raw = new MemoryStream();
        using (var z = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress)) z.CopyTo(raw);
        var rawBytes = raw.ToArray();
        for (int cut = 0; cut < rawBytes.Length; cut += 97)
            Assert.Throws<GibbsFormatException>(() => Idx.Read("cut.idx", rawBytes[..cut]));
        var badCrc = (byte[])gz.Clone();
        badCrc[^6] ^= 1;
        var crc = Assert.Throws<GibbsFormatException>(() => Idx.Read("crc.gz", badCrc)).Message;
        Assert.True(crc.Contains("corrupt gzip") || crc.Contains("CRC-32"), crc);
        Assert.Equal(0xCBF43926u, Gzip.Crc32("123456789"u8)); // the standard CRC-32 check value
        var corrupt = (byte[])gz.Clone();
        for (int i = 20; i < 40; i++) corrupt[i] ^= 0x5a;
        var ce = Assert.Throws<GibbsFormatException>(() => Idx.Read("c.gz", corrupt));
        Assert.True(ce.Message.Contains("corrupt gzip") || ce.Message.Contains("CRC-32"), ce.Message);
    }

    [Fact]
    public void AnIdxImagesFileFindsItsLabelsFile()
    {
        var img = new byte[5 * 4];
        for (int i = 0; i < img.Length; i++) img[i] = (byte)(i % 2 == 0 ? 255 : 0);
        Idx.WriteBytes(P("toy-images-idx3-ubyte.gz"), img, 5, 2, 2);
        Idx.WriteBytes(P("toy-labels-idx1-ubyte.gz"), [0, 1, 2, 1, 0], 5);
        var d = Datasets.Load(P("toy-images-idx3-ubyte.gz"));
        Assert.Equal((5, 4, 3), (d.Count, d.Features, d.Classes));
        Assert.Equal([2, 2], d.SampleShape);
        Assert.Equal([0, 1, 2, 1, 0], d.Labels!);
        Assert.Equal([1f, 0f, 1f, 0f], d.X[..4]);
        Assert.True(d.IsBinary());
        // A float IDX file keeps its values (no /255), even when they exceed 1.
        File.WriteAllBytes(P("f-images.idx"), Raw(0x0D, 4, (s, i) => BinaryPrimitives.WriteSingleBigEndian(s, 1.5f * i)));
        var f = Datasets.Load(P("f-images.idx"));
        Assert.Equal([0f, 1.5f, 3f, 4.5f], f.X);
        // Issue 8: a ubyte file holding only 0/1 is binary as stored (not {0, 1/255}); one byte above 1 makes
        // the whole file grey levels, scaled by 1/255.
        Idx.WriteBytes(P("bits-images.idx"), [0, 1, 0, 1], 2, 2);
        var bits = Datasets.Load(P("bits-images.idx"));
        Assert.Equal([0f, 1f, 0f, 1f], bits.X);
        Assert.True(bits.IsBinary());
        Idx.WriteBytes(P("zeros-images.idx"), [0, 0, 0, 0], 2, 2);
        Assert.Equal([0f, 0f, 0f, 0f], Datasets.Load(P("zeros-images.idx")).X);
        Idx.WriteBytes(P("dark-images.idx"), [0, 1, 0, 2], 2, 2);
        Assert.Equal([0f, 1 / 255f, 0f, 2 / 255f], Datasets.Load(P("dark-images.idx")).X);
        Idx.WriteBytes(P("lone-images.idx"), img, 5, 4);
        var lone = Datasets.Load(P("lone-images.idx"));
        Assert.Null(lone.Labels);
        Assert.Equal(0, lone.Classes);
    }

    [Fact]
    public void NpyAndSafetensorsFilesAreDatasets()
    {
        using var scope = TensorScope.Begin();
        Npy.Save(P("pts.npy"), Tensor.FromArray([0f, 1f, 2f, 3f, 4f, 5f], [3, 2]));
        var n = Datasets.Load(P("pts.npy"));
        Assert.Equal((3, 2, 0), (n.Count, n.Features, n.Classes));
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], n.X);
        SafeTensors.Save(P("set.safetensors"), new Dictionary<string, Tensor>
        {
            ["X"] = Tensor.FromArray([0.1f, 0.2f, 0.3f, 0.4f], [2, 2]),
            ["y"] = Tensor.FromArray([3f, 1f]),
        });
        var s = Datasets.Load(P("set.safetensors"));
        Assert.Equal([3, 1], s.Labels!);
        Assert.Equal(4, s.Classes);
        SafeTensors.Save(P("frac.safetensors"), new Dictionary<string, Tensor>
        {
            ["X"] = Tensor.FromArray([0.1f, 0.2f], [2, 1]),
            ["y"] = Tensor.FromArray([0.5f, 1f]),
        });
        Assert.Contains("label 0 is 0.5", Assert.Throws<GibbsFormatException>(() => Datasets.Load(P("frac.safetensors"))).Message);
        SafeTensors.Save(P("short.safetensors"), new Dictionary<string, Tensor>
        {
            ["X"] = Tensor.FromArray([0.1f, 0.2f], [2, 1]),
            ["y"] = Tensor.FromArray([1f]),
        });
        Assert.Contains("must match", Assert.Throws<GibbsFormatException>(() => Datasets.Load(P("short.safetensors"))).Message);
        SafeTensors.Save(P("noX.safetensors"), new Dictionary<string, Tensor> { ["W"] = Tensor.Ones([2, 2]) });
        Assert.Contains("tensor named 'X'", Assert.Throws<GibbsFormatException>(() => Datasets.Load(P("noX.safetensors"))).Message);
        Assert.Contains("no such file", Assert.Throws<GibbsException>(() => Datasets.Load(P("absent.npy"))).Message);
    }
}
