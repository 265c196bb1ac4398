// The caching device allocator on ILGPU's CPU accelerator: freed blocks are reused by size class (no device
// allocation in a steady state), and running out of a budget is one line with the bytes asked and free.
using Gibbs.Backends;
using Gibbs.Cuda;
using Gibbs.Cuda.Memory;

namespace Gibbs.Tests.Cuda;

public class DeviceAllocatorTests
{
    [Theory]
    [InlineData(0, 256)]
    [InlineData(256, 256)]
    [InlineData(257, 320)]
    [InlineData(512, 512)]
    [InlineData(513, 640)]
    [InlineData(1_000_000, 1_048_576)]
    public void SizeClassesWasteAtMostAQuarter(long asked, long capacity) => Assert.Equal(capacity, SizeClass.Of(asked));

    [Fact]
    public void FreedStoragesAreReusedWithoutNewDeviceAllocations()
    {
        using var b = IlgpuBackend.CreateOnCpuAccelerator(new Device(DeviceKind.Cuda, 8));
        void Step()
        {
            using var scope = TensorScope.Begin();
            var x = Tensor.Zeros([64, 33], Register(b));
            _ = (x + 1f).Exp().Sum(1).ToArray();
        }
        Step();
        long allocations = b.Allocator.DeviceAllocations, live = b.Allocator.LiveBytes;
        for (int i = 0; i < 5; i++) Step();
        Assert.Equal(allocations, b.Allocator.DeviceAllocations);
        Assert.Equal(live, b.Allocator.LiveBytes);
        Assert.True(b.Allocator.CacheHits > 0);
        Assert.True(b.ReleaseCachedMemory() > 0);
        Assert.Equal(0, b.Allocator.CachedBytes);
        BackendRegistry.Unregister(b.Device);
    }

    [Fact]
    public void OutOfMemoryIsOneLineWithTheBytesAskedAndFree()
    {
        using var b = IlgpuBackend.CreateOnCpuAccelerator(new Device(DeviceKind.Cuda, 7), memoryBudgetBytes: 1 << 20);
        var kept = b.Allocate(100_000);           // class 114,688 floats = 448 KiB
        b.Allocate(1000).Release();                // a 4 KiB block, cached, released before giving up
        var e = Assert.Throws<GibbsException>(() => b.Allocate(200_000));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("cuda:7 is out of memory: asked for 896 KiB, 576 KiB free of 1 MiB", e.Message);
        Assert.Contains("after releasing 4 KiB of cached blocks", e.Message);
        Assert.Equal(0, b.Allocator.CachedBytes);
        kept.Release();
        b.Allocate(200_000).Release();             // fits once the first block is back
    }

    private static Device Register(IlgpuBackend b)
    {
        BackendRegistry.Register(b.Device, b);
        return b.Device;
    }
}
