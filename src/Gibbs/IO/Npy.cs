// NumPy .npy files (format 1.0–3.0): write little-endian float32 C-order arrays atomically; read
// <f4/<f8/<f2/|u1/|i1/<i4/<i8 (converted to float32) with validation. Fortran order and big-endian data
// are refused with a clear message.
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Gibbs.IO;

public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Writes <paramref name="t"/> as a float32 .npy file (version 1.0), atomically.</summary>
    public static void Save(string path, Tensor t)
    {
        var shape = t.Rank == 1 ? $"({t.Dim(0)},)" : "(" + string.Join(", ", t.Shape.ToArray()) + ")";
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        var header = Encoding.ASCII.GetBytes(dict + new string(' ', pad) + "\n");
        var data = t.ToArray();
        AtomicFile.Write(path, fs =>
        {
            fs.Write(Magic);
            fs.WriteByte(1);
            fs.WriteByte(0);
            Span<byte> len = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
            fs.Write(len);
            fs.Write(header);
            fs.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        });
    }

    private static GibbsFormatException Bad(string path, string what) => new($"{path}: not a valid .npy file: {what}");

    /// <summary>Reads a .npy file into a float32 tensor.</summary>
    public static Tensor Load(string path, Backends.Device? device = null)
    {
        if (!File.Exists(path)) throw new GibbsException($"{path}: no such file");
        var b = File.ReadAllBytes(path);
        if (b.Length < 10 || !b.AsSpan(0, 6).SequenceEqual(Magic)) throw Bad(path, "missing the \\x93NUMPY magic");
        int major = b[6];
        int hlen, hstart;
        if (major == 1) { hlen = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(8)); hstart = 10; }
        else if (major is 2 or 3)
        {
            if (b.Length < 12) throw Bad(path, "truncated header");
            hlen = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(8)));
            hstart = 12;
        }
        else throw Bad(path, $"unknown format version {major}.{b[7]}");
        if ((long)hstart + hlen > b.Length) throw Bad(path, "header runs past the end of the file (truncated?)");
        var header = Encoding.Latin1.GetString(b, hstart, hlen);
        var descr = DescrRegex().Match(header);
        var fortran = FortranRegex().Match(header);
        var shapeM = ShapeRegex().Match(header);
        if (!descr.Success || !fortran.Success || !shapeM.Success) throw Bad(path, $"header dictionary is malformed: {header.Trim()}");
        if (fortran.Groups[1].Value == "True") throw new GibbsFormatException($"{path}: Fortran-order arrays are not supported; save it with numpy.ascontiguousarray first");
        var shape = shapeM.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : throw Bad(path, $"bad shape '{shapeM.Groups[1].Value}'"))
            .ToArray();
        string d = descr.Groups[1].Value;
        int size = d switch { "<f4" or "<i4" => 4, "<f8" or "<i8" => 8, "<f2" => 2, "|u1" or "|i1" or "|b1" => 1, _ => 0 };
        if (size == 0)
            throw new GibbsFormatException($"{path}: dtype '{d}' is not supported (use float32 '<f4', float64, float16, uint8, int8, int32 or int64; big-endian arrays need .astype('<f4'))");
        long count = 1;
        foreach (var x in shape)
        {
            count *= x;
            if (count > int.MaxValue) throw Bad(path, $"shape ({shapeM.Groups[1].Value}) has more than 2^31 elements");
        }
        int dataStart = hstart + hlen;
        if (b.Length - dataStart != count * size)
            throw Bad(path, $"shape {Tensor.Format(shape)} of {d} needs {count * size} bytes but the file has {b.Length - dataStart} (truncated?)");
        var v = new float[count];
        var s = b.AsSpan(dataStart);
        for (int i = 0; i < count; i++)
            v[i] = d switch
            {
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(s[(4 * i)..]),
                "<f8" => (float)BinaryPrimitives.ReadDoubleLittleEndian(s[(8 * i)..]),
                "<f2" => (float)BinaryPrimitives.ReadHalfLittleEndian(s[(2 * i)..]),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(s[(4 * i)..]),
                "<i8" => BinaryPrimitives.ReadInt64LittleEndian(s[(8 * i)..]),
                "|i1" => (sbyte)s[i],
                _ => s[i],
            };
        return Tensor.FromArray(v, shape, device);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranRegex();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
