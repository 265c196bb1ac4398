// safetensors (Hugging Face): u64-LE header length N, N bytes of UTF-8 JSON
// {"__metadata__": {str: str}, "<name>": {"dtype", "shape", "data_offsets": [begin, end]}}, then the
// byte buffer (offsets relative to it, tensors packed without holes). Gibbs writes F32 (names sorted,
// header space-padded to 8 bytes) atomically, and reads F32/F64/F16/BF16/integers, validating everything.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Gibbs.IO;

/// <summary>A loaded safetensors file: tensors by name and the string metadata.</summary>
public sealed class SafeTensorsFile : IDisposable
{
    internal SafeTensorsFile(string path, Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        Tensors = tensors;
        Metadata = metadata;
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor <paramref name="name"/>, or an error listing the tensors present.</summary>
    public Tensor this[string name] => Tensors.TryGetValue(name, out var t) ? t
        : throw new GibbsFormatException($"{Path}: has no tensor '{name}' (it has: {string.Join(", ", Tensors.Keys)})");

    /// <summary>Metadata value <paramref name="key"/>, or null.</summary>
    public string? Meta(string key) => Metadata.TryGetValue(key, out var v) ? v : null;

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}

public static partial class SafeTensors
{
    private const long MaxHeader = 100L << 20;

    /// <summary>Writes <paramref name="tensors"/> (float32) and <paramref name="metadata"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (names.Contains("__metadata__")) throw new GibbsException("a tensor may not be named __metadata__");
        var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                var t = tensors[name];
                w.WriteStartObject(name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + 4L * t.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += 4L * t.Length;
            }
            w.WriteEndObject();
        }
        int pad = (int)((8 - (header.Length % 8)) % 8);
        for (int i = 0; i < pad; i++) header.WriteByte((byte)' ');
        AtomicFile.Write(path, fs =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            fs.Write(len);
            header.Position = 0;
            header.CopyTo(fs);
            foreach (var name in names)
            {
                var data = tensors[name].ToArray();
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors writer needs a little-endian machine");
                fs.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
            }
        });
    }

    /// <summary>Reads and validates a safetensors file; tensors are created on <paramref name="device"/> (default: Engine.DefaultDevice).</summary>
    public static SafeTensorsFile Load(string path, Backends.Device? device = null)
    {
        if (!File.Exists(path)) throw new GibbsException($"{path}: no such file");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new GibbsException($"{path}: cannot read ({e.Message})"); }
        return Parse(path, bytes, device);
    }

    private static GibbsFormatException Bad(string path, string what) =>
        new($"{path}: not a valid safetensors file: {what}");

    internal static SafeTensorsFile Parse(string path, byte[] bytes, Backends.Device? device)
    {
        if (bytes.Length < 8) throw Bad(path, $"only {bytes.Length} bytes (a header length needs 8; file truncated?)");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n == 0 || n > MaxHeader) throw Bad(path, $"header length {n} is {(n == 0 ? "zero" : "over 100 MB")} (not a safetensors file?)");
        if ((long)n > bytes.Length - 8) throw Bad(path, $"header length {n} runs past the end of the {bytes.Length}-byte file (file truncated?)");
        var headerBytes = new ReadOnlyMemory<byte>(bytes, 8, (int)n);
        JsonDocument doc;
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(headerBytes.Span);
            doc = JsonDocument.Parse(headerBytes);
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            throw Bad(path, $"header is not valid UTF-8 JSON ({e.Message.Split('\n')[0]})");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "header is not a JSON object");
            int dataStart = 8 + (int)n;
            long dataLen = bytes.Length - dataStart;
            var metadata = new Dictionary<string, string>();
            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(prop.Name)) throw Bad(path, $"'{prop.Name}' appears twice in the header");
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw Bad(path, "__metadata__ is not an object");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String) throw Bad(path, $"metadata '{m.Name}' is not a string");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                entries.Add(ReadEntry(path, prop, dataLen));
            }
            CheckLayout(path, entries, dataLen);
            var tensors = new Dictionary<string, Tensor>();
            try
            {
                foreach (var e in entries)
                    tensors[e.Name] = Tensor.FromArray(Decode(e, new ReadOnlySpan<byte>(bytes, dataStart + (int)e.Begin, (int)(e.End - e.Begin))), e.Shape, device).Untrack();
            }
            catch
            {
                foreach (var t in tensors.Values) t.Dispose();
                throw;
            }
            return new SafeTensorsFile(path, tensors, metadata);
        }
    }
}
