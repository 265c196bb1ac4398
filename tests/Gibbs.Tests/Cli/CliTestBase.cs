// Running the CLI in-process for tests: exit code, stdout and stderr captured; helpers for the last-line
// JSON result and for the one-line error policy.
using System.Text.Json;

namespace Gibbs.Tests.Cli;

public abstract class CliTestBase : TempDirTest
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (o, e) = (Console.Out, Console.Error);
        var so = new StringWriter();
        var se = new StringWriter();
        Console.SetOut(so);
        Console.SetError(se);
        try { return (Gibbs.Cli.Cli.Run(args), so.ToString(), se.ToString()); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }

    protected static JsonElement LastJson(string stdout) =>
        JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    protected static void AssertOneLineError(int code, string err, string expect)
    {
        Assert.NotEqual(0, code);
        var lines = err.TrimEnd().Split('\n');
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{err}");
        Assert.StartsWith("gibbs: error: ", lines[0]);
        Assert.Contains(expect, lines[0]);
        Assert.DoesNotContain("   at ", err);
    }
}
