// safetensors header entries: dtype/shape/offset validation, layout (no overlaps, no holes), decoding.
using System.Buffers.Binary;
using System.Text.Json;

namespace Gibbs.IO;

public static partial class SafeTensors
{
    internal sealed record Entry(string Name, string DType, int[] Shape, long Begin, long End);

    private static int DTypeSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => 0,
    };

    private static Entry ReadEntry(string path, JsonProperty prop, long dataLen)
    {
        var v = prop.Value;
        string name = prop.Name;
        if (v.ValueKind != JsonValueKind.Object) throw Bad(path, $"entry '{name}' is not an object");
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw Bad(path, $"'{name}' has no dtype");
        string dtype = dt.GetString()!;
        int size = DTypeSize(dtype);
        if (size == 0) throw Bad(path, $"'{name}' has unsupported dtype {dtype} (Gibbs reads F64, F32, F16, BF16 and integer types)");
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) throw Bad(path, $"'{name}' has no shape");
        var shape = new List<int>();
        long count = 1;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim) || dim < 0 || dim > int.MaxValue)
                throw Bad(path, $"'{name}' has an invalid dimension {d} in its shape");
            shape.Add((int)dim);
            count *= dim;
            if (count > int.MaxValue) throw Bad(path, $"'{name}' has more than 2^31 elements");
        }
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw Bad(path, $"'{name}' has no data_offsets [begin, end]");
        long begin = 0, end = 0;
        if (off[0].ValueKind != JsonValueKind.Number || off[1].ValueKind != JsonValueKind.Number
            || !off[0].TryGetInt64(out begin) || !off[1].TryGetInt64(out end) || begin < 0 || end < begin)
            throw Bad(path, $"'{name}' has invalid data_offsets {off}");
        if (end > dataLen)
            throw Bad(path, $"data_offsets of '{name}' end at {end} but the data section has {dataLen} bytes (file truncated?)");
        if (end - begin != count * size)
            throw Bad(path, $"'{name}' is {dtype} {Tensor.Format(shape.ToArray())} ({count * size} bytes) but its data_offsets span {end - begin} bytes");
        return new Entry(name, dtype, shape.ToArray(), begin, end);
    }

    private static void CheckLayout(string path, List<Entry> entries, long dataLen)
    {
        long expected = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < expected) throw Bad(path, $"'{e.Name}' overlaps another tensor's bytes");
            if (e.Begin > expected) throw Bad(path, $"bytes {expected}–{e.Begin} of the data section belong to no tensor");
            expected = e.End;
        }
        if (expected != dataLen) throw Bad(path, $"the data section has {dataLen} bytes but the tensors cover {expected} (trailing bytes or a truncated file)");
    }

    private static float[] Decode(Entry e, ReadOnlySpan<byte> b)
    {
        int n = (int)((e.End - e.Begin) / DTypeSize(e.DType));
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = e.DType switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(b[(4 * i)..]),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(b[(8 * i)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(b[(2 * i)..]),
                "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]) << 16),
                "I64" => BinaryPrimitives.ReadInt64LittleEndian(b[(8 * i)..]),
                "U64" => BinaryPrimitives.ReadUInt64LittleEndian(b[(8 * i)..]),
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(b[(4 * i)..]),
                "U32" => BinaryPrimitives.ReadUInt32LittleEndian(b[(4 * i)..]),
                "I16" => BinaryPrimitives.ReadInt16LittleEndian(b[(2 * i)..]),
                "U16" => BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]),
                "I8" => (sbyte)b[i],
                _ => b[i], // U8, BOOL
            };
        }
        return x;
    }
}
