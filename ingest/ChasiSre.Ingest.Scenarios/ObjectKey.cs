namespace ChasiSre.Ingest.Scenarios;

/// <summary>Identifies a Kubernetes object inside one cluster. <see cref="Namespace"/> is null for cluster-scoped objects;
/// <see cref="ApiVersion"/> is null where the scenario does not need it (noTwin lists, expectations).</summary>
public sealed record ObjectKey(string? ApiVersion, string Kind, string? Namespace, string Name)
{
    public override string ToString() =>
        Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
