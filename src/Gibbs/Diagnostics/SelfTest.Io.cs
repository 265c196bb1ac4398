// Self-test round trips of the model-file formats: safetensors and .npy written, read back and
// compared bit for bit, plus a corrupt file that must be rejected with a format error.
using Gibbs.Backends;
using Gibbs.IO;
using Gibbs.Rng;

namespace Gibbs.Diagnostics;

public static partial class SelfTest
{
    static partial void AddIoChecks(List<(string, Func<Device, (bool, string)>)> checks)
    {
        checks.Add(("io/safetensors_round_trip", SafeTensorsRoundTrip));
        checks.Add(("io/npy_round_trip", NpyRoundTrip));
        checks.Add(("io/corrupt_file_rejected", CorruptRejected));
    }

    private static (bool, string) WithTempDir(Func<string, (bool, string)> body)
    {
        var dir = Directory.CreateTempSubdirectory("gibbs-selftest-").FullName;
        try { return body(dir); }
        finally { Directory.Delete(dir, true); }
    }

    private static (bool, string) SafeTensorsRoundTrip(Device device) => WithTempDir(dir =>
    {
        using var scope = TensorScope.Begin();
        var gen = new Generator(17);
        var t = new Dictionary<string, Tensor> { ["W"] = Tensor.Randn([31, 17], gen, device: device), ["b"] = Tensor.Rand([17], gen, device: device), ["s"] = Tensor.Scalar(3f, device) };
        var path = Path.Combine(dir, "m.safetensors");
        SafeTensors.Save(path, t, new Dictionary<string, string> { ["k"] = "v" });
        using var f = SafeTensors.Load(path, device);
        bool ok = t.All(kv => f[kv.Key].Shape.SequenceEqual(kv.Value.Shape) && f[kv.Key].ToArray().AsSpan().SequenceEqual(kv.Value.ToArray())) && f.Meta("k") == "v";
        return (ok, ok ? $"3 tensors and metadata identical after a round trip ({new FileInfo(path).Length} bytes)" : "values differ after a round trip");
    });

    private static (bool, string) NpyRoundTrip(Device device) => WithTempDir(dir =>
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([5, 7, 3], new Generator(5), device: device);
        var path = Path.Combine(dir, "x.npy");
        Npy.Save(path, x);
        var y = Npy.Load(path, device);
        bool ok = y.Shape.SequenceEqual(x.Shape) && y.ToArray().AsSpan().SequenceEqual(x.ToArray());
        return (ok, ok ? "5×7×3 float32 identical after a round trip" : "values differ after a round trip");
    });

    private static (bool, string) CorruptRejected(Device device) => WithTempDir(dir =>
    {
        using var scope = TensorScope.Begin();
        var path = Path.Combine(dir, "m.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["W"] = Tensor.Ones([10, 10], device) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^7]);
        try
        {
            using var _ = SafeTensors.Load(path, device);
            return (false, "a truncated file was accepted");
        }
        catch (GibbsFormatException e) { return (true, "truncated file rejected: " + e.Message[(e.Message.IndexOf(':') + 2)..]); }
    });
}
