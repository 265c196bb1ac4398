// The ILGPU backend on ILGPU's CPU accelerator, created once per test process and registered as a CUDA device
// (cuda:9, so it never hides whether a real cuda:0 exists). The registry is process-global and a provider
// registration drops instances of its kind, so every user re-registers it before use.
using Gibbs.Backends;
using Gibbs.Cuda;

namespace Gibbs.Tests.Cuda;

internal static class IlgpuTestBackend
{
    public static readonly Device Device = new(DeviceKind.Cuda, 9);

    private static readonly Lazy<IlgpuBackend> Instance = new(() => IlgpuBackend.CreateOnCpuAccelerator(Device));

    /// <summary>The shared backend, (re-)registered for <see cref="Device"/>.</summary>
    public static IlgpuBackend Backend
    {
        get
        {
            var b = Instance.Value;
            BackendRegistry.Register(Device, b);
            return b;
        }
    }
}
