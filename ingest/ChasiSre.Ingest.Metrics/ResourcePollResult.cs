namespace ChasiSre.Ingest.Metrics;

/// <summary>What one metrics.k8s.io poll did.</summary>
/// <param name="Served">False when the cluster does not serve metrics.k8s.io (no metrics-server): not an error.</param>
/// <param name="Nodes">NodeMetrics items read.</param>
/// <param name="Pods">PodMetrics items read.</param>
/// <param name="Points">Points built.</param>
/// <param name="Published">Points the normalizer accepted and the sink took.</param>
/// <param name="Invalid">Items that could not be read (dead-lettered).</param>
public sealed record ResourcePollResult(bool Served, int Nodes, int Pods, int Points, int Published, int Invalid);
