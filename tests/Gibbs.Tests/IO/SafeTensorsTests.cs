// safetensors: round trips, byte layout, validation of corrupt files, atomic writes, and interop with
// an independent numpy reader/writer (tests/reference/safetensors_ref.py).
using System.Diagnostics;
using System.Text.Json;
using Gibbs.IO;

namespace Gibbs.Tests.IO;

public class SafeTensorsTests : TempDirTest
{
    [Fact]
    public void RoundTripsTensorsAndMetadata()
    {
        using var scope = TensorScope.Begin();
        var tensors = new Dictionary<string, Tensor>
        {
            ["W"] = Tensor.FromArray([1f, -2f, 3.5f, float.MaxValue, 1e-30f, 0f], [2, 3]),
            ["b"] = Tensor.FromArray([0.25f]),
            ["scalar"] = Tensor.Scalar(7f),
            ["empty"] = Tensor.Zeros([0, 4]),
        };
        SafeTensors.Save(P("m.safetensors"), tensors, new Dictionary<string, string> { ["config"] = "{\"hidden\": 3}", ["ünï"] = "ok" });
        using var f = SafeTensors.Load(P("m.safetensors"));
        foreach (var (k, t) in tensors)
        {
            Assert.Equal(t.Shape.ToArray(), f[k].Shape.ToArray());
            Assert.Equal(t.ToArray(), f[k].ToArray());
        }
        Assert.Equal("{\"hidden\": 3}", f.Meta("config"));
        Assert.Equal("ok", f.Meta("ünï"));
        Assert.Empty(Directory.GetFiles(Dir, ".*tmp*"));
    }

    [Fact]
    public void WritesTheExactByteLayout()
    {
        using var scope = TensorScope.Begin();
        SafeTensors.Save(P("a.safetensors"), new Dictionary<string, Tensor> { ["a"] = Tensor.FromArray([1f, 2f]) });
        var bytes = File.ReadAllBytes(P("a.safetensors"));
        const string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        int padded = (header.Length + 7) / 8 * 8;
        Assert.Equal((ulong)padded, BitConverter.ToUInt64(bytes, 0));
        Assert.Equal(header + new string(' ', padded - header.Length), System.Text.Encoding.UTF8.GetString(bytes, 8, padded));
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40 }, bytes[(8 + padded)..]);
    }

    [Fact]
    public void CorruptFilesGiveOneClearError()
    {
        using (TensorScope.Begin())
            SafeTensors.Save(P("good.safetensors"), new Dictionary<string, Tensor> { ["W"] = Tensor.Ones([10, 10]), ["b"] = Tensor.Ones([10]) });
        var good = File.ReadAllBytes(P("good.safetensors"));
        int n = (int)BitConverter.ToUInt64(good, 0);
        var cases = new List<(byte[] Bytes, string Expect)>
        {
            (good[..5], "only 5 bytes"),
            (good[..(8 + n - 3)], "runs past the end"),
            (good[..(good.Length - 4)], "truncated"),
            ([.. good, 1, 2, 3], "trailing"),
            ([8, 0, 0, 0, 0, 0, 0, 0, .. "[1]     "u8.ToArray()], "not a JSON object"),
            (Patch(good, 8, (byte)'['), "UTF-8 JSON"),
            (Patch(good, 10, 0xff), "UTF-8 JSON"),
            (BitConverter.GetBytes(1UL << 40).Concat(good[8..]).ToArray(), "over 100 MB"),
            (Replace(good, "F32", "Q99"), "unsupported dtype"),
            (Replace(good, "[10,10]", "[10,11]"), "data_offsets span"),
        };
        foreach (var (bytes, expect) in cases)
        {
            File.WriteAllBytes(P("bad.safetensors"), bytes);
            var e = Assert.Throws<GibbsFormatException>(() => SafeTensors.Load(P("bad.safetensors")));
            Assert.Contains("bad.safetensors", e.Message);
            Assert.Contains(expect, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    private static byte[] Patch(byte[] b, int at, byte v) { var c = (byte[])b.Clone(); c[at] = v; return c; }

    private static byte[] Replace(byte[] b, string from, string to)
    {
        var s = System.Text.Encoding.Latin1.GetString(b);
        Assert.Equal(from.Length, to.Length);
        return System.Text.Encoding.Latin1.GetBytes(s.Replace(from, to));
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileIntact()
    {
        using var scope = TensorScope.Begin();
        SafeTensors.Save(P("m.safetensors"), new Dictionary<string, Tensor> { ["x"] = Tensor.Ones([3]) });
        var disposed = Tensor.Ones([3]).Untrack();
        disposed.Dispose();
        Assert.ThrowsAny<Exception>(() => SafeTensors.Save(P("m.safetensors"), new Dictionary<string, Tensor> { ["a"] = Tensor.Ones([2]), ["z"] = disposed }));
        using var f = SafeTensors.Load(P("m.safetensors"));
        Assert.Equal([1f, 1f, 1f], f["x"].ToArray());
        Assert.Single(Directory.GetFiles(Dir));
    }

    internal static string? Python(params string[] args)
    {
        if (!File.Exists("/usr/bin/python3")) return null;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoRoot(), "tests", "reference", "safetensors_ref.py"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (err.Contains("No module named 'numpy'")) return null;
        Assert.True(p.ExitCode == 0, err);
        return output;
    }

    internal static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "Gibbs.sln"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    [SkippableFact]
    public void AnIndependentNumpyReaderReadsGibbsFiles()
    {
        using (TensorScope.Begin())
            SafeTensors.Save(P("g.safetensors"), new Dictionary<string, Tensor>
            {
                ["W"] = Tensor.FromArray([0.5f, -1.25f, 3f, 4f, 5f, 6f], [3, 2]),
                ["b_h"] = Tensor.FromArray([1e-8f, 2f]),
            }, new Dictionary<string, string> { ["kind"] = "bernoulli-rbm" });
        var json = Python("read", P("g.safetensors"));
        Skip.If(json is null, "python3-numpy is not installed (apt-get install python3-numpy)");
        using var doc = JsonDocument.Parse(json!);
        var t = doc.RootElement.GetProperty("tensors");
        Assert.Equal([3, 2], t.GetProperty("W").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0.5, -1.25, 3, 4, 5, 6], t.GetProperty("W").GetProperty("values").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(1e-8, t.GetProperty("b_h").GetProperty("values")[0].GetDouble(), 1e-15);
        Assert.Equal("bernoulli-rbm", doc.RootElement.GetProperty("metadata").GetProperty("kind").GetString());
    }

    [SkippableFact]
    public void GibbsReadsFilesWrittenByTheIndependentWriter()
    {
        var ok = Python("write", P("n.safetensors"));
        Skip.If(ok is null, "python3-numpy is not installed (apt-get install python3-numpy)");
        using var f = SafeTensors.Load(P("n.safetensors"));
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f], f["weight"].ToArray());
        Assert.Equal([2, 3], f["weight"].Shape.ToArray());
        Assert.Equal([1.5f, -2.25f], f["double"].ToArray());
        Assert.Equal([0.5f, -1f, 65504f], f["half"].ToArray());
        Assert.Equal(0, f["scalar"].Rank);
        Assert.Equal("written by numpy", f.Meta("note"));
    }
}
