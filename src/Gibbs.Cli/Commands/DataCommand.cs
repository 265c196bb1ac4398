// `gibbs data list|info` (placeholder until the data module lands).
using System.CommandLine;

namespace Gibbs.Cli.Commands;

public static class DataCommand
{
    public static Command Build() => new("data", "List and inspect datasets.");
}
