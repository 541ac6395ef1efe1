namespace ChasiSre.Ingest.Scenarios;

/// <summary>Publish a business adapter's report; <see cref="ClusterOperation.Cluster"/> is the tenant.
/// Event and log times are absolute.</summary>
public sealed record PublishBusiness(
    TimeSpan At,
    string Cluster,
    string Adapter,
    BusinessStatus? Status,
    IReadOnlyList<TimedBusinessEvent> Events,
    IReadOnlyList<TimedBusinessLog> Logs) : ClusterOperation(At, Cluster);
