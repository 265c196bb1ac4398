// NumPy .npy files (format 1.0–3.0): write little-endian float32 or float64 C-order arrays atomically; read
// <f4/<f8/<f2/|u1/|i1/<i4/<i8 (converted to float32, or to float64 for LoadDoubles) with validation. Fortran order and big-endian data
// are refused with a clear message. The header dictionary is parsed as a Python literal, as numpy reads it,
// but only the part of that syntax numpy writes: whatever numpy's reader rejects is rejected here too.
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Gibbs.IO;

public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Writes <paramref name="t"/> as a float32 .npy file (version 1.0), atomically.</summary>
    public static void Save(string path, Tensor t)
    {
        var data = t.ToArray();
        Write(path, "<f4", t.Shape.ToArray(), System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
    }

    private static GibbsFormatException Bad(string path, string what) => new($"{path}: not a valid .npy file: {what}");

    /// <summary>Reads a .npy file into a float32 tensor.</summary>
    public static Tensor Load(string path, Backends.Device? device = null)
    {
        var (d, shape, b, start, count) = ReadRaw(path);
        var v = new float[count];
        var s = b.AsSpan(start);
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

    /// <summary>Reads a .npy file into float64 values in C order (every supported dtype converts exactly, except
    /// int64 beyond 2^53), with its shape — for float64 work such as the ridge solver.</summary>
    public static (double[] Values, int[] Shape) LoadDoubles(string path)
    {
        var (d, shape, b, start, count) = ReadRaw(path);
        var v = new double[count];
        var s = b.AsSpan(start);
        for (int i = 0; i < count; i++)
            v[i] = d switch
            {
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(s[(4 * i)..]),
                "<f8" => BinaryPrimitives.ReadDoubleLittleEndian(s[(8 * i)..]),
                "<f2" => (double)BinaryPrimitives.ReadHalfLittleEndian(s[(2 * i)..]),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(s[(4 * i)..]),
                "<i8" => BinaryPrimitives.ReadInt64LittleEndian(s[(8 * i)..]),
                "|i1" => (sbyte)s[i],
                _ => s[i],
            };
        return (v, shape);
    }

    /// <summary>Writes float64 <paramref name="values"/> of <paramref name="shape"/> (C order) as a '&lt;f8' .npy file
    /// (version 1.0), atomically.</summary>
    public static void SaveDoubles(string path, ReadOnlySpan<double> values, params int[] shape)
    {
        long count = 1;
        foreach (var x in shape) count *= x >= 0 ? x : throw new ArgumentException($"negative dimension in shape ({string.Join(", ", shape)})", nameof(shape));
        if (count != values.Length) throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} values but {values.Length} were given", nameof(values));
        var data = values.ToArray();
        Write(path, "<f8", shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
    }

    private static void Write(string path, string descr, int[] shape, byte[] data)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        var header = Encoding.ASCII.GetBytes(dict + new string(' ', pad) + "\n");
        AtomicFile.Write(path, fs =>
        {
            fs.Write(Magic);
            fs.WriteByte(1);
            fs.WriteByte(0);
            Span<byte> len = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
            fs.Write(len);
            fs.Write(header);
            fs.Write(data);
        });
    }

    /// <summary>The validated dtype, shape, file bytes, data offset and element count of a .npy file.</summary>
    private static (string Descr, int[] Shape, byte[] Bytes, int DataStart, int Count) ReadRaw(string path)
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
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(b, hstart, hlen);
        var (d, fortran, shape) = ParseHeader(path, header, legacyLongs: major < 3);
        if (fortran) throw new GibbsFormatException($"{path}: Fortran-order arrays are not supported; save it with numpy.ascontiguousarray first");
        int size = d switch { "<f4" or "<i4" => 4, "<f8" or "<i8" => 8, "<f2" => 2, "|u1" or "|i1" or "|b1" => 1, _ => 0 };
        if (size == 0)
            throw new GibbsFormatException($"{path}: dtype '{Escape(d)}' is not supported (use float32 '<f4', float64, float16, uint8, int8, int32 or int64; big-endian arrays need .astype('<f4'))");
        long count = 1;
        foreach (var x in shape)
        {
            count *= x;
            if (count > int.MaxValue) throw Bad(path, $"shape {Tensor.Format(shape)} has more than 2^31 elements");
        }
        int dataStart = hstart + hlen;
        if (b.Length - dataStart != count * size)
            throw Bad(path, $"shape {Tensor.Format(shape)} of {d} needs {count * size} bytes but the file has {b.Length - dataStart} (truncated?)");
        return (d, shape, b, dataStart, (int)count);
    }

    private static readonly string[] Keys = ["descr", "fortran_order", "shape"];

    /// <summary>The header dictionary: exactly the keys 'descr' (a string), 'fortran_order' (True/False) and 'shape'
    /// (a tuple of non-negative integers), each once. numpy (ast.literal_eval) takes the last of duplicate keys; we
    /// refuse them rather than guess. Versions 1.0/2.0 may carry Python 2's long suffix (3L), as numpy allows.</summary>
    private static (string Descr, bool Fortran, int[] Shape) ParseHeader(string path, string header, bool legacyLongs)
    {
        string Shown() => header.Length > 120 ? Escape(header[..120]) + "…" : Escape(header.TrimEnd());
        Dictionary<string, object> dict;
        try { dict = new Literal(header, legacyLongs).Dictionary(); }
        catch (FormatException e) { throw Bad(path, $"header dictionary {e.Message}: {Shown()}"); }
        foreach (var k in dict.Keys)
            if (!Keys.Contains(k)) throw Bad(path, $"header has an unexpected key '{Escape(k)}' (numpy writes exactly 'descr', 'fortran_order' and 'shape'): {Shown()}");
        foreach (var k in Keys)
            if (!dict.ContainsKey(k)) throw Bad(path, $"header lacks the key '{k}': {Shown()}");
        if (dict["descr"] is List<object>)
            throw new GibbsFormatException($"{path}: structured dtypes are not supported; save a plain numeric array (e.g. x.astype('<f4')): {Shown()}");
        if (dict["descr"] is not string descr) throw Bad(path, $"descr must be a dtype string such as '<f4': {Shown()}");
        if (dict["fortran_order"] is not bool fortran) throw Bad(path, $"fortran_order must be True or False: {Shown()}");
        if (dict["shape"] is not object[] dims || dims.Any(x => x is not long))
            throw Bad(path, $"shape must be a tuple of integers such as (60000, 784) or (6,): {Shown()}");
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
            shape[i] = (long)dims[i] <= int.MaxValue ? (int)(long)dims[i] : throw Bad(path, $"dimension {dims[i]} is too large: {Shown()}");
        return (descr, fortran, shape);
    }

    private static string Escape(string s) =>
        string.Concat(s.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));

    /// <summary>A reader for the Python literals a .npy header holds: a dict of quoted keys; values that are
    /// quoted strings (no escapes), True, False, decimal integers, tuples and lists; (x) is x, as in Python.
    /// Errors are FormatExceptions whose message completes "header dictionary …".</summary>
    private sealed class Literal(string s, bool legacyLongs)
    {
        private int _i;

        private char Peek(int ahead = 0) => _i + ahead < s.Length ? s[_i + ahead] : '\0';
        private FormatException Fail(string what) => new($"is malformed at character {_i} ({what})");

        private void Space()
        {
            while (Peek() is ' ' or '\t' or '\n' || (Peek() == '\r' && Peek(1) == '\n')) _i++;
        }

        private void Expect(char c)
        {
            if (Peek() != c) throw Fail($"expected '{c}'");
            _i++;
        }

        public Dictionary<string, object> Dictionary()
        {
            var d = new Dictionary<string, object>();
            while (Peek() is ' ' or '\t') _i++; // what literal_eval strips; a newline before '{' can start an indented line
            Expect('{');
            Space();
            while (Peek() != '}')
            {
                if (Peek() is not ('\'' or '"')) throw Fail("expected a quoted key");
                var key = Str();
                Space();
                Expect(':');
                Space();
                if (!d.TryAdd(key, Value())) throw new FormatException($"has the key '{Escape(key)}' twice");
                Space();
                if (Peek() == ',') { _i++; Space(); }
                else if (Peek() != '}') throw Fail("expected ',' or '}'");
            }
            _i++;
            Space();
            if (_i < s.Length) throw Fail("text after the closing '}'");
            return d;
        }

        private object Value()
        {
            char c = Peek();
            if (c is '\'' or '"') return Str();
            if (c is '(' or '[') return Sequence();
            if (char.IsAsciiDigit(c)) return Int();
            foreach (var (word, v) in new[] { ("True", true), ("False", false) })
                if (string.CompareOrdinal(s, _i, word, 0, word.Length) == 0 && !IsNamePart(Peek(word.Length))) { _i += word.Length; return v; }
            throw Fail("expected a value");
        }

        private string Str()
        {
            char q = s[_i++];
            int end = s.AsSpan(_i).IndexOfAny(q, '\\', '\n');
            if (end < 0 || s[_i + end] != q) throw Fail("unterminated string, or one with escapes");
            var v = s.Substring(_i, end);
            _i += end + 1;
            return v;
        }

        /// <summary>A tuple (object[]) or list (List&lt;object&gt;); (x) without a comma is x itself.</summary>
        private object Sequence()
        {
            char close = s[_i++] == '(' ? ')' : ']';
            var items = new List<object>();
            bool comma = false;
            Space();
            while (Peek() != close)
            {
                items.Add(Value());
                Space();
                comma = Peek() == ',';
                if (comma) { _i++; Space(); }
                else if (Peek() != close) throw Fail($"expected ',' or '{close}'");
            }
            _i++;
            if (close == ']') return items;
            return items.Count == 1 && !comma ? items[0] : items.ToArray();
        }

        private long Int()
        {
            int start = _i;
            while (char.IsAsciiDigit(Peek())) _i++;
            int n = _i - start;
            if (n > 1 && s[start] == '0') throw Fail("an integer with a leading zero");
            if (legacyLongs && Peek() is 'L' or 'l') _i++;
            if (IsNamePart(Peek()) || Peek() == '.') throw Fail("not a decimal integer");
            if (n > 18) throw Fail("an integer too large for a dimension");
            return long.Parse(s.AsSpan(start, n), NumberStyles.None, CultureInfo.InvariantCulture);
        }

        private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
    }
}
