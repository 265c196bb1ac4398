// IDX files (LeCun's MNIST format), raw or gzip-compressed: magic 0x0000 TT DD (type, rank), DD
// big-endian int32 dimensions, then big-endian data. Read into float32 with validation; write ubyte.
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

    /// <summary>Reads IDX content held in <paramref name="bytes"/> (raw or gzip); <paramref name="path"/> names it in errors.</summary>
    public static IdxArray Read(string path, byte[] bytes)
    {
        if (Gzip.IsGzip(bytes)) bytes = Gzip.Decompress(path, bytes, "IDX file");
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0) throw Bad(path, "bad magic number (expected 00 00 type rank)");
        int type = bytes[2], rank = bytes[3];
        int size = type switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => 0 };
        if (size == 0) throw Bad(path, $"unknown data type 0x{type:X2}");
        if (rank == 0 || bytes.Length < 4 + 4 * rank) throw Bad(path, $"header of rank {rank} is truncated");
        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            int dim = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (dim < 0) throw Bad(path, $"negative dimension {dim}");
            shape[d] = dim;
            count *= dim;
            if (count > int.MaxValue) throw Bad(path, $"dimensions {Tensor.Format(shape.AsSpan(0, d + 1))} hold more than 2^31 values");
        }
        int start = 4 + 4 * rank;
        if (bytes.Length - start != count * size)
            throw Bad(path, $"shape {Tensor.Format(shape)} needs {count * size} data bytes but the file has {bytes.Length - start} (truncated or corrupt)");
        var v = new float[count];
        var s = bytes.AsSpan(start);
        for (int i = 0; i < count; i++)
            v[i] = type switch
            {
                0x08 => s[i],
                0x09 => (sbyte)s[i],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(s[(2 * i)..]),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(s[(4 * i)..]),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(s[(4 * i)..]),
                _ => (float)BinaryPrimitives.ReadDoubleBigEndian(s[(8 * i)..]),
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
