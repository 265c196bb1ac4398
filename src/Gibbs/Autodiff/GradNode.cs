// One tape entry: the inputs of an op and its vector-Jacobian product. Each op writes its rule
// beside its forward code (micrograd's shape): Record(y, "exp", [x], g => [g * y]).
namespace Gibbs.Autodiff;

/// <summary>Given dL/dy, returns dL/d(input) for each input (null where an input needs none).</summary>
internal delegate Tensor?[] Vjp(Tensor gradOutput);

internal sealed class GradNode(string op, Tensor[] inputs, Vjp backward)
{
    public string Op { get; } = op;
    public Tensor[] Inputs { get; } = inputs;
    public Vjp Backward { get; } = backward;
}
