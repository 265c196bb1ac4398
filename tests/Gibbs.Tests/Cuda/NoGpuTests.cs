// --device cuda on a machine without a GPU: the provider (found through the registry, from this assembly's
// [assembly: BackendProvider]) says why in one line, and so do `gibbs info --json` and `gibbs selftest --device cuda`.
// On a machine with a GPU these report Skip with the reason instead of passing silently.
using System.Text.Json;
using Gibbs.Backends;
using Gibbs.Cuda;

namespace Gibbs.Tests.Cuda;

[Collection("serial")]
public class NoGpuTests
{
    private static bool HasGpu => new CudaBackendProvider().DeviceCount(out _) > 0;

    // Discovery runs once per process and other tests replace and remove the CUDA provider (BackendRegistryTests),
    // so register what discovery finds: the provider named by Gibbs.Cuda's [assembly: BackendProvider].
    public NoGpuTests()
    {
        var attr = typeof(CudaBackendProvider).Assembly.GetCustomAttributes(typeof(BackendProviderAttribute), false).Cast<BackendProviderAttribute>().Single();
        Assert.Equal(typeof(CudaBackendProvider), attr.ProviderType);
        BackendRegistry.Register((IBackendProvider)Activator.CreateInstance(attr.ProviderType)!);
    }

    [SkippableFact]
    public void TheProviderSaysWhyThereIsNoCudaDevice()
    {
        Skip.If(CudaBackendProvider.Emulated, "GIBBS_CUDA_EMULATE=1 serves cuda:0 from the CPU accelerator");
        Skip.If(HasGpu, "this machine has a CUDA device");
        Assert.Equal(0, new CudaBackendProvider().DeviceCount(out var why));
        Assert.StartsWith("no CUDA device: ", why);
        Assert.DoesNotContain('\n', why!);
        Assert.Contains(BackendRegistry.Describe(), s => s.Kind == DeviceKind.Cuda && s.Name.StartsWith("cuda (ILGPU", StringComparison.Ordinal) && s.Devices == 0);
        Assert.False(BackendRegistry.IsAvailable(new Device(DeviceKind.Cuda), out var reason));
        Assert.Equal($"device cuda:0 is not available: {why}; use --device cpu.", reason);
    }

    [SkippableFact]
    public void CliSaysCudaIsUnavailableInOneLine()
    {
        Skip.If(CudaBackendProvider.Emulated || HasGpu, "this machine has a (possibly emulated) CUDA device");
        var (code, stdout, err) = Run("selftest", "--device", "cuda");
        Assert.Equal(1, code);
        var lines = err.TrimEnd().Split('\n');
        Assert.True(lines.Length == 1, err);
        Assert.Contains("device cuda:0 is not available: no CUDA device: ", lines[0]);
        (code, stdout, _) = Run("info", "--json");
        Assert.Equal(0, code);
        var cuda = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("cuda").GetString();
        Assert.Contains("no CUDA device", cuda);
    }

    [Fact]
    public void Tf32OnTheCpuIsOneLineError()
    {
        var (code, _, err) = Run("selftest", "--device", "cpu", "--tf32");
        Assert.Equal(1, code);
        Assert.Equal("gibbs: error: --tf32 needs a CUDA device (TF32 tensor cores); cpu computes GEMM in float32: drop --tf32, or add --device cuda", err.TrimEnd());
    }

    [Fact]
    public void Tf32OnlyLoosensTheSelfTestWhereCublasComputesGemm()
    {
        var b = IlgpuTestBackend.Backend;
        Assert.True(((IBackend)b).TrySetTf32(true));
        try { Assert.Equal(24, ((IBackend)b).GemmPrecisionBits); } // the ILGPU GEMM kernel is float32 whatever Tf32 says
        finally { b.Tf32 = false; }
        Assert.False(((IBackend)Gibbs.Backends.Cpu.CpuBackend.Instance).TrySetTf32(true));
        Assert.Equal(24, ((IBackend)Gibbs.Backends.Cpu.CpuBackend.Instance).GemmPrecisionBits);
        Assert.Equal(0.25, Gibbs.Diagnostics.GradCheck.NormRelError([1.0, -1.5], [1.0, -2.0])); // max error 0.5 over max |reference| 2
        Assert.True(double.IsNaN(Gibbs.Diagnostics.GradCheck.NormRelError([double.NaN, 1.0], [1.0, 2.0])));
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => Cli.CliTestBase.Run(args);
}

// `gibbs selftest --device cuda` on ILGPU's CPU accelerator: every check, the RNG parity with the CPU included.
[Collection("serial")]
public class IlgpuSelfTestTests
{
    [Fact]
    public void SelfTestPassesOnTheCpuAcceleratorAndChecksRngParityWithTheCpu()
    {
        _ = IlgpuTestBackend.Backend; // registers cuda:9
        var report = Gibbs.Diagnostics.SelfTest.Run(IlgpuTestBackend.Device);
        Assert.True(report.Ok, string.Join("\n", report.Checks.Where(c => !c.Passed).Select(c => $"{c.Group}/{c.Name}: {c.Detail}")));
        var parity = report.Checks.Single(c => c.Name == "device_matches_cpu");
        Assert.Equal("6612 draws (uniform, normal, Laplace, Bernoulli) bit-identical to the cpu", parity.Detail);
    }
}
