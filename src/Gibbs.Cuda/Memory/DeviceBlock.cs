// One device allocation owned by the caching allocator: a dense float buffer of a size-class capacity.
using ILGPU;
using ILGPU.Runtime;

namespace Gibbs.Cuda.Memory;

internal sealed class DeviceBlock(MemoryBuffer1D<float, Stride1D.Dense> buffer, long capacity)
{
    public MemoryBuffer1D<float, Stride1D.Dense> Buffer { get; } = buffer;

    /// <summary>Capacity in floats (the size class).</summary>
    public long Capacity { get; } = capacity;

    public long Bytes => Capacity * sizeof(float);

    /// <summary>The whole block as a kernel argument.</summary>
    public ArrayView<float> View => Buffer.View;
}
