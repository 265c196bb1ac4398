// Global engine settings: thread count, default device, backend lookup (through BackendRegistry).
using Gibbs.Backends;

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

    /// <summary>The device new tensors go to when none is given (GIBBS_DEVICE, else cpu).</summary>
    public static Device DefaultDevice { get; set; } = BackendRegistry.DefaultFromEnvironment();

    /// <summary>The backend for a device (see <see cref="BackendRegistry"/>), or a one-line error when it is unavailable.</summary>
    public static IBackend Backend(Device device) => BackendRegistry.Get(device);

    private static int InitialThreads()
    {
        var env = Environment.GetEnvironmentVariable("GIBBS_THREADS");
        return int.TryParse(env, out var t) && t > 0 ? t : Environment.ProcessorCount;
    }
}
