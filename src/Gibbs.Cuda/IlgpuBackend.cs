// The CUDA backend: every IBackend primitive as an ILGPU kernel, on any ILGPU accelerator — CUDA in production,
// the CPU accelerator in tests (the same kernels, run as .NET code). Work is queued on one stream and the host
// waits only where a value is read (CopyToHost, Synchronize). Memory comes from a caching allocator; GEMM goes to
// cuBLAS on a CUDA accelerator with libcublas, else to the ILGPU GEMM kernel. Calls are serialised by one lock
// (ILGPU streams are not thread-safe) and bind the accelerator to the calling thread.
using Gibbs.Backends;
using Gibbs.Cuda.Blas;
using Gibbs.Cuda.Kernels;
using Gibbs.Cuda.Memory;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Device = Gibbs.Backends.Device;

namespace Gibbs.Cuda;

public sealed partial class IlgpuBackend : IBackend, IDisposable
{
    private readonly object _gate = new();
    private readonly Context? _ownedContext;
    private readonly Accelerator _acc;
    private readonly AcceleratorStream _stream;
    private readonly KernelSet _k;
    private readonly int _groupSize, _maxGroups;
    private readonly CublasGemm? _cublas;
    private readonly string _gemmName;
    private bool _disposed;

    /// <summary>
    /// A backend serving <paramref name="device"/> on <paramref name="accelerator"/>. With <paramref name="ownedContext"/> the
    /// backend disposes the accelerator and its context with itself. <paramref name="memoryBudgetBytes"/> caps what the
    /// allocator holds (default: GIBBS_CUDA_MEMORY_LIMIT in bytes, else the device's memory).
    /// </summary>
    public IlgpuBackend(Accelerator accelerator, Device device, Context? ownedContext = null, long? memoryBudgetBytes = null)
    {
        _acc = accelerator;
        _ownedContext = ownedContext;
        Device = device;
        _acc.Bind();
        _stream = _acc.CreateStream();
        _k = new KernelSet(_acc);
        bool cuda = _acc.AcceleratorType == AcceleratorType.Cuda;
        _groupSize = cuda ? 256 : _acc.MaxNumThreadsPerGroup;
        if (_groupSize % _acc.WarpSize != 0 || _groupSize / _acc.WarpSize > _acc.WarpSize)
            CudaThrow.Argument($"group size {_groupSize} does not suit warp size {_acc.WarpSize} (reductions need whole warps, at most warp-size many)");
        _maxGroups = cuda ? _acc.NumMultiprocessors * Math.Max(1, _acc.MaxNumThreadsPerMultiprocessor / _groupSize) * 2 : _acc.NumMultiprocessors;
        long budget = memoryBudgetBytes ?? (long.TryParse(Environment.GetEnvironmentVariable("GIBBS_CUDA_MEMORY_LIMIT"), out var b) && b > 0 ? b : long.MaxValue);
        Allocator = new DeviceAllocator(_acc, device.ToString(), budget, cuda ? CudaMemoryInfo : null);
        Tf32 = Environment.GetEnvironmentVariable("GIBBS_TF32") == "1";
        if (_acc is CudaAccelerator ca)
        {
            _cublas = CublasGemm.TryCreate(ca, _stream, out var why);
            _gemmName = _cublas is not null ? "cuBLAS" : $"ILGPU GEMM kernel ({why})";
            if (_cublas is null) Console.Error.WriteLine($"gibbs: {device}: cuBLAS unavailable, GEMM runs on the slower ILGPU kernel: {why}");
        }
        else _gemmName = "ILGPU GEMM kernel";
    }

    /// <summary>The ILGPU backend on a fresh CPU accelerator (tests; GIBBS_CUDA_EMULATE): warp 2 × 2 warps, one multiprocessor.</summary>
    public static IlgpuBackend CreateOnCpuAccelerator(Device device, long? memoryBudgetBytes = null, int warpSize = 2, int warpsPerGroup = 2)
    {
        var ctx = Context.Create(b => b.CPU(new CPUDevice(warpSize, warpsPerGroup, 1)));
        var acc = ctx.CreateCPUAccelerator(0, CPUAcceleratorMode.Parallel);
        return new IlgpuBackend(acc, device, ctx, memoryBudgetBytes);
    }

    public Device Device { get; }

