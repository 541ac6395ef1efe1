using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>
/// Which proposed actions a rule or freeze window applies to. Every dimension must match; an empty list
/// matches anything. Clusters, tenants and namespaces are globs (<c>*</c> any run of characters, <c>?</c> one
/// character); actions are catalog names or globs; <see cref="MaxRisk"/> is the highest risk matched.
/// </summary>
/// <remarks>
/// A host-layer action matches only when <see cref="Layers"/> names <see cref="Layer.Host"/> explicitly, so a
/// broad rule never lets host actions through by accident.
/// </remarks>
public sealed record PolicyMatch
{
    public static PolicyMatch Any { get; } = new();

    public IReadOnlyList<string> Clusters { get; init; } = [];

    public IReadOnlyList<string> Tenants { get; init; } = [];

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public IReadOnlyList<Layer> Layers { get; init; } = [];

    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>The highest (effective) risk this matches; null for any.</summary>
    public Risk? MaxRisk { get; init; }

    /// <summary>True when every dimension matches <paramref name="request"/> at <paramref name="effectiveRisk"/> (host actions only when <see cref="Layers"/> names the host).</summary>
    public bool Matches(ActionRequest request, Risk effectiveRisk) => Matches(request, effectiveRisk, hostMustBeNamed: true);

    /// <summary>Rules allow, so host actions must be named; freeze windows restrict, so an empty layer list covers the host too.</summary>
    internal bool Matches(ActionRequest request, Risk effectiveRisk, bool hostMustBeNamed)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = request.Target;
        var layerMatches = target.Layer == Layer.Host && hostMustBeNamed
            ? Layers.Contains(Layer.Host)
            : Layers.Count == 0 || Layers.Contains(target.Layer);
        return layerMatches
            && Glob.MatchesAny(Clusters, target.Cluster)
            && Glob.MatchesAny(Tenants, target.Tenant)
            && Glob.MatchesAny(Namespaces, target.Namespace)
            && Glob.MatchesAny(Actions, request.Action)
            && (MaxRisk is not { } max || effectiveRisk <= max);
    }
}
