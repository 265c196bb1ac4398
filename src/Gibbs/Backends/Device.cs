// Device identity: which backend a tensor lives on. Models never branch on it; they pass it along.
namespace Gibbs.Backends;

public enum DeviceKind { Cpu, Cuda }

/// <summary>A compute device: <c>cpu</c> or <c>cuda:N</c>.</summary>
public readonly record struct Device(DeviceKind Kind, int Index = 0)
{
    public static Device Cpu => new(DeviceKind.Cpu);

    public override string ToString() => Kind == DeviceKind.Cpu ? "cpu" : $"cuda:{Index}";

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public static Device Parse(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s == "cpu") return Cpu;
        if (s == "cuda" || s == "gpu") return new(DeviceKind.Cuda, 0);
        if (s.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(s.AsSpan(5), out var i) && i >= 0)
            return new(DeviceKind.Cuda, i);
        throw new GibbsException($"unknown device '{text}': use 'cpu' or 'cuda[:N]'.");
    }
}
