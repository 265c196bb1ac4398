// `gibbs demo` (placeholder until data and pictures land).
using System.CommandLine;

namespace Gibbs.Cli.Commands;

public static class DemoCommand
{
    public static Command Build() => new("demo", "Train a small model on mnist10k; write pictures and metrics.");
}
