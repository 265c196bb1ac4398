// Reductions and index primitives: the [outer, n, inner] kernels of ReduceKernels and IndexKernels. Long rows
// (inner = 1, n ≥ 32) take one group per row; everything else one thread per output. Sums with few outputs over a
// long axis go in two passes (fixed chunks into a double scratch buffer, then each output's chunks in order).
using Gibbs.Backends;
using ILGPU;
using ILGPU.Runtime;

namespace Gibbs.Cuda;

public sealed partial class IlgpuBackend
{
    private const int RowKernelMinimum = 32;

    /// <summary>Elements per partial sum of a long row (one group each): rows longer than this are split.</summary>
    internal const int RowChunk = 8192;

    /// <summary>Rows j per partial sum of a column reduction (one thread each).</summary>
    internal const int ColumnChunk = 32;

    /// <summary>Column sums are split only when there are fewer outputs than this (else the outputs fill the GPU).</summary>
    internal const int SplitColumnsBelow = 16384;

    private MemoryBuffer1D<double, Stride1D.Dense>? _scratch;

    // The partial-sum scratch, grown on demand. One stream orders every use, so consecutive reductions share it; an
    // outgrown buffer is freed only after the queued work that reads it has finished.
    private ArrayView<double> Scratch(long length)
    {
        if (_scratch is null || _scratch.Length < length)
        {
            if (_scratch is not null)
            {
                _stream.Synchronize();
                _scratch.Dispose();
            }
            _scratch = _acc.Allocate1D<double>(Math.Max(length, 4096));
        }
        return _scratch.View.SubView(0, length);
    }

    public void Reduce(ReduceOp op, Storage x, Storage y, int outer, int n, int inner)
    {
        int outputs = outer * inner;
        if (outputs == 0) return;
        if (n == 0)
        {
            Fill(y, 0, outputs, op switch { ReduceOp.Sum => 0f, ReduceOp.Max or ReduceOp.LogSumExp => float.NegativeInfinity, ReduceOp.Min => float.PositiveInfinity, _ => -1f });
            return;
        }
        lock (_gate)
        {
            Enter();
            if (op == ReduceOp.Sum && inner == 1 && n > RowChunk)
            {
                int parts = (n + RowChunk - 1) / RowChunk;
                var partial = Scratch((long)outer * parts);
                _k.RowPartials(_stream, new KernelConfig((int)Math.Min((long)outer * parts, _maxGroups * 4L), _groupSize), View(x), partial, outer, n, RowChunk, parts);
                _k.FinishSums(_stream, Config(outer), partial, View(y), outer, parts, 1);
            }
            else if (op == ReduceOp.Sum && outputs < SplitColumnsBelow && n > 2 * ColumnChunk && !(inner == 1 && n >= RowKernelMinimum))
            {
                int parts = (n + ColumnChunk - 1) / ColumnChunk;
                var partial = Scratch((long)outputs * parts);
                _k.ColumnPartials(_stream, Config((long)outputs * parts), View(x), partial, outer, n, inner, ColumnChunk, parts);
                _k.FinishSums(_stream, Config(outputs), partial, View(y), outputs, parts, inner);
            }
            else if (inner == 1 && n >= RowKernelMinimum)
                _k.ReduceRows(_stream, new KernelConfig(Math.Min(outer, _maxGroups * 4), _groupSize), View(x), View(y), outer, n, (int)op);
            else
                _k.ReduceColumns(_stream, Config(outputs), View(x), View(y), outer, n, inner, (int)op);
        }
    }

    public void IndexSelect(Storage x, int outer, int n, int inner, Storage idx, int k, Storage y)
    {
        long total = (long)outer * k * inner;
        if (total == 0) return;
        lock (_gate)
        {
            Enter();
            _k.IndexSelect(_stream, Config(total), View(x), outer, n, inner, View(idx), k, View(y));
        }
    }

    public void IndexAdd(Storage src, int outer, int k, int inner, Storage idx, Storage y, int n)
    {
        if ((long)outer * inner == 0 || k == 0) return;
        lock (_gate)
        {
            Enter();
            _k.IndexAdd(_stream, Config((long)outer * inner), View(src), outer, k, inner, View(idx), View(y), n);
        }
    }

    public void Gather(Storage x, int outer, int n, int inner, Storage idx, Storage y)
    {
        if ((long)outer * inner == 0) return;
        lock (_gate)
        {
            Enter();
            _k.Gather(_stream, Config((long)outer * inner), View(x), outer, n, inner, View(idx), View(y));
        }
    }

    public void ScatterAdd(Storage src, int outer, int n, int inner, Storage idx, Storage y)
    {
        if ((long)outer * inner == 0) return;
        lock (_gate)
        {
            Enter();
            _k.ScatterAdd(_stream, Config((long)outer * inner), View(src), outer, n, inner, View(idx), View(y));
        }
    }
}
