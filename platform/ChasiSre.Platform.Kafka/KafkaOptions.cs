using System.ComponentModel.DataAnnotations;
using Confluent.Kafka;

namespace ChasiSre.Platform.Kafka;

/// <summary>Connection and client settings shared by every producer and consumer.</summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary><c>bootstrap.servers</c>; set by the embedded cluster when it is used.</summary>
    [Required]
    public string BootstrapServers { get; set; } = "";

    /// <summary>Prefix of <c>client.id</c>; the component name is appended.</summary>
    [Required]
    public string ClientId { get; set; } = "chasi";

    public CompressionType Compression { get; set; } = CompressionType.Lz4;

    /// <summary>How long a producer waits to fill a batch.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Records larger than this are rejected: producers refuse them, consumers dead-letter them.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRecordBytes { get; set; } = 1024 * 1024;

    /// <summary>Handler attempts before a record is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxHandlerAttempts { get; set; } = 3;

    /// <summary>First retry delay of a failing handler; doubles each attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan HandlerRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Records a consumer may hold in memory ahead of its handler.</summary>
    [Range(1, 100_000)]
    public int ConsumerPrefetch { get; set; } = 1000;

    /// <summary>
    /// Extra librdkafka properties for every client (security.protocol, sasl.*, ssl.*).
    /// Values are never logged.
    /// </summary>
    public Dictionary<string, string> Properties { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Extra librdkafka properties for consumers only (session.timeout.ms, ...).</summary>
    public Dictionary<string, string> ConsumerProperties { get; init; } = new(StringComparer.Ordinal);
}
