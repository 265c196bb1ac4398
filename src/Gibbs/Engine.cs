// Global engine settings: thread count, default device, backend lookup.
using Gibbs.Backends;
using Gibbs.Backends.Cpu;

namespace Gibbs;

public static class Engine
{
    private static int _threads = InitialThreads();

    /// <summary>Worker threads for CPU work (default: GIBBS_THREADS, else the processor count). Results do not depend on it.</summary>
    public static int Threads
    {
        get => _threads;
        set
        {
            if (value < 1) throw new GibbsException($"threads must be at least 1 (got {value}).");
            _threads = value;
            Backends.Cpu.Gemm.GemmProvider.SetThreads(value);
        }
    }

    /// <summary>The device new tensors go to when none is given.</summary>
    public static Device DefaultDevice { get; set; } = Device.Cpu;

    /// <summary>The backend for a device, or a clear error when it is unavailable.</summary>
    public static IBackend Backend(Device device) => device.Kind switch
    {
        DeviceKind.Cpu => CpuBackend.Instance,
        _ => throw new GibbsException($"device {device} is not available: this build has no CUDA backend yet; use --device cpu."),
    };

    private static int InitialThreads()
    {
        var env = Environment.GetEnvironmentVariable("GIBBS_THREADS");
        return int.TryParse(env, out var t) && t > 0 ? t : Environment.ProcessorCount;
    }
}
