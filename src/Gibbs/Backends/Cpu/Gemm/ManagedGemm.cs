// The managed SGEMM (GotoBLAS/BLIS structure: Goto & van de Geijn, "Anatomy of high-performance
// matrix multiplication", TOMS 2008). K is cut into equal slices of at most KC; every slice of A and
// B is packed up front into MR-row and NR-column panels (a reused, pinned, 64-byte-aligned per-thread
// buffer) in one parallel pass, then the grid of C tiles (MC rows × NChunk columns, fixed by the shape
// alone) is shared among threads in a second pass, each tile computed by exactly one thread, slice by
// slice in order. Two parallel regions per call, whatever K.
//
// The micro-kernel is chosen by ISA: AVX-512 (14×32 tile) where the CPU has it, AVX2/FMA (6×16),
// else scalar (6×16). Every kernel computes each C element as the same chain of FMAs over the slice
// in k order, then one FMA with α, so results are bit-identical for any Engine.Threads *and* any
// ISA. Not a general BLAS: float32 only.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Gibbs.Internals;

namespace Gibbs.Backends.Cpu.Gemm;

/// <summary>Micro-kernel families of <see cref="ManagedGemm"/>.</summary>
public enum GemmIsa
{
    /// <summary>Portable scalar kernel (MathF.FusedMultiplyAdd), 6×16 tile.</summary>
    Scalar,
    /// <summary>AVX2 + FMA, 6×16 tile in 12 ymm accumulators.</summary>
    Avx2,
    /// <summary>AVX-512F, 14×32 tile in 28 zmm accumulators.</summary>
    Avx512,
}

/// <summary>Pure C# SGEMM over packed panels with an ISA-dispatched micro-kernel (AVX-512, AVX2/FMA or scalar).</summary>
public sealed unsafe partial class ManagedGemm : IGemm
{
    /// <summary>Depth of a K slice: a 32-column B micro-panel is 32 KiB (L1), a 14-row A panel 14 KiB.</summary>
    internal const int KC = 256;

    private readonly int _mr, _nr, _mc, _nChunk;
    private readonly delegate*<int, float*, float*, float*, long, float, void> _kernel;

    /// <summary>The best micro-kernel this CPU runs: AVX-512 when AVX512F is supported, else AVX2+FMA, else scalar.</summary>
    public static GemmIsa BestIsa =>
        Avx512F.IsSupported ? GemmIsa.Avx512 : Fma.IsSupported && Avx2.IsSupported ? GemmIsa.Avx2 : GemmIsa.Scalar;

    /// <summary>True when this CPU can run <paramref name="isa"/>'s kernel.</summary>
    public static bool Supports(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => Avx512F.IsSupported,
        GemmIsa.Avx2 => Fma.IsSupported && Avx2.IsSupported,
        _ => true,
    };

    /// <summary>The best kernel for this CPU.</summary>
    public ManagedGemm() : this(BestIsa) { }

    /// <param name="isa">The micro-kernel; a GibbsException when this CPU cannot run it.</param>
    public ManagedGemm(GemmIsa isa)
    {
        if (!Supports(isa)) throw new GibbsException($"this CPU cannot run the {isa} GEMM kernel; use GIBBS_GEMM=managed (best available) or scalar");
        Isa = isa;
        switch (isa)
        {
            case GemmIsa.Avx512: _mr = 14; _nr = 32; _kernel = &Kernel512; break;
            case GemmIsa.Avx2: _mr = 6; _nr = 16; _kernel = &KernelAvx; break;
            default: _mr = 6; _nr = 16; _kernel = &KernelScalar; break;
        }
        _mc = _mr * (isa == GemmIsa.Avx512 ? 8 : 16);   // A block ≈ 112 or 96 rows × KC: in L2
        _nChunk = (isa == GemmIsa.Avx512 ? 2 : 4) * _nr;   // ≈ 64 columns: enough tiles to balance two threads at batch 100
    }

    /// <summary>The micro-kernel in use.</summary>
    public GemmIsa Isa { get; }

    /// <summary>True unless the scalar kernel runs.</summary>
    public bool Vectorized => Isa != GemmIsa.Scalar;

    /// <summary>Register tile rows × columns of the kernel.</summary>
    public (int Rows, int Columns) TileShape => (_mr, _nr);

    public string Name => Isa switch { GemmIsa.Avx512 => "managed (AVX-512)", GemmIsa.Avx2 => "managed (AVX2+FMA)", _ => "managed (scalar)" };

