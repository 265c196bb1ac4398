// Throw helpers kept out of hot paths (Sep's SepThrow pattern): [DoesNotReturn] + [StackTraceHidden].
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Gibbs.Internals;

internal static class Throw
{
    [DoesNotReturn, StackTraceHidden]
    public static void Shape(string message) => throw new ShapeException(message);

    [DoesNotReturn, StackTraceHidden]
    public static void Argument(string message, string? paramName = null) => throw new ArgumentException(message, paramName);

    [DoesNotReturn, StackTraceHidden]
    public static void Gibbs(string message) => throw new GibbsException(message);

    [DoesNotReturn, StackTraceHidden]
    public static void Format(string message) => throw new GibbsFormatException(message);

    [DoesNotReturn, StackTraceHidden]
    public static void Disposed(string what) => throw new ObjectDisposedException(what, $"{what} was used after it was disposed (a TensorScope ended, or Dispose was called).");

    [DoesNotReturn, StackTraceHidden]
    public static void Device(string message) => throw new GibbsException(message);
}
