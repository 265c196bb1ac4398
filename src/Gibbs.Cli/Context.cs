// What every command gets from the global options: seed, device, JSON mode, and output helpers.
// Human-readable text goes to stdout; progress bars to stderr; with --json the last stdout line is
// one JSON object.
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gibbs.Backends;

namespace Gibbs.Cli;

public sealed class Context
{
    private Context(ulong seed, Device device, bool json)
    {
        Seed = seed;
        Device = device;
        Json = json;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public ulong Seed { get; }
    public Device Device { get; }
    public bool Json { get; }

    public static Context From(ParseResult parse)
    {
        int threads = parse.GetValue(Cli.Threads);
        if (threads < 0) throw new GibbsException($"--threads must be positive, got {threads}");
        if (threads > 0) Engine.Threads = threads;
        var device = Backends.Device.Parse(parse.GetValue(Cli.Device) ?? "cpu");
        var backend = Engine.Backend(device); // fails early, with the reason, when the device is unavailable
        if (parse.GetValue(Cli.Tf32) && !backend.TrySetTf32(true))
            throw new GibbsException($"--tf32 needs a CUDA device (TF32 tensor cores); {device} computes GEMM in float32: drop --tf32, or add --device cuda");
        Engine.DefaultDevice = device;
        return new Context(parse.GetValue(Cli.Seed), device, parse.GetValue(Cli.Json));
    }

    /// <summary>A line of human-readable output (suppressed in --json mode to keep stdout parseable).</summary>
    public void Say(string line)
    {
        if (Json) Console.Error.WriteLine(line);
        else Console.Out.WriteLine(line);
    }

    /// <summary>Writes the result object as the last stdout line in --json mode.</summary>
    public void Result(JsonObject result)
    {
        if (Json) Console.Out.WriteLine(result.ToJsonString(JsonOptions));
    }
}
