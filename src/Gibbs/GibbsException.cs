// Gibbs — the exception type every user-facing error uses. Its message is one line that says what
// is wrong and how to fix it; the CLI prints Message alone (no stack trace) and exits non-zero.
namespace Gibbs;

/// <summary>An error caused by input, configuration or environment, with a one-line, actionable message.</summary>
public class GibbsException : Exception
{
    public GibbsException(string message) : base(message) { }
    public GibbsException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A file is corrupt, truncated, or not in the expected format.</summary>
public sealed class GibbsFormatException : GibbsException
{
    public GibbsFormatException(string message) : base(message) { }
    public GibbsFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Tensor shapes do not agree for an operation.</summary>
public sealed class ShapeException : GibbsException
{
    public ShapeException(string message) : base(message) { }
}
