// Reductions and index primitives: the [outer, n, inner] kernels of ReduceKernels and IndexKernels. Long rows
// (inner = 1, n ≥ 32) take one group per row; everything else one thread per output.
using Gibbs.Backends;
using ILGPU;

namespace Gibbs.Cuda;

public sealed partial class IlgpuBackend
{
    private const int RowKernelMinimum = 32;

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
            if (inner == 1 && n >= RowKernelMinimum)
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
