// Progress bars on stderr (stdout stays clean for --json). Falls back to nothing when stderr is not
// a terminal, so logs and CI output are not flooded.
using Spectre.Console;

namespace Gibbs.Cli;

internal static class Progress
{
    private static readonly IAnsiConsole Err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Runs <paramref name="work"/>, which reports (done, total) through the callback it is given.</summary>
    public static T Run<T>(string title, Func<Action<double, double, string?>, T> work)
    {
        if (Console.IsErrorRedirected) return work((_, _, _) => { });
        T result = default!;
        Err.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(p =>
            {
                var task = p.AddTask(title, maxValue: 1);
                result = work((done, total, label) =>
                {
                    task.MaxValue = Math.Max(total, 1e-9);
                    task.Value = done;
                    if (label is not null) task.Description = $"{title} {label}";
                });
                task.Value = task.MaxValue;
            });
        return result;
    }
}
