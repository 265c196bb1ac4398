// One tape entry: the inputs of an op and its vector-Jacobian product. Each op writes its rule beside its
// forward code (micrograd's shape). A rule receives the op's output and inputs as arguments, so hot ops use
// static lambdas — `Record(y, "exp", [x], static (g, y, _) => [g * y])` — and build nothing (no closure, no
// delegate, no input array) unless the op is recorded: `Taping(x) ? Record(…) : y`.
namespace Gibbs.Autodiff;

/// <summary>Given dL/dy (and the op's output y and inputs), returns dL/d(input) for each input (null where none is needed).</summary>
internal delegate Tensor?[] Vjp(Tensor gradOutput, Tensor output, Tensor[] inputs);

internal sealed class GradNode(string op, Tensor[] inputs, Vjp backward, Tensor output)
{
    // The output is held weakly in spirit: it is the tensor whose Node this is, so it lives as long as the node matters.
    private readonly Tensor _output = output;

    public string Op { get; } = op;
    public Tensor[] Inputs { get; } = inputs;

    public Tensor?[] Backward(Tensor g) => backward(g, _output, Inputs);
}
