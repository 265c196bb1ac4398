// Whole-buffer gzip decompression that notices truncation and corruption. .NET's GZipStream neither
// checks the trailer's CRC-32 nor its length (ISIZE), so a file cut inside the 8-byte trailer, or with
// flipped bytes that still inflate, would read silently; we verify both. Single-member gzip only (as
// written by gzip(1), Python and Gibbs); concatenated multi-member files fail the check.
using System.Buffers.Binary;
using System.IO.Compression;

namespace Gibbs.Data;

internal static class Gzip
{
    private static readonly uint[] Table = MakeTable();

    /// <summary>True when <paramref name="bytes"/> starts with the gzip magic 1f 8b.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    /// <summary>Inflates <paramref name="bytes"/>; throws GibbsFormatException naming <paramref name="path"/> when damaged.</summary>
    public static byte[] Decompress(string path, byte[] bytes, string what)
    {
        byte[] output;
        try
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            output = ms.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new GibbsFormatException($"{path}: not a valid {what}: corrupt gzip data ({e.Message.TrimEnd('.')}); download or copy the file again");
        }
        if (bytes.Length < 18
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 8)) != Crc32(output)
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)) != (uint)output.Length)
            throw new GibbsFormatException($"{path}: not a valid {what}: gzip data is truncated or corrupt (CRC-32/length check failed); download or copy the file again");
        return output;
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as in the gzip trailer (RFC 1952 §8).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
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
