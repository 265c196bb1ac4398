// The backend registry: the CPU is always there; a device without a backend, or a provider that finds no
// device, is one line naming the device and the fix; providers and instances can be registered at run time.
using Gibbs.Backends;

namespace Gibbs.Tests.Contract;

[Collection("serial")]
public class BackendRegistryTests
{
    private sealed class NoDevices : IBackendProvider
    {
        public DeviceKind Kind => DeviceKind.Cuda;
        public string Name => "fake cuda";
        public int DeviceCount(out string? whyNot) { whyNot = "libcuda.so.1 not found (install the NVIDIA driver)"; return 0; }
        public IBackend Create(int index) => throw new InvalidOperationException("no devices");
    }

    [Fact]
    public void CpuIsAlwaysAvailableAndCudaSaysWhyNot()
    {
        Assert.Same(Gibbs.Backends.Cpu.CpuBackend.Instance, BackendRegistry.Get(Device.Cpu));
        var status = BackendRegistry.Describe();
        Assert.Contains(status, s => s.Kind == DeviceKind.Cpu && s.Devices == 1);
        if (BackendRegistry.IsAvailable(new Device(DeviceKind.Cuda), out var why)) return; // a machine with a GPU backend
        Assert.NotNull(why);
        Assert.Contains("cuda:0 is not available", why);
        Assert.Contains("--device cpu", why);
        Assert.DoesNotContain('\n', why);
    }

    [Fact]
    public void AProviderWithoutDevicesGivesItsReason()
    {
        var fake = new NoDevices();
        BackendRegistry.Register(fake);
        try
        {
            var e = Assert.Throws<GibbsException>(() => BackendRegistry.Get(new Device(DeviceKind.Cuda, 1)));
            Assert.Equal("device cuda:1 is not available: libcuda.so.1 not found (install the NVIDIA driver); use --device cpu.", e.Message);
            Assert.Contains(BackendRegistry.Describe(), s => s.Name == "fake cuda" && s.Devices == 0);
        }
        finally { BackendRegistry.Unregister(fake); }
    }

    [Fact]
    public void DeviceNamesParseOrSayWhatIsAccepted()
    {
        Assert.Equal(new Device(DeviceKind.Cuda, 2), Device.Parse("cuda:2"));
        Assert.Equal(Device.Cpu, Device.Parse(" CPU "));
        Assert.Contains("use 'cpu' or 'cuda[:N]'", Assert.Throws<GibbsException>(() => Device.Parse("tpu")).Message);
    }
}
