namespace ChasiSre.Ingest.Scenarios;

/// <summary>Set what the pod log endpoint serves for one container (<see cref="Previous"/>: the crashed instance's log).</summary>
public sealed record SetPodLogs(TimeSpan At, string Cluster, string Namespace, string Pod, string Container, bool Previous, IReadOnlyList<string> Lines)
    : ClusterOperation(At, Cluster);
