// Gzip as IDX files use it (issue 8): a gzip bomb stops at the size the IDX header declares, with the file
// named and little memory spent; multi-member files (`cat a.gz b.gz`) load, with every member's CRC-32 and
// ISIZE checked; gzip(1) is the independent reference where installed.
// Not here: truncation at every byte of a single member (IdxAndFileDatasetTests).
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Gibbs.Data;

namespace Gibbs.Tests.Data;

public class GzipTests : TempDirTest
{
    /// <summary>An IDX ubyte header for <paramref name="shape"/>.</summary>
    private static byte[] Header(params int[] shape)
    {
        var h = new byte[4 + 4 * shape.Length];
        h[2] = 0x08;
        h[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++) BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(4 + 4 * d), shape[d]);
        return h;
    }

    /// <summary>A gzip member of <paramref name="head"/> followed by <paramref name="zeros"/> zero bytes, compressed
    /// a megabyte at a time so the test itself never holds the inflated size.</summary>
    private static byte[] Gz(byte[] head, long zeros)
    {
        var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(head);
            var block = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= block.Length) z.Write(block, 0, (int)Math.Min(left, block.Length));
        }
        return ms.ToArray();
    }

    [Fact]
    public void AGzipBombStopsAtTheDeclaredSizeNamingTheFile()
    {
        const long bomb = 50L << 20;
        var gz = Gz(Header(10, 10), bomb);
        Assert.True(gz.Length < 200_000, $"{gz.Length} compressed bytes");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<GibbsFormatException>(() => Idx.Read("bomb-images-idx3-ubyte.gz", gz));
        long spent = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("bomb-images-idx3-ubyte.gz: not a valid IDX file: ", e.Message);
        Assert.Contains("declares shape [10×10], 100 data bytes, but the gzip data inflate to more", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(spent < 1_000_000, $"reading a {bomb}-byte bomb declaring 100 bytes allocated {spent} bytes");

        // A header that declares far more than arrives allocates for what arrives, not for the declaration.
        var liar = Gz(Header(60_000, 28, 28), 100);
        before = GC.GetAllocatedBytesForCurrentThread();
        e = Assert.Throws<GibbsFormatException>(() => Idx.Read("liar.gz", liar));
        spent = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("liar.gz", e.Message);
        Assert.Contains("needs 47040000 data bytes but the gzip data inflate to only 100", e.Message);
        Assert.True(spent < 1_000_000, $"a header declaring 47 MB with 100 bytes of data allocated {spent} bytes");

        // Without a declared size, the caller's cap holds.
        before = GC.GetAllocatedBytesForCurrentThread();
        e = Assert.Throws<GibbsFormatException>(() => Gzip.Decompress("bomb.gz", gz, "IDX file", 1 << 20));
        spent = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("bomb.gz: ", e.Message);
        Assert.Contains("more than 1048576 bytes", e.Message);
        Assert.True(spent < 3_000_000, $"a 1 MiB cap allocated {spent} bytes");
        Assert.Equal(112, Gzip.Decompress("small.gz", Gz(Header(10, 10), 100), "IDX file", 112).Length);
    }

    /// <summary>A member with every optional header field (FEXTRA, FNAME, FCOMMENT, FHCRC), as RFC 1952 §2.3 lays it out.</summary>
    private static byte[] FullHeaderMember(byte[] data)
    {
        var deflated = new MemoryStream();
        using (var d = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true)) d.Write(data);
        var h = new List<byte> { 0x1f, 0x8b, 8, 0x1E, 1, 2, 3, 4, 0, 3, 4, 0, (byte)'X', (byte)'Y', 0, 0 };
        h.AddRange("part2.idx\0a comment\0"u8.ToArray());
        var crc16 = (ushort)Gzip.Crc32(h.ToArray());
        h.Add((byte)crc16);
        h.Add((byte)(crc16 >> 8));
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Gzip.Crc32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)data.Length);
        return [.. h, .. deflated.ToArray(), .. trailer];
    }

    private static byte[] Member(byte[] data) => Gz(data, 0);

    /// <summary>The member `printf '' | gzip -c` writes (.NET writes nothing at all for empty input).</summary>
    private static readonly byte[] EmptyMember = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void MultiMemberGzipLoadsAndEveryMembersTrailerIsChecked()
    {
        var raw = (byte[])[.. Header(3, 28, 28), .. Enumerable.Range(0, 3 * 28 * 28).Select(i => (byte)(i * 7))];
        var expect = Idx.Read("raw.idx", raw);
        // Member 1 ends inside the header; member 2 has every optional header field; member 3 is empty.
        byte[] m1 = Member(raw[..6]), m2 = FullHeaderMember(raw[6..1000]), m3 = EmptyMember, m4 = Member(raw[1000..]);
        var cat = (byte[])[.. m1, .. m2, .. m3, .. m4];
        var got = Idx.Read("cat.gz", cat);
        Assert.Equal(expect.Shape, got.Shape);
        Assert.Equal(expect.Values, got.Values);
        Assert.Equal(expect.Values, Idx.Read("padded.gz", [.. cat, 0, 0, 0, 0]).Values); // zero padding, as gzip(1) allows
        Assert.Equal(expect.Values, Idx.Read("last-empty.gz", [.. m1, .. m2, .. m4, .. EmptyMember]).Values);
        Assert.Equal(expect.Values, Idx.Read("two-empty.gz", [.. EmptyMember, .. EmptyMember, .. m1, .. m2, .. m4, .. EmptyMember, 0]).Values);

        string Fails(string name, byte[] bytes) => Assert.Throws<GibbsFormatException>(() => Idx.Read(name, bytes)).Message;
        var badCrc = (byte[])cat.Clone();
        badCrc[m1.Length - 8] ^= 1; // first member's CRC-32
        var msg = Fails("crc1.gz", badCrc);
        Assert.StartsWith("crc1.gz: ", msg);
        Assert.Contains("CRC-32/length check of member 1 failed", msg);
        var badSize = (byte[])cat.Clone();
        badSize[m1.Length + m2.Length - 1] ^= 0x40; // second member's ISIZE
        Assert.Contains("member 2 failed", Fails("size2.gz", badSize));
        var badLast = (byte[])cat.Clone();
        badLast[^8] ^= 0x80; // last member's CRC-32: noticed at the end of the data
        Assert.Contains("member 4 failed", Fails("crc4.gz", badLast));
        var badHcrc = (byte[])cat.Clone();
        badHcrc[m1.Length + 12] ^= 1; // inside member 2's FEXTRA, covered by its header CRC-16
        Assert.Contains("member 2 header fails its CRC-16", Fails("hcrc.gz", badHcrc));
        Assert.Contains("3 bytes after gzip member 4 are not another gzip member", Fails("junk.gz", [.. cat, 0, (byte)'x', 0]));
        Assert.Contains("member 5 header is truncated", Fails("half.gz", [.. cat, 0x1f, 0x8b, 8]));
        for (int cut = m1.Length + 1; cut < m1.Length + m2.Length; cut += 7)
            Assert.StartsWith("cut2.gz: not a valid IDX file", Fails("cut2.gz", cat[..cut]));
    }

    /// <summary>A member holding <paramref name="data"/> in one final stored deflate block (5 + data.Length bytes of
    /// deflate data), so the deflate data end exactly where the test wants them to.</summary>
    private static byte[] StoredMember(byte[] data)
    {
        var m = new byte[10 + 5 + data.Length + 8];
        (m[0], m[1], m[2], m[9], m[10]) = ((byte)0x1f, (byte)0x8b, (byte)8, (byte)3, (byte)1);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(11), (ushort)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(13), (ushort)~data.Length);
        data.CopyTo(m, 15);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(15 + data.Length), Gzip.Crc32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(19 + data.Length), (uint)data.Length);
        return m;
    }

    [Fact]
    public void MemberEndsAtEveryOffsetAroundTheInflatersInputBlocksAreFound()
    {
        // The reader hands the inflater 8 KiB blocks and looks for a member's trailer in the last ones it took;
        // deflate data ending just before, at and just after a block boundary must all be found.
        var rng = new Random(8);
        foreach (int deflated in new[] { 8190, 8191, 8192, 8193, 8194, 16383, 16384, 16385, 24576 })
        {
            var part = new byte[deflated - 5 - 12];
            rng.NextBytes(part);
            var raw = (byte[])[.. Header(3, part.Length), .. part, .. part, .. part];
            var one = StoredMember(raw[..(12 + part.Length)]);
            var cat = (byte[])[.. one, .. StoredMember(raw[(12 + part.Length)..])];
            Assert.Equal(Idx.Read("raw", raw).Values, Idx.Read($"stored{deflated}.gz", cat).Values);
            cat[one.Length - 1] ^= 1;
            Assert.Contains("member 1 failed", Assert.Throws<GibbsFormatException>(() => Idx.Read("bad.gz", cat)).Message);
        }
    }

    [SkippableFact]
    public void FilesConcatenatedFromGzip1AgreeWithGzipT()
    {
        Skip.IfNot(File.Exists("/usr/bin/gzip"), "gzip(1) is not installed");
        int Gzip1(params string[] args)
        {
            var psi = new ProcessStartInfo("/usr/bin/gzip") { RedirectStandardError = true, WorkingDirectory = Dir };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode;
        }
        var raw = (byte[])[.. Header(2, 100), .. Enumerable.Range(0, 200).Select(i => (byte)(i % 3 == 0 ? 255 : i))];
        File.WriteAllBytes(P("a"), raw[..50]);
        File.WriteAllBytes(P("b"), raw[50..]);
        Assert.Equal(0, Gzip1("a", "b")); // a.gz and b.gz, each with its file name in the header (FNAME)
        var cat = (byte[])[.. File.ReadAllBytes(P("a.gz")), .. File.ReadAllBytes(P("b.gz"))];
        File.WriteAllBytes(P("cat-images-idx3-ubyte.gz"), cat);
        Assert.Equal(0, Gzip1("-t", "cat-images-idx3-ubyte.gz"));
        Assert.Equal(Idx.Read("raw", raw).Values, Idx.Read(P("cat-images-idx3-ubyte.gz")).Values);
        // The first member's CRC-32 flipped: gzip -t and Gibbs both refuse it.
        cat[File.ReadAllBytes(P("a.gz")).Length - 8] ^= 1;
        File.WriteAllBytes(P("bad.gz"), cat);
        Assert.NotEqual(0, Gzip1("-t", "bad.gz"));
        Assert.Contains("bad.gz: not a valid IDX file", Assert.Throws<GibbsFormatException>(() => Idx.Read(P("bad.gz"))).Message);
    }
}
