namespace ChasiSre.Ingest.Scenarios;

/// <summary>One thing to do to a named cluster at <see cref="At"/> after the scenario start.
/// Subtypes: <see cref="ApplyObject"/>, <see cref="DeleteObject"/>, <see cref="SetPodLogs"/>,
/// <see cref="PublishMetrics"/>, <see cref="PublishBusiness"/>.</summary>
public abstract record ClusterOperation(TimeSpan At, string Cluster);
