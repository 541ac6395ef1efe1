using ChasiSre.Schemas;

namespace ChasiSre.Streams.Pipeline;

/// <summary>The topics the detection topology reads and writes; <see cref="Catalog"/> in production.</summary>
/// <param name="Objects">Object snapshots and tombstones.</param>
/// <param name="Events">Kubernetes events.</param>
/// <param name="Logs">Log lines.</param>
/// <param name="Signals">Detector findings out.</param>
/// <param name="Incidents">Incidents out.</param>
/// <param name="DeadLetters">Rejected records out.</param>
/// <param name="Metrics">Metric samples, or null to read none.</param>
/// <param name="Business">Business adapter records, or null to read none.</param>
/// <param name="Alerts">Signals from outside the topology, correlated with its own findings; or null to read none.</param>
public sealed record DetectionTopics(string Objects, string Events, string Logs, string Signals, string Incidents, string DeadLetters, string? Metrics = null, string? Business = null, string? Alerts = null)
{
    /// <summary>The catalog's topics.</summary>
    public static DetectionTopics Catalog { get; } = new(
        TopicCatalog.Objects.Name,
        TopicCatalog.Events.Name,
        TopicCatalog.Logs.Name,
        TopicCatalog.Signals.Name,
        TopicCatalog.Incidents.Name,
        TopicCatalog.DeadLetters.Name,
        TopicCatalog.Metrics.Name,
        TopicCatalog.Business.Name,
        TopicCatalog.Alerts.Name);

    /// <summary>The topics read.</summary>
    public IReadOnlyList<string> Inputs => [Objects, Events, Logs, .. Telemetry];

    /// <summary>The metric, business and alert topics read (not partitioned by fleet: the topology repartitions them).</summary>
    public IReadOnlyList<string> Telemetry => [.. new[] { Metrics, Business, Alerts }.OfType<string>()];
}
