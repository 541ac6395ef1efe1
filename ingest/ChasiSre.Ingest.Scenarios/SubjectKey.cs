namespace ChasiSre.Ingest.Scenarios;

/// <summary>An object key with its cluster: the subject of an expected or forbidden incident.
/// Business subjects are <c>{cluster: tenant, kind: BusinessAdapter, name: adapter}</c>.</summary>
public sealed record SubjectKey(string Cluster, string Kind, string? Namespace, string Name)
{
    public override string ToString() =>
        Namespace is null ? $"{Cluster}/{Kind}/{Name}" : $"{Cluster}/{Kind}/{Namespace}/{Name}";
}
