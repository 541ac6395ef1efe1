using ChasiSre.Schemas;

namespace ChasiSre.Streams.Pipeline;

/// <summary>The topics the detection topology reads and writes; <see cref="Catalog"/> in production.</summary>
/// <param name="Objects">Object snapshots and tombstones.</param>
/// <param name="Events">Kubernetes events.</param>
/// <param name="Logs">Log lines.</param>
/// <param name="Signals">Detector findings out.</param>
/// <param name="Incidents">Incidents out.</param>
/// <param name="DeadLetters">Rejected records out.</param>
public sealed record DetectionTopics(string Objects, string Events, string Logs, string Signals, string Incidents, string DeadLetters)
{
    /// <summary>The catalog's topics.</summary>
    public static DetectionTopics Catalog { get; } = new(
        TopicCatalog.Objects.Name,
        TopicCatalog.Events.Name,
        TopicCatalog.Logs.Name,
        TopicCatalog.Signals.Name,
        TopicCatalog.Incidents.Name,
        TopicCatalog.DeadLetters.Name);

    /// <summary>The topics read.</summary>
    public IReadOnlyList<string> Inputs => [Objects, Events, Logs];
}
