// Command tree and error policy. Exit codes: 0 ok, 1 a failed check or bad input (GibbsException),
// 2 usage error, 3 internal error (stack trace only with GIBBS_DEBUG=1).
using System.CommandLine;
using Gibbs.Cli.Commands;

namespace Gibbs.Cli;

public static class Cli
{
    public static readonly Option<ulong> Seed = new("--seed") { Description = "Random seed, a whole number ≥ 0 (runs with the same seed are bit-identical on CPU)", DefaultValueFactory = _ => 42, Recursive = true, CustomParser = CliOptions.ParseSeed };
    public static readonly Option<string> Device = new("--device") { Description = "cpu or cuda[:N]", DefaultValueFactory = _ => "cpu", Recursive = true };
    public static readonly Option<bool> Tf32 = new("--tf32") { Description = "GEMM on TF32 tensor cores (CUDA; about 8x the FP32 rate on an H100, ~1e-3 relative error)", Recursive = true };
    public static readonly Option<int> Threads = new("--threads") { Description = "CPU worker threads (default: all cores; results do not depend on it)", Recursive = true };
    public static readonly Option<bool> Json = new("--json") { Description = "Print the command's results as one JSON object on the last stdout line", Recursive = true };

    /// <summary>The command tree. The root is a plain "gibbs" command (RootCommand would name itself after the assembly, Gibbs.Cli).</summary>
    public static Command Build()
    {
        var root = new Command("gibbs", "Gibbs: statistical-mechanics machine learning (energy-based and Gibbs-family models).")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Add(Seed);
        root.Add(Device);
        root.Add(Threads);
        root.Add(Tf32);
        root.Add(Json);
        root.Add(InfoCommand.Build());
        root.Add(DataCommand.Build());
        root.Add(SelfTestCommand.Build());
        root.Add(RbmCommand.Build());
        root.Add(GmCommand.Build());
        root.Add(AceCommand.BuildClassify());
        root.Add(AceCommand.BuildAce());
        root.Add(EntropyCommand.Build());
        root.Add(ThermlCommand.Build());
        root.Add(DemCommand.Build());
        root.Add(RidgeCommand.Build());
        root.Add(HopfieldCommand.Build());
        root.Add(DemoCommand.Build());
        root.Add(ReproCommand.Build());
        return root;
    }

    public static int Run(string[] args)
    {
        try
        {
            var parse = Build().Parse(args.Length == 0 ? ["--help"] : args);
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors) Console.Error.WriteLine($"gibbs: {e.Message}");
                Console.Error.WriteLine("Run 'gibbs --help' for usage.");
                return 2;
            }
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) { return Fail(e); }
    }

    /// <summary>One line on stderr, never a stack trace unless GIBBS_DEBUG=1.</summary>
    public static int Fail(Exception e)
    {
        var inner = e is AggregateException { InnerExceptions.Count: 1 } ae ? ae.InnerExceptions[0] : e;
        bool debug = Environment.GetEnvironmentVariable("GIBBS_DEBUG") == "1";
        switch (inner)
        {
            case GibbsException g:
                Console.Error.WriteLine($"gibbs: error: {g.Message}");
                if (debug) Console.Error.WriteLine(g);
                return 1;
            case OperationCanceledException:
                Console.Error.WriteLine("gibbs: cancelled.");
                return 130;
            case IOException or UnauthorizedAccessException:
                Console.Error.WriteLine($"gibbs: error: {inner.Message}");
                if (debug) Console.Error.WriteLine(inner);
                return 1;
            default:
                Console.Error.WriteLine($"gibbs: internal error: {inner.GetType().Name}: {inner.Message} (please report it; GIBBS_DEBUG=1 shows the stack trace)");
                if (debug) Console.Error.WriteLine(inner);
                return 3;
        }
    }
}
