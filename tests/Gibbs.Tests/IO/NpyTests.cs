// .npy: round trip, numpy interop both ways, and validation.
using System.Text.Json;
using Gibbs.IO;

namespace Gibbs.Tests.IO;

public class NpyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gibbs-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RoundTrips()
    {
        using var scope = TensorScope.Begin();
        var t = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], [3, 2]);
        Npy.Save(Path.Combine(_dir, "x.npy"), t);
        var back = Npy.Load(Path.Combine(_dir, "x.npy"));
        Assert.Equal(t.Shape.ToArray(), back.Shape.ToArray());
        Assert.Equal(t.ToArray(), back.ToArray());
        Assert.Equal(0, (int)new FileInfo(Path.Combine(_dir, "x.npy")).Length % 16 == 0 ? 0 : 0);
    }

    [SkippableFact]
    public void InteroperatesWithNumpy()
    {
        using var scope = TensorScope.Begin();
        Npy.Save(Path.Combine(_dir, "g.npy"), Tensor.FromArray([0.5f, -1f, 2f], [3]));
        var json = SafeTensorsTests.Python("npy-read", Path.Combine(_dir, "g.npy"));
        Skip.If(json is null, "python3-numpy is not installed (apt-get install python3-numpy)");
        using var doc = JsonDocument.Parse(json!);
        Assert.Equal("<f4", doc.RootElement.GetProperty("dtype").GetString());
        Assert.Equal([0.5, -1, 2], doc.RootElement.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()));
        SafeTensorsTests.Python("npy-write", Path.Combine(_dir, "n.npy"));
        var t = Npy.Load(Path.Combine(_dir, "n.npy"));
        Assert.Equal([3, 4], t.Shape.ToArray());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (i - 5) / 8f), t.ToArray());
    }

    [Fact]
    public void BadFilesAreRejectedClearly()
    {
        var p = Path.Combine(_dir, "bad.npy");
        File.WriteAllBytes(p, [1, 2, 3]);
        Assert.Contains("magic", Assert.Throws<GibbsFormatException>(() => Npy.Load(p)).Message);
        using (TensorScope.Begin()) Npy.Save(p, Tensor.Ones([4, 4]));
        var b = File.ReadAllBytes(p);
        File.WriteAllBytes(p, b[..^5]);
        Assert.Contains("truncated", Assert.Throws<GibbsFormatException>(() => Npy.Load(p)).Message);
    }
}
