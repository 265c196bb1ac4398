// Base for tests that write files: a fresh temporary directory per test, deleted afterwards.
namespace Gibbs.Tests;

public abstract class TempDirTest : IDisposable
{
    protected string Dir { get; } = Directory.CreateTempSubdirectory("gibbs-test-").FullName;

    /// <summary>A path inside the test's directory.</summary>
    protected string P(string name) => Path.Combine(Dir, name);

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
