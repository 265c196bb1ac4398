// The backend's kernels on one accelerator, loaded (compiled: PTX on CUDA, IL on the CPU accelerator) on first
// use. Every method marked [DeviceKernel] has one property here; LoadAll touches them all (tests check the count
// against the marks, so a new kernel cannot be left out of the PTX compile test or the backend).
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace Gibbs.Cuda.Kernels;

internal sealed class KernelSet(Accelerator acc)
{
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, float>? _fill;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int, float, float>? _unary;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>, int, int, int, StridedIndex>? _binary;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>? _where;
    private Action<AcceleratorStream, KernelConfig, float, ArrayView<float>, ArrayView<float>, int>? _axpy;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, ArrayView<float>, int, int, StridedIndex>? _stridedCopy;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int>? _oneHot;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, ulong, ulong, float, float>? _random;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, ulong, ulong>? _bernoulli;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int, int>? _reduceRows;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int, int, int>? _reduceColumns;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<double>, int, int, int, int>? _rowPartials;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<double>, int, int, int, int, int>? _columnPartials;
    private Action<AcceleratorStream, KernelConfig, ArrayView<double>, ArrayView<float>, int, int, int>? _finishSums;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, int, ArrayView<float>, int, ArrayView<float>>? _indexSelect;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, int, ArrayView<float>, ArrayView<float>, int>? _indexAdd;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, int, ArrayView<float>, ArrayView<float>>? _gather;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, int, ArrayView<float>, ArrayView<float>>? _scatterAdd;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, AdamArgs>? _adam;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, SgdArgs>? _sgd;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArgs>? _gemm;

    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, float> Fill =>
        _fill ??= acc.LoadKernel<ArrayView<float>, int, int, float>(ElementwiseKernels.Fill);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int, float, float> Unary =>
        _unary ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, int, int, float, float>(ElementwiseKernels.Unary);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>, int, int, int, StridedIndex> Binary =>
        _binary ??= acc.LoadKernel<ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>, int, int, int, StridedIndex>(ElementwiseKernels.Binary);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Where =>
        _where ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(ElementwiseKernels.Where);
    public Action<AcceleratorStream, KernelConfig, float, ArrayView<float>, ArrayView<float>, int> Axpy =>
        _axpy ??= acc.LoadKernel<float, ArrayView<float>, ArrayView<float>, int>(ElementwiseKernels.Axpy);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, ArrayView<float>, int, int, StridedIndex> StridedCopy =>
        _stridedCopy ??= acc.LoadKernel<ArrayView<float>, int, ArrayView<float>, int, int, StridedIndex>(ElementwiseKernels.StridedCopy);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int> OneHot =>
        _oneHot ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, int, int>(ElementwiseKernels.OneHot);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, ulong, ulong, float, float> Random =>
        _random ??= acc.LoadKernel<ArrayView<float>, int, int, ulong, ulong, float, float>(RandomKernels.Random);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, ulong, ulong> Bernoulli =>
        _bernoulli ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, int, ulong, ulong>(RandomKernels.Bernoulli);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int, int> ReduceRows =>
        _reduceRows ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, int, int, int>(ReduceKernels.Rows);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int, int, int> ReduceColumns =>
        _reduceColumns ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, int, int, int, int>(ReduceKernels.Columns);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<double>, int, int, int, int> RowPartials =>
        _rowPartials ??= acc.LoadKernel<ArrayView<float>, ArrayView<double>, int, int, int, int>(ReduceKernels.RowPartials);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<double>, int, int, int, int, int> ColumnPartials =>
        _columnPartials ??= acc.LoadKernel<ArrayView<float>, ArrayView<double>, int, int, int, int, int>(ReduceKernels.ColumnPartials);
    public Action<AcceleratorStream, KernelConfig, ArrayView<double>, ArrayView<float>, int, int, int> FinishSums =>
        _finishSums ??= acc.LoadKernel<ArrayView<double>, ArrayView<float>, int, int, int>(ReduceKernels.FinishSums);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, int, ArrayView<float>, int, ArrayView<float>> IndexSelect =>
        _indexSelect ??= acc.LoadKernel<ArrayView<float>, int, int, int, ArrayView<float>, int, ArrayView<float>>(IndexKernels.IndexSelect);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, int, ArrayView<float>, ArrayView<float>, int> IndexAdd =>
        _indexAdd ??= acc.LoadKernel<ArrayView<float>, int, int, int, ArrayView<float>, ArrayView<float>, int>(IndexKernels.IndexAdd);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, int, ArrayView<float>, ArrayView<float>> Gather =>
        _gather ??= acc.LoadKernel<ArrayView<float>, int, int, int, ArrayView<float>, ArrayView<float>>(IndexKernels.Gather);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, int, int, ArrayView<float>, ArrayView<float>> ScatterAdd =>
        _scatterAdd ??= acc.LoadKernel<ArrayView<float>, int, int, int, ArrayView<float>, ArrayView<float>>(IndexKernels.ScatterAdd);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, AdamArgs> Adam =>
        _adam ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, AdamArgs>(OptimKernels.Adam);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, SgdArgs> Sgd =>
        _sgd ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, SgdArgs>(OptimKernels.Sgd);
    public Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArgs> Gemm =>
        _gemm ??= acc.LoadKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArgs>(GemmKernels.Gemm);

    /// <summary>Every [DeviceKernel] method of this assembly, in a stable order.</summary>
    public static IReadOnlyList<MethodInfo> Marked { get; } = typeof(KernelSet).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
        .Where(m => m.GetCustomAttribute<DeviceKernelAttribute>() is not null)
        .OrderBy(m => m.DeclaringType!.Name, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>The fused kernels (IFusedKernels), loaded on first use.</summary>
    public FusedKernelSet Fused => _fused ??= new FusedKernelSet(acc);

    private FusedKernelSet? _fused;

    /// <summary>Loads every kernel property, fused ones included; returns how many kernels are loaded.</summary>
    public int LoadAll()
    {
        object[] all =
        [
            Fill, Unary, Binary, Where, Axpy, StridedCopy, OneHot, Random, Bernoulli, ReduceRows, ReduceColumns,
            RowPartials, ColumnPartials, FinishSums,
            IndexSelect, IndexAdd, Gather, ScatterAdd, Adam, Sgd, Gemm,
        ];
        return all.Length + Fused.LoadAll();
    }
}
