using ChasiSre.Schemas;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.Kafka;

/// <summary>
/// Creates every Kafka client of ChasiSre with the same safe defaults: idempotent producers
/// (acks=all, compression, linger), consumers that store offsets only after their handler
/// succeeded, and librdkafka logs routed to <see cref="ILogger"/>.
/// </summary>
public sealed class KafkaClientFactory
{
    private const int MaxBatchBytes = 1_000_000;

    private readonly KafkaOptions options;
    private readonly ILoggerFactory loggerFactory;
    private readonly TimeProvider timeProvider;

    public KafkaClientFactory(IOptions<KafkaOptions> options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.loggerFactory = loggerFactory;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        LibrdkafkaLibrary.EnsureLoaded();
    }

    /// <summary>The options every client is built from.</summary>
    public KafkaOptions Options => options;

    /// <summary>Producer settings: idempotent, acks=all, compressed, lingering; delivery reports without headers and timestamp.</summary>
    public ProducerConfig ProducerConfig(string component)
    {
        var config = new ProducerConfig(Base(component))
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            MaxInFlight = 5,
            CompressionType = options.Compression,
            LingerMs = options.Linger.TotalMilliseconds,
            BatchSize = MaxBatchBytes,
            MessageMaxBytes = Math.Max(options.MaxRecordBytes, MaxBatchBytes) + 64 * 1024,
            MessageTimeoutMs = 300_000,
            EnableDeliveryReports = true,

            // No delivery handler here reads a report's headers or timestamp (they look at the status,
            // partition and offset, at most the key): copying them back out of librdkafka for every
            // record is work nobody uses.
            DeliveryReportFields = "key,value,status",
        };
        return config;
    }

    /// <summary>Consumer settings: offsets stored by the application after success, committed in the background.</summary>
    public ConsumerConfig ConsumerConfig(string component, string groupId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        var settings = Base(component);
        foreach (var (key, value) in options.ConsumerProperties)
        {
            settings[key] = value;
        }

        return new ConsumerConfig(settings)
        {
            GroupId = groupId,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,

            // Incremental rebalances: members keep their partitions while others join or leave.
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            EnablePartitionEof = false,
            FetchMaxBytes = Math.Max(options.MaxRecordBytes * 2, 50 * 1024 * 1024),

            // At least a producer batch (batch.size, 1 MB): brokers may hand out whole batches
            // only, and the embedded mock truncates a batch larger than this, which librdkafka
            // skips over: the records in it would never reach the handler.
            MaxPartitionFetchBytes = Math.Max(options.MaxRecordBytes * 2, MaxBatchBytes * 2),

            // librdkafka waits this long to fetch again once its local queue was full (default
            // 1 s): a handler slower than the fetcher then sat idle up to 0.9 s at a time.
            FetchQueueBackoffMs = 50,
        };
    }

    /// <summary>
    /// Topics every producer of this factory partitions by fleet (<see cref="RecordKeys.FleetPartition"/>): the objects,
    /// events and logs a host cluster and all its vClusters publish land on one partition of each, so the streams
    /// stage's detection topology reads whole fleets per task without a repartition hop. Keys stay object keys
    /// (compaction is per key).
    /// </summary>
    public static IReadOnlyList<string> FleetPartitionedTopics { get; } = [TopicCatalog.Objects.Name, TopicCatalog.Events.Name, TopicCatalog.Logs.Name];

    /// <summary>A producer of protobuf records with schema, source and trace headers.</summary>
    public RecordProducer<T> CreateProducer<T>(string component)
        where T : class, IMessage<T>, new()
    {
        var builder = new ProducerBuilder<string, T?>(ProducerConfig(component));
        foreach (var topic in FleetPartitionedTopics)
        {
            builder.SetPartitioner(topic, ByFleet);
        }

        var producer = builder
            .SetValueSerializer(new ProtobufSerde<T>())
            .SetErrorHandler(ErrorHandler<IProducer<string, T?>>(component))
            .SetLogHandler(LogHandler<IProducer<string, T?>>(component))
            .Build();
        return new RecordProducer<T>(producer, component, loggerFactory.CreateLogger<RecordProducer<T>>());
    }

    /// <summary>A producer of raw bytes (dead letters, replays, benchmarks' baseline); <paramref name="configure"/> may add
    /// to the builder (a partitioner).</summary>
    public IProducer<byte[]?, byte[]?> CreateRawProducer(string component, Action<ProducerBuilder<byte[]?, byte[]?>>? configure = null)
    {
        var builder = new ProducerBuilder<byte[]?, byte[]?>(ProducerConfig(component))
            .SetErrorHandler(ErrorHandler<IProducer<byte[]?, byte[]?>>(component))
            .SetLogHandler(LogHandler<IProducer<byte[]?, byte[]?>>(component));
        foreach (var topic in FleetPartitionedTopics)
        {
            builder.SetPartitioner(topic, ByFleet);
        }

        configure?.Invoke(builder);
        return builder.Build();
    }

    private static Partition ByFleet(string topic, int partitionCount, ReadOnlySpan<byte> keyData, bool keyIsNull) =>
        keyIsNull ? 0 : RecordKeys.FleetPartition(keyData, partitionCount);

    /// <summary>A consumer of raw bytes with the factory's consumer settings.</summary>
    public IConsumer<byte[]?, byte[]?> CreateRawConsumer(string component, string groupId, Action<ConsumerBuilder<byte[]?, byte[]?>>? configure = null)
    {
        var builder = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig(component, groupId))
            .SetErrorHandler(ErrorHandler<IConsumer<byte[]?, byte[]?>>(component))
            .SetLogHandler(LogHandler<IConsumer<byte[]?, byte[]?>>(component));
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>
    /// An at-least-once consumer of <typeparamref name="T"/> records: poison records go to
    /// <see cref="TopicCatalog.DeadLetters"/>, offsets are stored only after the handler succeeded.
    /// </summary>
    public AtLeastOnceConsumer<T> CreateConsumer<T>(string component, string groupId, IReadOnlyList<string> topics, RecordHandler<T> handler)
        where T : class, IMessage<T>, new() =>
        new(this, component, groupId, topics, handler, loggerFactory.CreateLogger<AtLeastOnceConsumer<T>>(), timeProvider);

    private Dictionary<string, string> Base(string component)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        var config = new Dictionary<string, string>(options.Properties, StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = options.BootstrapServers,
            ["client.id"] = $"{options.ClientId}-{component}",
        };
        return config;
    }

    private Action<TClient, Error> ErrorHandler<TClient>(string component)
    {
        var logger = loggerFactory.CreateLogger("ChasiSre.Platform.Kafka.Client");
        return (_, error) => logger.ClientError(component, error.Code.ToString(), error.Reason);
    }

    private Action<TClient, LogMessage> LogHandler<TClient>(string component)
    {
        var logger = loggerFactory.CreateLogger("ChasiSre.Platform.Kafka.Client");
        return (_, message) => logger.ClientLog(component, message.Facility, message.Message);
    }
}
