// Gradient recording switch: inside `using (Tensor.NoGrad())` ops record no tape.
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
