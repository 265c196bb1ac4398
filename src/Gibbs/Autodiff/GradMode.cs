// Gradient recording switch: inside `using (Autograd.NoGrad())` ops record no tape; `Autograd.EnableGrad()`
// turns recording back on inside such a region. Per thread.
namespace Gibbs;

public static class GradMode
{
    [ThreadStatic] private static int _disabled;

    /// <summary>True when ops record their backward functions (the default).</summary>
    public static bool IsEnabled => _disabled == 0;

    internal static IDisposable Disable()
    {
        _disabled++;
        return new Restore();
    }

    /// <summary>Re-enables recording inside a NoGrad region until disposed (for code that needs a local gradient).</summary>
    internal static IDisposable Enable()
    {
        int saved = _disabled;
        _disabled = 0;
        return new Reset(saved);
    }

    private sealed class Reset(int saved) : IDisposable
    {
        public void Dispose() => _disabled = saved;
    }

    private sealed class Restore : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            _disabled--;
        }
    }
}
