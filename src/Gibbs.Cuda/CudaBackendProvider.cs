// How BackendRegistry finds CUDA devices: the NVIDIA driver (libcuda) is probed first, so a machine without one
// says so in one line without starting ILGPU; otherwise ILGPU enumerates the devices and cuda:N gets an
// IlgpuBackend on a CUDA accelerator. GIBBS_CUDA_EMULATE=1 serves cuda:0 from ILGPU's CPU accelerator instead
// (the same kernels, slowly): the whole CLI path of --device cuda, tested on a machine without a GPU.
using System.Runtime.InteropServices;
using Gibbs.Backends;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace Gibbs.Cuda;

public sealed class CudaBackendProvider : IBackendProvider
{
    private readonly object _gate = new();
    private Context? _context;
    private int _count = -1;
    private string? _whyNot;

    public DeviceKind Kind => DeviceKind.Cuda;

    public string Name => Emulated ? "cuda (ILGPU CPU-accelerator emulation, GIBBS_CUDA_EMULATE=1)" : $"cuda (ILGPU {typeof(Context).Assembly.GetName().Version?.ToString(3)})";

    /// <summary>GIBBS_CUDA_EMULATE=1: cuda:0 is the ILGPU backend on the CPU accelerator.</summary>
    public static bool Emulated => Environment.GetEnvironmentVariable("GIBBS_CUDA_EMULATE") == "1";

    /// <summary>The driver library the probe loads.</summary>
    public static string DriverLibrary => OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";

    public int DeviceCount(out string? whyNot)
    {
        lock (_gate)
        {
            if (_count < 0) (_count, _whyNot) = Emulated ? (1, null) : Probe();
            whyNot = _whyNot;
            return _count;
        }
    }

    public IBackend Create(int index)
    {
        var device = new Device(DeviceKind.Cuda, index);
        if (Emulated) return IlgpuBackend.CreateOnCpuAccelerator(device, warpSize: 4, warpsPerGroup: 4);
        lock (_gate)
        {
            if (DeviceCount(out var why) <= index) throw new GibbsException($"device {device} is not available: {why ?? "no such device"}; use --device cpu.");
            var ctx = _context ?? throw new GibbsException($"device {device} is not available: ILGPU has no CUDA context; use --device cpu.");
            var accelerator = ctx.GetCudaDevice(index).CreateCudaAccelerator(ctx);
            return new IlgpuBackend(accelerator, device);
        }
    }

    private (int, string?) Probe()
    {
        if (!NativeLibrary.TryLoad(DriverLibrary, out var driver))
            return (0, $"no CUDA device: {DriverLibrary} not found (NVIDIA driver not installed)");
        NativeLibrary.Free(driver);
        try
        {
            _context = Context.Create(b => b.Cuda());
            int n = _context.GetCudaDevices().Count;
            return n > 0 ? (n, null) : (0, "no CUDA device: the NVIDIA driver is installed but sees no GPU (check nvidia-smi and CUDA_VISIBLE_DEVICES)");
        }
        catch (Exception e)
        {
            return (0, $"no CUDA device: ILGPU could not start CUDA ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})");
        }
    }
}
