// `gibbs info`: version, runtime, CPU GEMM backend and threads, devices and why one is unavailable.
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text.Json.Nodes;
using Gibbs.Backends.Cpu.Gemm;

namespace Gibbs.Cli.Commands;

public static class InfoCommand
{
    public static Command Build()
    {
        var cmd = new Command("info", "Show version, the GEMM backend in use, threads and devices.");
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var version = typeof(Engine).Assembly.GetName().Version?.ToString(3) ?? "?";
            string gemm = GemmProvider.Describe();
            string simd = (Avx512F.IsSupported ? "AVX-512F, " : "") + (Fma.IsSupported && Avx2.IsSupported ? "AVX2+FMA" : Avx2.IsSupported ? "AVX2" : "SSE/scalar");
            string cuda = CudaStatus();
            ctx.Say($"gibbs {version}  ({RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription.Trim()})");
            ctx.Say($"cpu:     {Environment.ProcessorCount} cores, {simd}; {Engine.Threads} worker threads");
            ctx.Say($"gemm:    {gemm}");
            ctx.Say($"devices: cpu; cuda: {cuda}");
            ctx.Result(new JsonObject
            {
                ["command"] = "info",
                ["version"] = version,
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["cores"] = Environment.ProcessorCount,
                ["threads"] = Engine.Threads,
                ["simd"] = simd,
                ["gemm"] = gemm,
                ["devices"] = new JsonArray("cpu"),
                ["cuda"] = cuda,
            });
            return 0;
        });
        return cmd;
    }

    private static string CudaStatus()
    {
        try
        {
            Engine.Backend(new Backends.Device(Backends.DeviceKind.Cuda));
            return "available";
        }
        catch (GibbsException e) { return "unavailable (" + e.Message + ")"; }
    }
}
