namespace ChasiSre.Ingest.Scenarios;

/// <summary>Delete an object from <see cref="ClusterOperation.Cluster"/>; <see cref="Namespace"/> is null for cluster-scoped kinds.</summary>
public sealed record DeleteObject(TimeSpan At, string Cluster, string ApiVersion, string Kind, string? Namespace, string Name, bool Generated = false)
    : ClusterOperation(At, Cluster);