    /// <summary>C[m×n] = α·op(A)·op(B) + β·C (row-major; see <see cref="IGemm"/>). β = 0 overwrites C, NaN included.</summary>
    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
                      float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= 0 || n <= 0) return;
        ScaleC(m, n, beta, c, ldc);
        if (k <= 0 || alpha == 0f) return;

        int mr = _mr, nr = _nr;
        int mPanels = (m + mr - 1) / mr, nPanels = (n + nr - 1) / nr;
        int slices = (k + KC - 1) / KC, kcMax = (k + slices - 1) / slices;   // equal slices: no thin last one
        // Slice s (columns [p0, p0+kc) of op(A)) of A's panels starts at pa + mPanels·mr·p0, likewise for B.
        long aLen = (long)mPanels * mr * k, bLen = (long)nPanels * nr * k;
        float* pa = PackBuffer(aLen + bLen + 16), pb = pa + ((aLen + 15) & ~15L);
        var job = new Job(this, transA, transB, m, n, k, kcMax, slices, alpha, a, lda, b, ldb, c, ldc, pa, pb, mPanels, nPanels);

        // Pass 1: pack every slice of A and B. Pass 2: C tiles.
        if (Par.IsSmall((long)m * n * k)) { job.Pack(0, job.PackCount); job.Tiles(0, job.TileCount); return; }
        Par.For(job.PackCount, Math.Max(1, job.PackCount / (4 * Engine.Threads)), job.Pack);
        Par.For(job.TileCount, 1, job.Tiles);
    }

    // One call's state, so the two passes are method groups over plain fields (no captured locals).
    private sealed class Job(ManagedGemm g, bool transA, bool transB, int m, int n, int k, int kcMax, int slices, float alpha,
                             float* a, int lda, float* b, int ldb, float* c, int ldc, float* pa, float* pb, int mPanels, int nPanels)
    {
        private readonly int _nChunks = (n + g._nChunk - 1) / g._nChunk;
        // Pack jobs: one per (slice, A panel), then one per (slice, group of 8 B panels).
        private readonly int _aJobs = slices * mPanels, _bGroups = (nPanels + 7) / 8;
        public int PackCount => _aJobs + slices * _bGroups;
        public int TileCount => (m + g._mc - 1) / g._mc * _nChunks;

        public void Pack(int start, int end)
        {
            int aJobs = _aJobs, bGroups = _bGroups;
            for (int t = start; t < end; t++)
            {
                if (t < aJobs)
                {
                    int s = t / mPanels, i = t % mPanels, p0 = s * kcMax, kc = Math.Min(kcMax, k - p0);
                    g.PackA(transA, a, lda, m, p0, kc, i, pa + (long)mPanels * g._mr * p0 + (long)i * g._mr * kc);
                }
                else
                {
                    int u = t - aJobs, s = u / bGroups, grp = u % bGroups, p0 = s * kcMax, kc = Math.Min(kcMax, k - p0);
                    g.PackB(transB, b, ldb, n, p0, kc, grp * 8, Math.Min(nPanels, grp * 8 + 8), pb + (long)nPanels * g._nr * p0);
                }
            }
        }

        public void Tiles(int start, int end)
        {
            for (int t = start; t < end; t++)
                for (int p0 = 0; p0 < k; p0 += kcMax)
                    g.Tile(t / _nChunks, t % _nChunks, m, n, Math.Min(kcMax, k - p0), alpha,
                           pa + (long)mPanels * g._mr * p0, pb + (long)nPanels * g._nr * p0, c, ldc);
        }
    }

    // Per calling thread, reused across calls (workers write only inside Sgemm): pinned, 64-byte aligned.
    [ThreadStatic] private static float[]? _pack;

    private static float* PackBuffer(long floats)
    {
        if (_pack is null || _pack.Length < floats + 16)
            _pack = GC.AllocateUninitializedArray<float>(checked((int)Math.Max(floats + 16, (_pack?.Length ?? 0) * 5L / 4)), pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_pack));
        return (float*)((p + 63) & ~(nint)63);
    }

    // C ← β·C; β = 0 writes zeros (BLAS semantics: NaN/Inf in C do not survive).
    private static void ScaleC(int m, int n, float beta, float* c, int ldc)
    {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear();
            else TensorPrimitives.Multiply(row, beta, row);
        }
    }

    // One C tile: rows [mBlock·MC, +MC) × columns [nChunk·NChunk, +NChunk), C += α·Ã·B̃ over one K slice.
    private void Tile(int mBlock, int nChunk, int m, int n, int kc, float alpha, float* pa, float* pb, float* c, int ldc)
    {
        int mr = _mr, nr = _nr;
        int iEnd = Math.Min(m, (mBlock + 1) * _mc), jEnd = Math.Min(n, (nChunk + 1) * _nChunk);
        float* tmp = stackalloc float[14 * 32];
        for (int j0 = nChunk * _nChunk; j0 < jEnd; j0 += nr)
        {
            float* bPanel = pb + (long)(j0 / nr) * nr * kc;
            int cols = Math.Min(nr, n - j0);
            for (int i0 = mBlock * _mc; i0 < iEnd; i0 += mr)
            {
                float* aPanel = pa + (long)(i0 / mr) * mr * kc;
                int rows = Math.Min(mr, m - i0);
                float* cTile = c + (long)i0 * ldc + j0;
                if (rows == mr && cols == nr)
                {
                    _kernel(kc, aPanel, bPanel, cTile, ldc, alpha);
                    continue;
                }
                // Edge tile: full tile product into tmp, then only the valid part into C.
                new Span<float>(tmp, mr * nr).Clear();
                _kernel(kc, aPanel, bPanel, tmp, nr, 1f);
                for (int r = 0; r < rows; r++)
                {
                    float* crow = cTile + (long)r * ldc, trow = tmp + r * nr;
                    for (int q = 0; q < cols; q++) crow[q] = MathF.FusedMultiplyAdd(alpha, trow[q], crow[q]);
                }
            }
        }
    }
}
