using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Sdk;

/// <summary>Push mode: where and how <see cref="BusinessPublisher"/> sends records.</summary>
public sealed class PublisherOptions
{
    public const string SectionName = "ChasiSre:Publisher";

    /// <summary>Kafka <c>bootstrap.servers</c>.</summary>
    [Required]
    public string BootstrapServers { get; set; } = "";

    /// <summary>Topic of status, events and logs.</summary>
    [Required]
    public string BusinessTopic { get; set; } = "chasi.business.v1";

    /// <summary>Topic of metric points.</summary>
    [Required]
    public string MetricsTopic { get; set; } = "chasi.metrics.v1";

    /// <summary>Records held in memory; when full, new records are dropped and counted.</summary>
    [Range(1, 10_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Most records sent in one batch.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How long the sender waits to fill a batch.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>First wait after a failed batch; doubles per attempt up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per batch before its records are dropped and reported to the failure listeners.</summary>
    [Range(1, 1000)]
    public int MaxBatchAttempts { get; set; } = 5;

    /// <summary>Kafka's delivery timeout for one record (<c>message.timeout.ms</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed on shutdown to send what is queued.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Records larger than this are dropped (and counted) instead of sent.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRecordBytes { get; set; } = 1024 * 1024;

    /// <summary>Extra librdkafka properties: the per-tenant credentials (<c>security.protocol</c>, <c>sasl.*</c>, <c>ssl.*</c>). Values are never logged.</summary>
    public Dictionary<string, string> Properties { get; init; } = new(StringComparer.Ordinal);
}
