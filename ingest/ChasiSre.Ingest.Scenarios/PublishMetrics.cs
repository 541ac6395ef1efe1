namespace ChasiSre.Ingest.Scenarios;

/// <summary>Publish one metric series of <see cref="ClusterOperation.Cluster"/> with absolute sample timestamps.</summary>
public sealed record PublishMetrics(
    TimeSpan At,
    string Cluster,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<MetricPoint> Samples) : ClusterOperation(At, Cluster);
