// How a backend outside the core plugs in (Math.NET's native providers, tinygrad's runtime/ops_<device>):
// its assembly names a provider with [assembly: BackendProvider(typeof(MyProvider))]; the registry finds
// the assembly at run time, so the core never names a GPU type.
using System.Diagnostics.CodeAnalysis;

namespace Gibbs.Backends;

/// <summary>Creates the backends of one device kind (e.g. every CUDA device).</summary>
public interface IBackendProvider
{
    /// <summary>The device kind this provider serves.</summary>
    DeviceKind Kind { get; }

    /// <summary>A short name, e.g. "cuda (ILGPU 1.5.3)".</summary>
    string Name { get; }

    /// <summary>How many devices of this kind exist here; 0 with <paramref name="whyNot"/> saying why (one line, with the fix).</summary>
    int DeviceCount(out string? whyNot);

    /// <summary>The backend of device <paramref name="index"/> (0 ≤ index &lt; DeviceCount), created once and cached by the registry.</summary>
    IBackend Create(int index);
}

/// <summary>Names the <see cref="IBackendProvider"/> type of a backend assembly.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class BackendProviderAttribute(
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type providerType) : Attribute
{
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type ProviderType { get; } = providerType;
}
