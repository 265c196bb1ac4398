// Gzip (RFC 1952) for data files: detection, CRC-32, and inflation that is checked and bounded. .NET's
// GZipStream checks neither the trailer's CRC-32 nor its length (ISIZE), and inflates without limit;
// GzipReader (Gzip.Reader.cs) verifies every member of a multi-member file and inflates only as far as
// its reader asks, so a caller that knows the size to expect (an IDX header declares it) never holds more.
namespace Gibbs.Data;

internal static class Gzip
{
    private static readonly uint[] Table = MakeTable();

    /// <summary>True when <paramref name="bytes"/> starts with the gzip magic 1f 8b.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    /// <summary>A stream of the inflated content of <paramref name="bytes"/> (every member in turn); reading
    /// throws GibbsFormatException naming <paramref name="path"/> when the data are damaged.</summary>
    public static Stream Open(string path, byte[] bytes, string what) => new GzipReader(path, bytes, what);

    /// <summary>Inflates all of <paramref name="bytes"/>, but never more than <paramref name="maxBytes"/>: past that
    /// it throws GibbsFormatException naming <paramref name="path"/> (a gzip bomb, or not the file it claims to be).</summary>
    public static byte[] Decompress(string path, byte[] bytes, string what, int maxBytes)
    {
        using var z = Open(path, bytes, what);
        var data = ReadAtMost(z, maxBytes);
        Span<byte> probe = stackalloc byte[1];
        if (data.Length == maxBytes && z.Read(probe) > 0)
            throw new GibbsFormatException($"{path}: not a valid {what}: the gzip data inflate to more than {maxBytes} bytes, more than such a file can hold; the file is corrupt or not a {what}");
        return data;
    }

    /// <summary>Reads until the end of <paramref name="s"/> or <paramref name="limit"/> bytes. The buffer grows with what
    /// arrives (doubling from 64 KiB), so a size that is declared but never delivered is never allocated.</summary>
    public static byte[] ReadAtMost(Stream s, int limit)
    {
        var buf = new byte[Math.Min(limit, 1 << 16)];
        int n = 0;
        while (true)
        {
            if (n == buf.Length)
            {
                if (n == limit) return buf;
                Array.Resize(ref buf, (int)Math.Min(limit, 2L * buf.Length));
            }
            int r = s.Read(buf, n, buf.Length - n);
            if (r == 0) return n == buf.Length ? buf : buf[..n];
            n += r;
        }
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as in the gzip trailer (RFC 1952 §8);
    /// pass the CRC of the data so far as <paramref name="crc"/> to continue it.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data, uint crc = 0)
    {
        uint c = ~crc;
        foreach (var b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    private static uint[] MakeTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }
}
