// Every kernel of the CUDA backend compiled to PTX the way ILGPU's CUDA accelerator compiles it for an H100
// (sm_90 capabilities, PTX ISA 8.0), on a machine without a GPU. Fails on anything the PTX backend rejects, on
// calls ILGPU could not resolve (left as `.extern .func`, which only fails when the driver loads the module), and
// when the Philox kernels lose the explicitly rounded operations their bit parity depends on.
using ILGPU.Runtime.CPU;
using Gibbs.Cuda.Kernels;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;

namespace Gibbs.Tests.Cuda;

public class PtxCompileTests
{
    private static readonly Lazy<Dictionary<string, string>> Ptx = new(CompileAll);

    private static Dictionary<string, string> CompileAll()
    {
        using var context = Context.Create(b => b.CPU());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
        var result = new Dictionary<string, string>();
        foreach (var m in KernelSet.Marked)
        {
            var kernel = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(m), default);
            result[$"{m.DeclaringType!.Name}.{m.Name}"] = kernel.PTXAssembly;
        }
        return result;
    }

    [Fact]
    public void EveryKernelCompilesToPtxForSm90WithoutUnresolvedCalls()
    {
        Assert.Equal(KernelSet.Marked.Count, Ptx.Value.Count);
        Assert.True(Ptx.Value.Count >= 18, $"only {Ptx.Value.Count} kernels are marked [DeviceKernel]");
        var problems = new List<string>();
        foreach (var (name, ptx) in Ptx.Value)
        {
            if (!ptx.Contains(".entry", StringComparison.Ordinal)) problems.Add($"{name}: no entry point");
            foreach (var line in ptx.Split('\n').Where(l => l.StartsWith(".extern", StringComparison.Ordinal)))
                problems.Add($"{name}: unresolved {line.Trim()}");
            // No approximate division, sqrt, exp, log, sin or cos anywhere.
            if (ptx.Contains(".approx", StringComparison.Ordinal)) problems.Add($"{name}: approximate instruction");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void PhiloxKernelsUseExplicitlyRoundedOperations()
    {
        var random = Ptx.Value["RandomKernels.Random"];
        Assert.Contains("fma.rn.f32", random);   // PhiloxMath's FMAs
        Assert.Contains("mul.rn.f32", random);   // (b − a)·u, never contracted into an FMA
        Assert.Contains("sqrt.rn.f32", random);  // Box–Muller radius
    }

    [Fact]
    public void TheBackendLoadsExactlyTheMarkedKernels()
    {
        var b = IlgpuTestBackend.Backend;
        Assert.Equal(KernelSet.Marked.Count, b.Kernels.LoadAll());
        Assert.All(KernelSet.Marked, m => Assert.True(m.IsStatic && m.ReturnType == typeof(void), m.Name));
    }
}