    public string Description => $"{Device} ({_acc.Name}, ILGPU {typeof(Context).Assembly.GetName().Version?.ToString(3)}, GEMM: {_gemmName}{(Tf32 && _cublas is not null ? ", TF32" : "")})";

    /// <summary>
    /// Lets cuBLAS use TF32 tensor cores for FP32 GEMM (about 10 mantissa bits per product; much faster on an H100).
    /// Off by default (full FP32); GIBBS_TF32=1 turns it on, as will the CLI's --tf32. No effect on the ILGPU kernel.
    /// </summary>
    public bool Tf32 { get; set; }

    /// <summary>11 while TF32 is on and cuBLAS computes GEMM, else 24 (the ILGPU GEMM kernel is always float32).</summary>
    public int GemmPrecisionBits => Tf32 && _cublas is not null ? 11 : 24;

    /// <summary>Sets <see cref="Tf32"/>; true: the setting exists here (it takes effect where cuBLAS computes GEMM).</summary>
    public bool TrySetTf32(bool enabled)
    {
        Tf32 = enabled;
        return true;
    }

    /// <summary>Kernel launches and cuBLAS calls queued so far (benchmarks count them per training step).</summary>
    public long Launches { get; private set; }

    /// <summary>The ILGPU accelerator this backend runs on.</summary>
    public Accelerator Accelerator => _acc;

    internal DeviceAllocator Allocator { get; }

    internal KernelSet Kernels => _k;

    public long LiveBuffers => IlgpuStorage.LiveCount;

    public Storage Allocate(int length)
    {
        if (length < 0) CudaThrow.Argument($"cannot allocate {length} elements");
        lock (_gate)
        {
            Enter();
            return new IlgpuStorage(this, Allocator.Rent(length), length);
        }
    }

    public void CopyFromHost(ReadOnlySpan<float> src, Storage dst, int dstOffset)
    {
        if (src.IsEmpty) return;
        lock (_gate)
        {
            Enter();
            View(dst).SubView(dstOffset, src.Length).CopyFromCPU(_stream, src);
        }
    }

    public void CopyToHost(Storage src, int srcOffset, Span<float> dst)
    {
        if (dst.IsEmpty) return;
        lock (_gate)
        {
            Enter();
            View(src).SubView(srcOffset, dst.Length).CopyToCPU(_stream, dst);
            _stream.Synchronize();
        }
    }

    public void Fill(Storage dst, int offset, int length, float value)
    {
        if (length <= 0) return;
        lock (_gate)
        {
            Enter();
            _k.Fill(_stream, Config(length), View(dst), offset, length, value);
        }
    }

    public void Synchronize()
    {
        lock (_gate)
        {
            Enter();
            _stream.Synchronize();
        }
    }

    /// <summary>Frees the cached device blocks (after queued work finishes); returns the bytes released.</summary>
    public long ReleaseCachedMemory()
    {
        lock (_gate)
        {
            Enter();
            return Allocator.ReleaseCache();
        }
    }

    // Binds the accelerator to this thread (a CUDA context is per thread) and rejects use after Dispose.
    private void Enter()
    {
        if (_disposed) CudaThrow.Disposed($"the {Device} backend");
        if (Accelerator.Current != _acc) _acc.Bind();
    }

    private ArrayView<float> View(Storage s)
    {
        if (s is not IlgpuStorage d || !ReferenceEquals(d.Owner, this)) CudaThrow.WrongBackend($"a {s.Backend.Device} tensor");
        return ((IlgpuStorage)s).View;
    }

    /// <summary>A grid for a grid-stride loop over <paramref name="work"/> items.</summary>
    private KernelConfig Config(long work)
    {
        Launches++;
        long groups = Math.Clamp((work + _groupSize - 1) / _groupSize, 1, _maxGroups);
        return new KernelConfig((int)groups, _groupSize);
    }

    private (long Free, long Total) CudaMemoryInfo()
    {
        CudaAPI.CurrentAPI.GetMemoryInfo(out long free, out long total);
        return (free, total);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            try { _stream.Synchronize(); } catch (Exception) { /* a failed stream is being torn down anyway */ }
            _cublas?.Dispose();
            _scratch?.Dispose();
            Allocator.Dispose();
            _stream.Dispose();
            if (_ownedContext is not null)
            {
                _acc.Dispose();
                _ownedContext.Dispose();
            }
        }
    }
}
