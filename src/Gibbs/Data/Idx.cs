// IDX files (LeCun's MNIST format), raw or gzip-compressed (one member or several, each checked):
// magic 0x0000 TT DD (type, rank), DD big-endian int32 dimensions, then big-endian data. Read into
// float32 with validation (gzip inflated no further than the header declares); write ubyte.
// Values are returned as stored (bytes as 0–255); Datasets scales grey-level bytes to [0, 1] when the
// maximum byte exceeds 1 (a file of 0/1 bytes is binary as stored).
using System.Buffers.Binary;
using System.IO.Compression;

namespace Gibbs.Data;

/// <summary>An IDX array: shape, values as float32 (bytes are kept as 0–255), and the file's element type
/// code (0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64).</summary>
public sealed record IdxArray(int[] Shape, float[] Values, byte ElementType = 0x08);

public static class Idx
{
    private static GibbsFormatException Bad(string path, string what) => new($"{path}: not a valid IDX file: {what}");

    /// <summary>Reads an IDX file (.gz is detected by its magic bytes).</summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new GibbsException($"{path}: no such file");
        return Read(path, File.ReadAllBytes(path));
    }

    /// <summary>Reads IDX content held in <paramref name="bytes"/> (raw or gzip); <paramref name="path"/> names it in errors.
    /// Gzip data are inflated only as far as the header's shape declares (plus one byte to notice more), so a
    /// gzip bomb costs no more memory than the file it pretends to be.</summary>
    public static IdxArray Read(string path, byte[] bytes)
    {
        if (!Gzip.IsGzip(bytes)) return Read(path, new MemoryStream(bytes, writable: false), bytes.Length);
        using var z = Gzip.Open(path, bytes, "IDX file");
        return Read(path, z, -1);
    }

    /// <summary>Parses IDX from <paramref name="s"/>; <paramref name="rawLength"/> is the file's length when it is
    /// not compressed (for exact size errors), -1 for gzip.</summary>
    private static IdxArray Read(string path, Stream s, long rawLength)
    {
        Span<byte> magic = stackalloc byte[4];
        if (s.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || magic[0] != 0 || magic[1] != 0) throw Bad(path, "bad magic number (expected 00 00 type rank)");
        int type = magic[2], rank = magic[3];
        int size = type switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => 0 };
        if (size == 0) throw Bad(path, $"unknown data type 0x{type:X2}");
        Span<byte> dims = stackalloc byte[4 * rank];
        if (rank == 0 || s.ReadAtLeast(dims, dims.Length, throwOnEndOfStream: false) < dims.Length) throw Bad(path, $"header of rank {rank} is truncated");
        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            int dim = BinaryPrimitives.ReadInt32BigEndian(dims[(4 * d)..]);
            if (dim < 0) throw Bad(path, $"negative dimension {dim}");
            shape[d] = dim;
            count *= dim;
            if (count > int.MaxValue) throw Bad(path, $"dimensions {Tensor.Format(shape.AsSpan(0, d + 1))} hold more than 2^31 values");
        }
        long expected = count * size;
        if (expected > Array.MaxLength) throw Bad(path, $"shape {Tensor.Format(shape)} needs {expected} data bytes, more than Gibbs reads from one file");
        if (rawLength >= 0 && rawLength - 4 - 4 * rank != expected)
            throw Bad(path, $"shape {Tensor.Format(shape)} needs {expected} data bytes but the file has {rawLength - 4 - 4 * rank} (truncated or corrupt)");
        var data = Gzip.ReadAtMost(s, (int)expected);
        if (data.Length < expected)
            throw Bad(path, $"shape {Tensor.Format(shape)} needs {expected} data bytes but the gzip data inflate to only {data.Length} (truncated or corrupt)");
        Span<byte> probe = stackalloc byte[1];
        if (s.Read(probe) > 0) // also reads to the end of the gzip data, checking the last trailer
            throw Bad(path, $"the header declares shape {Tensor.Format(shape)}, {expected} data bytes, but the gzip data inflate to more; the file is corrupt or not an IDX file");
        var v = new float[count];
        var b = data.AsSpan();
        for (int i = 0; i < count; i++)
            v[i] = type switch
            {
                0x08 => b[i],
                0x09 => (sbyte)b[i],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(b[(2 * i)..]),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(b[(4 * i)..]),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(b[(4 * i)..]),
                _ => (float)BinaryPrimitives.ReadDoubleBigEndian(b[(8 * i)..]),
            };
        return new IdxArray(shape, v, (byte)type);
    }

    /// <summary>Writes unsigned bytes as IDX (gzip-compressed when the path ends in .gz), atomically.</summary>
    public static void WriteBytes(string path, ReadOnlySpan<byte> data, params int[] shape)
    {
        long count = shape.Aggregate(1L, (p, d) => p * d);
        if (count != data.Length) throw new ArgumentException($"{data.Length} bytes do not fill shape {Tensor.Format(shape)}");
        var header = new byte[4 + 4 * shape.Length];
        header[2] = 0x08;
        header[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), shape[d]);
        var copy = data.ToArray();
        IO.AtomicFile.Write(path, fs =>
        {
            Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(fs, CompressionLevel.Optimal, leaveOpen: true) : fs;
            s.Write(header);
            s.Write(copy);
            if (s != fs) s.Dispose();
        });
    }
}
