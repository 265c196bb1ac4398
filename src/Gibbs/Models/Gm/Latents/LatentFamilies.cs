// The registry of latent families: each family's file declares [assembly: LatentFamily(typeof(…))] beside its class,
// so adding a family is adding one file (trim-safe: no assembly scan). Also the mixture bound of App. B.
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Gibbs.Models.Gm;

/// <summary>Registers an <see cref="ILatentFamily"/> (a public class with a parameterless constructor) with <see cref="LatentFamilies"/>.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class LatentFamilyAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type family) : Attribute
{
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type Family { get; } = family;
}

public static class LatentFamilies
{
    private static readonly Lazy<IReadOnlyDictionary<string, ILatentFamily>> All = new(() =>
        typeof(ILatentFamily).Assembly.GetCustomAttributes<LatentFamilyAttribute>()
            .Select(a => Activator.CreateInstance(a.Family) as ILatentFamily
                         ?? throw new InvalidOperationException($"{a.Family} is registered as a latent family but does not implement ILatentFamily"))
            .ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase));

    /// <summary>The registered names, sorted.</summary>
    public static IReadOnlyList<string> Names => All.Value.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The family called <paramref name="name"/> (case-insensitive); one-line error listing the names otherwise.</summary>
    public static ILatentFamily Get(string name) =>
        All.Value.TryGetValue(name, out var f) ? f
            : throw new GibbsException($"unknown latent family '{name}': use one of {string.Join(", ", Names)}");

    /// <summary>
    /// App. B's upper bound on the generative error of a mixture: with posterior Σₛ αₛ pₛ(z|x) and prior Σₛ αₛ pₛ(z)
    /// sharing the weights, D ≤ Σₛ αₛ D(pₛ(z|x) ‖ pₛ(z)) (the log-sum inequality). weights, perComponent: [N×S] → [N].
    /// </summary>
    public static Tensor MixtureGenerativeErrorBound(Tensor weights, Tensor perComponent)
    {
        if (weights.Rank != 2 || !weights.Shape.SequenceEqual(perComponent.Shape))
            throw new ShapeException($"mixture bound needs weights and per-component errors of the same [N×S] shape, got {Tensor.Format(weights.Shape)} and {Tensor.Format(perComponent.Shape)}");
        return (weights * perComponent).Sum(1);
    }
}
