using System.Diagnostics;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Streams.Pipeline;

/// <summary>
/// Replays timed batches of records (a scenario, a recorded incident) through the real detection topology on Kafka,
/// deterministically: the topology runs on a replay clock that only this driver moves, and flushes only when asked.
/// Each batch is produced the way ingest produces it (keys from <see cref="RecordKeys"/>, a tombstone followed by the
/// null that lets compaction drop the key), then the driver waits until the topology has applied every record, asks
/// for one flush, and waits for it, so the detectors judge each instant as a whole, as they would a watch burst.
/// </summary>
public sealed class DetectionReplay : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly DetectionApplication application;
    private readonly ReplayClock clock;
    private readonly DetectionTopics topics;
    private readonly RecordProducer<ObjectRecord> objects;
    private readonly RecordProducer<KubeEvent> events;
    private readonly RecordProducer<LogRecord> logs;
    private readonly RecordProducer<MetricSample> metrics;
    private readonly RecordProducer<BusinessRecord> business;
    private readonly IConsumer<byte[]?, byte[]?> incidentReader;
    private readonly Dictionary<string, Incident> incidents = new(StringComparer.Ordinal);
    private readonly ProtobufSerde<Incident> incidentSerde = new();
    private readonly Dictionary<string, int> inputPartitions = new(StringComparer.Ordinal);
    private long produced;
    private long incidentsRead;

    private DetectionReplay(DetectionApplication application, ReplayClock clock, DetectionTopics topics, KafkaClientFactory kafka)
    {
        this.application = application;
        this.clock = clock;
        this.topics = topics;
        objects = kafka.CreateProducer<ObjectRecord>("replay");
        events = kafka.CreateProducer<KubeEvent>("replay");
        logs = kafka.CreateProducer<LogRecord>("replay");
        metrics = kafka.CreateProducer<MetricSample>("replay");
        business = kafka.CreateProducer<BusinessRecord>("replay");
        incidentReader = kafka.CreateRawConsumer("replay", $"{application.Runtime.Options.ApplicationId}-reader");

        // Assigned, not subscribed: the replay reads every partition itself and needs no group join.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Options.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(topics.Incidents, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        incidentReader.Assign(partitions.Select(p => new TopicPartitionOffset(topics.Incidents, p.PartitionId, Offset.Beginning)));
        foreach (var input in topics.Inputs)
        {
            inputPartitions[input] = admin.GetMetadata(input, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        }
    }

    /// <summary>The running topology's counters.</summary>
    public DetectionProgress Progress => application.Runtime.Progress;

    /// <summary>The replay clock's time.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>
    /// Starts the topology (one partition: a replay is one fleet) on a clock set to <paramref name="start"/>. The
    /// topics of <paramref name="topics"/> and <see cref="DetectionApplication.InternalTopics"/> must exist.
    /// </summary>
    public static async Task<DetectionReplay> StartAsync(
        KafkaClientFactory kafka,
        DetectionTopics topics,
        StreamsOptions options,
        Correlation.CorrelationOptions correlation,
        DateTimeOffset start,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(options);
        var clock = new ReplayClock(start);
        var runtime = new DetectionRuntime(options, correlation, clock, Detection.DetectorCatalog.Incidents, new DetectionProgress(), loggerFactory) { FlushOnRequest = true };
        var application = await DetectionApplication.StartAsync(kafka, runtime, topics, cancellationToken);
        return new DetectionReplay(application, clock, topics, kafka);
    }

    /// <summary>Moves the clock to <paramref name="at"/>, publishes <paramref name="records"/>, and returns once the
    /// topology has applied them and flushed.</summary>
    public async Task ApplyAsync(DateTimeOffset at, IReadOnlyList<DetectionInput> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        clock.AdvanceTo(at);
        // Sent together (the producer keeps each key's order), acknowledged together.
        await Task.WhenAll(records.SelectMany(record => Produce(record, at, cancellationToken)));

        var expected = produced;
        await WaitAsync(() => Progress.Records + Progress.DeadLettered >= expected, $"the topology to apply {expected} records", cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Moves the clock to <paramref name="at"/> and flushes (time-based detectors and lifecycles move on).</summary>
    public async Task AdvanceAsync(DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        clock.AdvanceTo(at);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Every incident published so far, each at its latest revision, ordered by opening time then id.</summary>
    public async Task<IReadOnlyList<Incident>> IncidentsAsync(CancellationToken cancellationToken = default)
    {
        var expected = Progress.Incidents;
        var deadline = Stopwatch.StartNew();
        while (incidentsRead < expected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (deadline.Elapsed > Patience)
            {
                throw new TimeoutException($"read {incidentsRead} of {expected} incident records from {topics.Incidents} within {Patience.TotalSeconds:0}s");
            }

            var result = incidentReader.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is not { } message)
            {
                continue;
            }

            incidentsRead++;
            var context = new SerializationContext(MessageComponentType.Value, result.Topic, message.Headers);
            if (incidentSerde.Deserialize(message.Value ?? [], message.Value is null, context) is { } incident
                && (!incidents.TryGetValue(incident.Id, out var known) || known.Revision <= incident.Revision))
            {
                incidents[incident.Id] = incident;
            }
        }

        return [.. incidents.Values.OrderBy(i => i.OpenedAt).ThenBy(i => i.Id, StringComparer.Ordinal)];
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var request = Progress.RequestFlush();
        await WaitAsync(() => Progress.Flushes >= request, "the topology to flush", cancellationToken);
    }

    private IEnumerable<Task> Produce(DetectionInput record, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var timestamp = new Timestamp(at.UtcDateTime);
        switch (record.InputCase)
        {
            case DetectionInput.InputOneofCase.Object:
                var reference = record.Object.RecordCase == ObjectRecord.RecordOneofCase.Snapshot ? record.Object.Snapshot.Ref : record.Object.Tombstone.Ref;
                var key = RecordKeys.ForObject(reference);
                produced++;
                yield return objects.Client.ProduceAsync(Target(topics.Objects, key), new Message<string, ObjectRecord?> { Key = key, Value = record.Object, Timestamp = timestamp }, cancellationToken);
                if (record.Object.RecordCase == ObjectRecord.RecordOneofCase.Tombstone)
                {
                    yield return objects.Client.ProduceAsync(Target(topics.Objects, key), new Message<string, ObjectRecord?> { Key = key, Value = null, Timestamp = timestamp }, cancellationToken);
                }

                break;
            case DetectionInput.InputOneofCase.Event:
                produced++;
                var eventKey = RecordKeys.ForObject(record.Event.Involved);
                yield return events.Client.ProduceAsync(Target(topics.Events, eventKey), new Message<string, KubeEvent?> { Key = eventKey, Value = record.Event, Timestamp = timestamp }, cancellationToken);
                break;
            case DetectionInput.InputOneofCase.Log:
                produced++;
                var logKey = RecordKeys.ForObject(record.Log.Source);
                yield return logs.Client.ProduceAsync(Target(topics.Logs, logKey), new Message<string, LogRecord?> { Key = logKey, Value = record.Log, Timestamp = timestamp }, cancellationToken);
                break;
            case DetectionInput.InputOneofCase.Metric when topics.Metrics is { } metricTopic:
                produced++;
                var seriesKey = RecordKeys.ForSeries(record.Metric);
                yield return metrics.Client.ProduceAsync(new TopicPartition(metricTopic, Partition.Any), new Message<string, MetricSample?> { Key = seriesKey, Value = record.Metric, Timestamp = timestamp }, cancellationToken);
                break;
            case DetectionInput.InputOneofCase.Business when topics.Business is { } businessTopic:
                produced++;
                var adapterKey = $"{record.Business.Subject?.Tenant}/{record.Business.Adapter}";
                yield return business.Client.ProduceAsync(new TopicPartition(businessTopic, Partition.Any), new Message<string, BusinessRecord?> { Key = adapterKey, Value = record.Business, Timestamp = timestamp }, cancellationToken);
                break;
            case DetectionInput.InputOneofCase.Metric or DetectionInput.InputOneofCase.Business:
                throw new ArgumentException($"a {record.InputCase} record needs its topic in the replay's {nameof(DetectionTopics)}", nameof(record));
            default:
                throw new ArgumentException("an empty detection input cannot be replayed", nameof(record));
        }
    }

    // The partition ingest's producers would choose (KafkaClientFactory partitions the catalog's input topics by fleet;
    // a replay's own topics are named differently, so the replay places records itself).
    private TopicPartition Target(string topic, string key) =>
        new(topic, application.Runtime.Options.InputsPartitionedByFleet
            ? new Partition(RecordKeys.FleetPartition(System.Text.Encoding.UTF8.GetBytes(key), inputPartitions[topic]))
            : Partition.Any);

    private async Task WaitAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > Patience)
            {
                throw new TimeoutException($"waited {Patience.TotalSeconds:0}s for {what} (applied {Progress.Records}, flushed {Progress.Flushes}, running {application.IsRunning})");
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        incidentReader.Close();
        incidentReader.Dispose();
        objects.Dispose();
        events.Dispose();
        logs.Dispose();
        metrics.Dispose();
        business.Dispose();
        await application.DisposeAsync();
    }

    private sealed class ReplayClock(DateTimeOffset start) : TimeProvider
    {
        private long ticks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

        public void AdvanceTo(DateTimeOffset at)
        {
            // Never backwards: a replay's batches are in time order, and detectors must not see time reverse.
            var target = at.UtcTicks;
            long current;
            do
            {
                current = Interlocked.Read(ref ticks);
                if (target <= current)
                {
                    return;
                }
            }
            while (Interlocked.CompareExchange(ref ticks, target, current) != current);
        }
    }
}
