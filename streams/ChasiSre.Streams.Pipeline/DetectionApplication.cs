using System.Globalization;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas.Streamiz;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;

namespace ChasiSre.Streams.Pipeline;

/// <summary>
/// A running detection topology: a Streamiz <see cref="KafkaStream"/> over <see cref="DetectionTopology"/> with the
/// stage's settings (at-least-once, earliest offsets for a new application, unreadable records to the dead-letter
/// topic). Disposing closes the stream (offsets committed, the group left).
/// </summary>
public sealed class DetectionApplication : IAsyncDisposable
{
    private readonly KafkaStream stream;
    private readonly DetectionDeadLetters deadLetters;
    private readonly ILogger logger;
    private int disposed;
    private bool running;

    private DetectionApplication(KafkaStream stream, Topology topology, DetectionRuntime runtime, DetectionDeadLetters deadLetters, ILogger logger)
    {
        this.stream = stream;
        Topology = topology;
        Runtime = runtime;
        this.deadLetters = deadLetters;
        this.logger = logger;
    }

    /// <summary>The topology this stream runs.</summary>
    public Topology Topology { get; }

    /// <summary>The shared runtime (its <see cref="DetectionRuntime.Progress"/> counts what was done).</summary>
    public DetectionRuntime Runtime { get; }

    /// <summary>True while the stream is running (or rebalancing).</summary>
    public bool IsRunning => Volatile.Read(ref disposed) == 0 && Volatile.Read(ref running);

    private void OnStateChanged(KafkaStream.State from, KafkaStream.State to)
    {
        Volatile.Write(ref running, to.IsRunning());
        Log.StateChanged(logger, Runtime.Options.ApplicationId, from, to);
    }

    /// <summary>
    /// The topology's internal topics (repartition and changelog) for <paramref name="options"/>; a Kafka without
    /// topic auto-creation (the embedded cluster) needs them created before the stream starts.
    /// </summary>
    public static IReadOnlyList<Schemas.InternalTopic> InternalTopics(StreamsOptions options, DetectionTopics? topics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TopologyInternalTopics.Of(options.ApplicationId, DetectionTopology.Build(DetectionRuntime.Default(options), topics ?? DetectionTopics.Catalog), options.Partitions);
    }

    /// <summary>Builds and starts the stream; returns once Streamiz has started its threads (processing begins after
    /// the group has assigned partitions and the state stores are restored).</summary>
    public static async Task<DetectionApplication> StartAsync(
        KafkaClientFactory kafka,
        DetectionRuntime runtime,
        DetectionTopics? topics = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(runtime);
        topics ??= DetectionTopics.Catalog;
        var options = runtime.Options;
        var deadLetters = new DetectionDeadLetters(
            kafka.CreateRawProducer("streams"),
            topics.DeadLetters,
            options.ApplicationId,
            kafka.Options.MaxRecordBytes,
            runtime.Time,
            runtime.LoggerFactory.CreateLogger<DetectionDeadLetters>());
        runtime = runtime with { DeadLetters = deadLetters };
        var logger = runtime.LoggerFactory.CreateLogger<DetectionApplication>();
        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = options.ApplicationId,
            ClientId = $"{kafka.Options.ClientId}-streams",
            BootstrapServers = kafka.Options.BootstrapServers,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            CommitIntervalMs = (long)options.CommitInterval.TotalMilliseconds,
            FetchWaitMaxMs = (int)options.FetchWait.TotalMilliseconds,
            NumStreamThreads = options.Threads,
            Guarantee = ProcessingGuarantee.AT_LEAST_ONCE,
            CompressionType = kafka.Options.Compression,
            LingerMs = kafka.Options.Linger.TotalMilliseconds,
            DeserializationExceptionHandler = deadLetters.OnDeserializationError,
            Logger = runtime.LoggerFactory,
        };

        foreach (var (key, value) in kafka.Options.Properties.Concat(kafka.Options.ConsumerProperties))
        {
            switch (key)
            {
                case "session.timeout.ms":
                    config.SessionTimeoutMs = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "heartbeat.interval.ms":
                    config.HeartbeatIntervalMs = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    config.AddConfig(key, value);
                    break;
            }
        }

        var topology = DetectionTopology.Build(runtime, topics);
        var stream = new KafkaStream(topology, config);
        var application = new DetectionApplication(stream, topology, runtime, deadLetters, logger);
        stream.StateChanged += application.OnStateChanged;
        try
        {
            await stream.StartAsync(cancellationToken);
        }
        catch
        {
            stream.StateChanged -= application.OnStateChanged;
            stream.Dispose();
            deadLetters.Dispose();
            throw;
        }

        return application;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            stream.Dispose();
            deadLetters.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
