using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Streams.Pipeline;

/// <summary>Settings of the streams stage's detection topology (section <c>Streams</c>).</summary>
public sealed class StreamsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Streams";

    /// <summary>Streamiz <c>application.id</c>: the consumer group, and the prefix of the internal topics.</summary>
    [Required]
    [RegularExpression("^[a-zA-Z0-9._-]+$")]
    public string ApplicationId { get; set; } = "chasi-streams";

    /// <summary>Stream threads of this instance (each runs some of the partitions' tasks).</summary>
    [Range(1, 64)]
    public int Threads { get; set; } = 1;

    /// <summary>How often marked objects are judged and incident lifecycles advance: the bound on detection latency
    /// added by batching.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often every object is judged again, so that detectors that judge by elapsed time fire without a new record.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a fleet's metric and business monitor state (series windows, learnt bands, adapter health) is written to
    /// the changelogged store when it changed. A restart loses at most this much of it; the monitors re-learn the rest.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TelemetrySnapshotInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Newest log lines kept per container instance for the log detectors.</summary>
    [Range(1, 10_000)]
    public int MaxLogLinesPerContainer { get; set; } = 200;

    /// <summary>Partitions of the internal topics (the detection repartition topic and the state changelog); the
    /// stage's parallelism, since one fleet (a host cluster and its vClusters) is one key. With
    /// <see cref="InputsPartitionedByFleet"/> the tasks are the input topics' partitions, so this must equal their
    /// partition count (the changelog has one partition per task).</summary>
    [Range(1, 1000)]
    public int Partitions { get; set; } = 3;

    /// <summary>
    /// Longest a fetch waits on a partition without new data (librdkafka <c>fetch.wait.max.ms</c>, default 500 ms). A
    /// record crosses two fetches (input, then the repartition topic), so this bounds the latency a quiet partition
    /// adds; lower costs more fetch requests.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan FetchWait { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// True (the default) when every producer of the input topics partitions them by fleet
    /// (<c>RecordKeys.FleetPartition</c>: the key's host-cluster segment decides the partition), as ingest's producers
    /// do (<c>KafkaClientFactory.FleetPartitionedTopics</c>): partition p of the objects, events and logs topics then
    /// holds whole fleets and the topology needs no repartition hop. Set false when other producers write those
    /// topics: the topology then re-keys and repartitions, which is correct whatever the producers do.
    /// </summary>
    public bool InputsPartitionedByFleet { get; set; } = true;

    /// <summary>How often Streamiz commits offsets (and flushes the state changelog).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);
}
