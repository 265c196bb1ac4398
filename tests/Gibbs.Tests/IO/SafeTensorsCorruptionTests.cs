// safetensors validation, exhaustively: every truncation point, byte flips all over the header, and
// hand-written headers that lie (overlaps, holes, negative dims, missing fields, duplicates). Each must
// be one GibbsFormatException line naming the file — never another exception type, never a crash.
// Not here: round trips and numpy interop (SafeTensorsTests.cs).
using System.Text;
using Gibbs.IO;

namespace Gibbs.Tests.IO;

public class SafeTensorsCorruptionTests : TempDirTest
{
    private byte[] Good()
    {
        using (TensorScope.Begin())
            SafeTensors.Save(P("good.safetensors"), new Dictionary<string, Tensor>
            {
                ["W"] = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]),
                ["b"] = Tensor.FromArray([7f, 8f]),
            }, new Dictionary<string, string> { ["k"] = "v" });
        return File.ReadAllBytes(P("good.safetensors"));
    }

    private GibbsFormatException Rejects(byte[] bytes)
    {
        File.WriteAllBytes(P("bad.safetensors"), bytes);
        var e = Assert.Throws<GibbsFormatException>(() => SafeTensors.Load(P("bad.safetensors")));
        Assert.Contains("bad.safetensors", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    /// <summary>A file with the given JSON header (space-padded to 8) and <paramref name="dataBytes"/> zero bytes of data.</summary>
    private static byte[] Make(string json, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(json);
        int padded = (h.Length + 7) / 8 * 8;
        var b = new byte[8 + padded + dataBytes];
        BitConverter.GetBytes((ulong)padded).CopyTo(b, 0);
        h.CopyTo(b, 8);
        for (int i = 8 + h.Length; i < 8 + padded; i++) b[i] = (byte)' ';
        return b;
    }

    [Fact]
    public void EveryTruncationIsAFormatError()
    {
        var good = Good();
        for (int cut = 0; cut < good.Length; cut++) Rejects(good[..cut]);
    }

    [Fact]
    public void HeaderByteFlipsEitherLoadOrGiveAFormatError()
    {
        var good = Good();
        int n = (int)BitConverter.ToUInt64(good, 0);
        int rejected = 0;
        foreach (byte v in new byte[] { (byte)'"', (byte)'{', (byte)'}', (byte)'9', (byte)'-', (byte)',', 0xff, 0 })
            for (int i = 0; i < 8 + n; i++)
            {
                var b = (byte[])good.Clone();
                b[i] = v;
                File.WriteAllBytes(P("flip.safetensors"), b);
                try
                {
                    // A flip inside a string or the padding can leave a valid file; it must then still cover all 32 data bytes.
                    using var f = SafeTensors.Load(P("flip.safetensors"));
                    Assert.Equal(8, f.Tensors.Values.Sum(t => t.Length));
                }
                catch (GibbsFormatException e)
                {
                    Assert.Contains("flip.safetensors", e.Message);
                    rejected++;
                }
            }
        Assert.True(rejected > n, $"only {rejected} of {8 * (8 + n)} flips were rejected");
    }

    [Fact]
    public void HeadersThatLieAreRejectedWithTheReason()
    {
        const string w = "\"W\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        var cases = new (string Json, int Data, string Expect)[]
        {
            ("{" + w + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "overlaps"),
            ("{\"W\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "belong to no tensor"),
            ("{" + w + "}", 12, "trailing"),
            ("{" + w + "}", 4, "end at 8 but the data section has 4 bytes"),
            ("{\"W\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "invalid dimension -2"),
            ("{\"W\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8, "invalid dimension"),
            ("{\"W\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "no dtype"),
            ("{\"W\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8, "no shape"),
            ("{\"W\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "no data_offsets"),
            ("{\"W\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8, "no data_offsets"),
            ("{\"W\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",\"8\"]}}", 8, "invalid data_offsets"),
            ("{\"W\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "invalid data_offsets"),
            ("{\"W\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "span 8 bytes"),
            ("{\"W\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8, "unsupported dtype C64"),
            ("{\"W\":{\"dtype\":7,\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "no dtype"),
            ("{\"W\":[1,2]}", 0, "not an object"),
            ("{" + w + "," + w + "}", 8, "appears twice"),
            ("{\"__metadata__\":{\"a\":1}," + w + "}", 8, "metadata 'a' is not a string"),
            ("{\"__metadata__\":[]," + w + "}", 8, "__metadata__ is not an object"),
            ("\"W\"", 0, "not a JSON object"),
        };
        foreach (var (json, data, expect) in cases)
        {
            var e = Rejects(Make(json, data));
            Assert.True(e.Message.Contains(expect, StringComparison.Ordinal), $"{json}: expected '{expect}' in: {e.Message}");
        }
    }

    [Fact]
    public void AValidHandWrittenFileWithHalfAndIntegersLoads()
    {
        // F16 1.0 = 0x3C00, BF16 -2.0 = 0xC000, I32 -3, U8 200.
        var b = Make("{\"h\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[0,2]},\"bf\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[2,4]},"
                     + "\"i\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]},\"u\":{\"dtype\":\"U8\",\"shape\":[1,1],\"data_offsets\":[8,9]}}", 9);
        int d = b.Length - 9;
        b[d] = 0x00; b[d + 1] = 0x3C; b[d + 2] = 0x00; b[d + 3] = 0xC0;
        BitConverter.GetBytes(-3).CopyTo(b, d + 4);
        b[d + 8] = 200;
        File.WriteAllBytes(P("h.safetensors"), b);
        using var f = SafeTensors.Load(P("h.safetensors"));
        Assert.Equal(0, f["h"].Rank);
        Assert.Equal([1f], f["h"].ToArray());
        Assert.Equal([-2f], f["bf"].ToArray());
        Assert.Equal([-3f], f["i"].ToArray());
        Assert.Equal([1, 1], f["u"].Shape.ToArray());
        Assert.Equal([200f], f["u"].ToArray());
        var e = Assert.Throws<GibbsFormatException>(() => f["W"]);
        Assert.Contains("'W'", e.Message);
        Assert.Contains("it has:", e.Message);
        foreach (var name in new[] { "h", "bf", "i", "u" }) Assert.Contains(name, e.Message);
    }
}
