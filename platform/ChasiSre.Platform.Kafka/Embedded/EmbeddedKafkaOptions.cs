using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Platform.Kafka.Embedded;

/// <summary>How the in-process Kafka cluster is started.</summary>
public sealed class EmbeddedKafkaOptions
{
    public const string SectionName = "Kafka:Embedded";

    /// <summary>Number of brokers (ids 1..N), all on 127.0.0.1 with random ports.</summary>
    [Range(1, 3)]
    public int Brokers { get; set; } = 1;

    /// <summary>
    /// Partitions per topic when not <see langword="null"/>; the catalog's counts are sized for a
    /// real cluster, an embedded install can use fewer.
    /// </summary>
    [Range(1, 64)]
    public int? PartitionsOverride { get; set; }

    /// <summary>Replication factor of created topics; capped at <see cref="Brokers"/>.</summary>
    [Range(1, 3)]
    public int ReplicationFactor { get; set; } = 3;

    /// <summary>Consumer group join delay (Kafka's <c>group.initial.rebalance.delay.ms</c>).</summary>
    public TimeSpan GroupInitialRebalanceDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Create every topic of the catalog and every declared internal topic at start.</summary>
    public bool CreateCatalogTopics { get; set; } = true;
}
