// The backends this process can use, found at run time: the CPU backend is always there; others come from
// their own assemblies (Gibbs.Cuda, or any listed in GIBBS_BACKEND_ASSEMBLIES), discovered on first use
// through [assembly: BackendProvider]. Tests and plug-ins can register a provider or a ready instance (the
// ILGPU backend on its CPU accelerator, say). GIBBS_DEVICE sets the default device (Engine.DefaultDevice).
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Gibbs.Backends.Cpu;

namespace Gibbs.Backends;

/// <summary>What `gibbs info` shows about one kind of device.</summary>
public sealed record BackendStatus(DeviceKind Kind, string Name, int Devices, string? WhyNot);

public static class BackendRegistry
{
    /// <summary>Assemblies probed for providers besides those listed in GIBBS_BACKEND_ASSEMBLIES (names or paths, ':'-separated).</summary>
    public static readonly IReadOnlyList<string> KnownAssemblies = ["Gibbs.Cuda"];

    private static readonly object Gate = new();
    private static readonly Dictionary<DeviceKind, IBackendProvider> Providers = new();
    private static readonly Dictionary<DeviceKind, IBackendProvider> Discovered = new();
    private static readonly Dictionary<Device, IBackend> Instances = new() { [Device.Cpu] = CpuBackend.Instance };
    private static readonly List<string> LoadErrors = new();
    private static bool _discovered;

    /// <summary>The backend for <paramref name="device"/>, or a one-line GibbsException saying why it is unavailable and what to do.</summary>
    public static IBackend Get(Device device)
    {
        if (device.Kind == DeviceKind.Cpu && device.Index == 0) return CpuBackend.Instance;
        lock (Gate)
        {
            if (Instances.TryGetValue(device, out var b)) return b;
            Discover();
            if (!Providers.TryGetValue(device.Kind, out var p))
                throw new GibbsException($"device {device} is not available: no {device.Kind.ToString().ToLowerInvariant()} backend is installed with this build of Gibbs{LoadHint()}; use --device cpu.");
            int count = p.DeviceCount(out var whyNot);
            if (count == 0) throw new GibbsException($"device {device} is not available: {whyNot ?? "no device found"}; use --device cpu.");
            if (device.Index >= count) throw new GibbsException($"device {device} does not exist: {p.Name} sees {count} device(s) (cuda:0 … cuda:{count - 1}).");
            return Instances[device] = p.Create(device.Index);
        }
    }

    /// <summary>True when <paramref name="device"/> can be used; otherwise <paramref name="whyNot"/> says why.</summary>
    public static bool IsAvailable(Device device, out string? whyNot)
    {
        try { Get(device); whyNot = null; return true; }
        catch (GibbsException e) { whyNot = e.Message; return false; }
    }

    /// <summary>Registers a provider for its device kind (replacing a discovered one).</summary>
    public static void Register(IBackendProvider provider)
    {
        lock (Gate)
        {
            Providers[provider.Kind] = provider;
            foreach (var d in Instances.Keys.Where(d => d.Kind == provider.Kind).ToList()) Instances.Remove(d);
        }
    }

    /// <summary>Removes <paramref name="provider"/> if it is the one registered for its kind (and the backends it created); the provider discovered at start-up, if any, takes over again.</summary>
    public static void Unregister(IBackendProvider provider)
    {
        lock (Gate)
        {
            if (!Providers.TryGetValue(provider.Kind, out var p) || !ReferenceEquals(p, provider)) return;
            // The provider found at start-up (if any) serves the kind again.
            if (Discovered.TryGetValue(provider.Kind, out var found)) Providers[provider.Kind] = found;
            else Providers.Remove(provider.Kind);
            foreach (var d in Instances.Keys.Where(d => d.Kind == provider.Kind).ToList()) Instances.Remove(d);
        }
    }

    /// <summary>Registers a ready backend for one device (tests: a GPU backend running on a CPU accelerator).</summary>
    public static void Register(Device device, IBackend backend)
    {
        if (device == Device.Cpu) throw new GibbsException("the CPU backend cannot be replaced");
        lock (Gate) Instances[device] = backend;
    }

    /// <summary>Removes a registered instance (tests).</summary>
    public static void Unregister(Device device)
    {
        lock (Gate) Instances.Remove(device);
    }

    /// <summary>Every kind of backend this build knows, with its device count or why it has none.</summary>
    public static IReadOnlyList<BackendStatus> Describe()
    {
        lock (Gate)
        {
            Discover();
            var list = new List<BackendStatus> { new(DeviceKind.Cpu, CpuBackend.Instance.Description, 1, null) };
            foreach (var p in Providers.Values)
            {
                int n;
                string? why;
                try { n = p.DeviceCount(out why); }
                catch (Exception e) { (n, why) = (0, e.Message); }
                list.Add(new(p.Kind, p.Name, n, why));
            }
            if (!Providers.ContainsKey(DeviceKind.Cuda))
                list.Add(new(DeviceKind.Cuda, "cuda", 0, $"no CUDA backend in this build{LoadHint()}"));
            return list;
        }
    }

    /// <summary>The default device from GIBBS_DEVICE (cpu when unset).</summary>
    public static Device DefaultFromEnvironment()
    {
        var s = Environment.GetEnvironmentVariable("GIBBS_DEVICE");
        return string.IsNullOrWhiteSpace(s) ? Device.Cpu : Device.Parse(s);
    }

    private static string LoadHint() => LoadErrors.Count == 0 ? "" : $" ({string.Join("; ", LoadErrors)})";

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Backend assemblies are plug-ins: a trimmed app that wants one references it (the CLI references Gibbs.Cuda), so its types are kept; paths in GIBBS_BACKEND_ASSEMBLIES are for untrimmed builds.")]
    private static void Discover()
    {
        if (_discovered) return;
        _discovered = true;
        var names = KnownAssemblies.Concat((Environment.GetEnvironmentVariable("GIBBS_BACKEND_ASSEMBLIES") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var name in names)
        {
            Assembly asm;
            try
            {
                asm = name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? Assembly.LoadFrom(name) : Assembly.Load(new AssemblyName(name));
            }
            catch (FileNotFoundException) { continue; } // not part of this build
            catch (Exception e) when (e is BadImageFormatException or FileLoadException)
            {
                LoadErrors.Add($"{name} could not be loaded: {e.Message}");
                continue;
            }
            foreach (var attr in asm.GetCustomAttributes<BackendProviderAttribute>())
            {
                try
                {
                    if (Activator.CreateInstance(attr.ProviderType) is IBackendProvider p && Discovered.TryAdd(p.Kind, p)) Providers.TryAdd(p.Kind, p);
                }
                catch (Exception e) { LoadErrors.Add($"{attr.ProviderType.Name} failed to start: {e.InnerException?.Message ?? e.Message}"); }
            }
        }
    }
}
