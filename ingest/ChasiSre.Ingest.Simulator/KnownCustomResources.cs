namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// Custom resources of operators ChasiSre works with, ready for <see cref="ResourceCatalog.RegisterCustomResource(ResourceType)"/>
/// when a test needs the kind without applying the operator's CRD (the chart's Strimzi topics, for example).
/// </summary>
public static class KnownCustomResources
{
    /// <summary>Strimzi's <c>kafka.strimzi.io/v1beta2</c> <c>KafkaTopic</c> (short name <c>kt</c>, category <c>strimzi</c>, status subresource).</summary>
    public static ResourceType StrimziKafkaTopic { get; } = new("kafka.strimzi.io", "v1beta2", "KafkaTopic", "kafkatopics", true)
    {
        ShortNames = ["kt"],
        Categories = ["strimzi"],
        Subresources = ["status"],
    };
}
