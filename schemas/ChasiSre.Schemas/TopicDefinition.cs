using Google.Protobuf.Reflection;

namespace ChasiSre.Schemas;

/// <summary>One topic of the catalog: everything needed to create it, render it and read it.</summary>
/// <param name="Name">Topic name.</param>
/// <param name="Key">What the record key is, in words (producers must follow it).</param>
/// <param name="Value">Protobuf descriptor of the value.</param>
/// <param name="Partitions">Partition count at scale.</param>
/// <param name="Retention">How long records are kept; <see langword="null"/> for compacted topics kept forever.</param>
/// <param name="Cleanup">Cleanup policy.</param>
/// <param name="Consumers">Components that consume it (documentation and deploy rendering).</param>
public sealed record TopicDefinition(
    string Name,
    string Key,
    MessageDescriptor Value,
    int Partitions,
    TimeSpan? Retention,
    CleanupPolicy Cleanup,
    IReadOnlyList<string> Consumers)
{
    /// <summary>Kafka topic configuration entries (<c>cleanup.policy</c>, <c>retention.ms</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> KafkaConfig()
    {
        var config = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["cleanup.policy"] = Cleanup == CleanupPolicy.Compact ? "compact" : "delete",
            ["retention.ms"] = Retention is { } r ? ((long)r.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : "-1",
            ["compression.type"] = "producer",
        };
        if (Cleanup == CleanupPolicy.Compact)
        {
            config["min.compaction.lag.ms"] = "60000";
        }

        return config;
    }
}
