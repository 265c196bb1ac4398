// `gibbs repro`: the list shows every seed figure and claim with its status; a planned entry says so in one line.
// (The entries themselves run for minutes; `gibbs repro 003-rbm-solvers --quick` is exercised outside CI.)
namespace Gibbs.Tests.Cli;

[Collection("serial")]
public class ReproTests : CliTestBase
{
    [Fact]
    public void ListShowsEveryEntryWithItsStatus()
    {
        var (code, stdout, _) = Run("repro", "list", "--json");
        Assert.Equal(0, code);
        var entries = LastJson(stdout).GetProperty("entries").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("id").GetString() == "003-rbm-solvers" && e.GetProperty("status").GetString() == "runnable");
        Assert.Contains(entries, e => e.GetProperty("id").GetString() == "003-rbm-samples" && e.GetProperty("status").GetString() == "runnable");
        Assert.Contains(entries, e => e.GetProperty("id").GetString() == "000-fig9-right" && e.GetProperty("status").GetString()!.StartsWith("planned (issue 10)"));
        Assert.All(entries, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("claim").GetString())));
    }

    [Fact]
    public void APlannedEntryIsOneLine()
    {
        var (code, _, err) = Run("repro", "000-fig4", "--out", P("x"));
        AssertOneLineError(code, err, "not runnable yet");
    }
}
