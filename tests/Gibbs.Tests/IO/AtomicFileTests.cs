// AtomicFile: a failed write leaves the old bytes and no temp file; a missing directory is one clear error;
// an empty safetensors file (no tensors, only metadata) round-trips. Not here: format validation.
using Gibbs.IO;

namespace Gibbs.Tests.IO;

public class AtomicFileTests : TempDirTest
{
    [Fact]
    public void AWriteThatFailsHalfwayLeavesTheOldBytesAndNoTempFile()
    {
        var p = Path.Combine(Dir, "f.bin");
        AtomicFile.Write(p, s => s.Write([1, 2, 3]));
        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(p, s =>
        {
            s.Write(new byte[100_000]);
            throw new InvalidOperationException("disk full (simulated)");
        }));
        Assert.Contains("simulated", e.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(p));
        Assert.Equal(["f.bin"], Directory.GetFiles(Dir).Select(Path.GetFileName));
        AtomicFile.Write(p, s => s.Write([9]));
        Assert.Equal([9], File.ReadAllBytes(p));
        Assert.Single(Directory.GetFiles(Dir));
    }

    [Fact]
    public void AMissingDirectoryIsOneClearError()
    {
        var p = Path.Combine(Dir, "no", "such", "m.safetensors");
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<GibbsException>(() => SafeTensors.Save(p, new Dictionary<string, Tensor> { ["x"] = Tensor.Ones([1]) }));
        Assert.Contains(p, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void AFileWithOnlyMetadataRoundTrips()
    {
        var p = Path.Combine(Dir, "meta.safetensors");
        SafeTensors.Save(p, new Dictionary<string, Tensor>(), new Dictionary<string, string> { ["step"] = "12" });
        var bytes = File.ReadAllBytes(p);
        Assert.Equal(0, (bytes.Length - 8) % 8);
        using var f = SafeTensors.Load(p);
        Assert.Empty(f.Tensors);
        Assert.Equal("12", f.Meta("step"));
        Assert.Null(f.Meta("absent"));
    }
}
