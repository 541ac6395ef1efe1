using System.Runtime.CompilerServices;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest;

/// <summary>
/// Publishes ingest's records with idempotent producers (acks=all) from
/// <see cref="KafkaClientFactory"/>. A full local queue waits instead of failing; a record the
/// broker finally rejects is logged, counted and reported to its watcher.
/// </summary>
public sealed class KafkaIngestSink : IIngestSink, IDisposable
{
    private readonly RecordProducer<ObjectRecord> objects;
    private readonly RecordProducer<KubeEvent> events;
    private readonly RecordProducer<LogRecord> logs;
    private readonly RecordProducer<Signal> signals;
    private readonly RecordProducer<DeadLetter> deadLetters;
    private readonly ILogger logger;

    // Delivery handlers are made once (per producer, and per watcher for objects) instead of a
    // closure per record: a watcher passes the same onFailure action for every record it publishes.
    private readonly ConditionalWeakTable<Action, Action<DeliveryReport<string, ObjectRecord?>>> objectReports = new();
    private readonly ConditionalWeakTable<Action, Action<DeliveryReport<string, ObjectRecord?>>>.CreateValueCallback createObjectReport;
    private readonly Action<DeliveryReport<string, ObjectRecord?>> objectReport;
    private readonly Action<DeliveryReport<string, KubeEvent?>> eventReport;
    private readonly Action<DeliveryReport<string, LogRecord?>> logReport;
    private readonly Action<DeliveryReport<string, Signal?>> signalReport;
    private readonly Action<DeliveryReport<string, DeadLetter?>> deadLetterReport;

    /// <summary>Creates the producers.</summary>
    public KafkaIngestSink(KafkaClientFactory factory, ILogger<KafkaIngestSink> logger)
    {
        ArgumentNullException.ThrowIfNull(factory);
        objects = factory.CreateProducer<ObjectRecord>(IngestTelemetry.Component);
        events = factory.CreateProducer<KubeEvent>(IngestTelemetry.Component);
        logs = factory.CreateProducer<LogRecord>(IngestTelemetry.Component);
        signals = factory.CreateProducer<Signal>(IngestTelemetry.Component);
        deadLetters = factory.CreateProducer<DeadLetter>(IngestTelemetry.Component);
        this.logger = logger;
        createObjectReport = onFailure => Report<ObjectRecord>(onFailure);
        objectReport = Report<ObjectRecord>(null);
        eventReport = Report<KubeEvent>(null);
        logReport = Report<LogRecord>(null);
        signalReport = Report<Signal>(null);
        deadLetterReport = Report<DeadLetter>(null);
    }

    /// <inheritdoc />
    public async ValueTask PublishObjectAsync(ObjectRecord record, Action? onFailure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var reference = record.RecordCase == ObjectRecord.RecordOneofCase.Snapshot ? record.Snapshot.Ref : record.Tombstone.Ref;
        var key = RecordKeys.ForObject(reference);
        var report = onFailure is null ? objectReport : objectReports.GetValue(onFailure, createObjectReport);
        await ProduceAsync(objects, TopicCatalog.Objects, key, record, report, cancellationToken);
        if (record.RecordCase == ObjectRecord.RecordOneofCase.Tombstone)
        {
            // The ObjectTombstone tells consumers when and what was deleted; the null value lets
            // compaction remove the key.
            await ProduceAsync(objects, TopicCatalog.Objects, key, null, report, cancellationToken);
        }
    }

    /// <inheritdoc />
    public ValueTask PublishEventAsync(KubeEvent record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ProduceAsync(events, TopicCatalog.Events, RecordKeys.ForObject(record.Involved), record, eventReport, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask PublishLogAsync(LogRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ProduceAsync(logs, TopicCatalog.Logs, RecordKeys.ForObject(record.Source), record, logReport, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask PublishSignalAsync(Signal record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ProduceAsync(signals, TopicCatalog.Alerts, RecordKeys.ForObject(record.Subject), record, signalReport, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask PublishDeadLetterAsync(string key, DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return ProduceAsync(deadLetters, TopicCatalog.DeadLetters, key, letter, deadLetterReport, cancellationToken);
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Task.Run(
            () =>
            {
                objects.Flush(cancellationToken);
                events.Flush(cancellationToken);
                logs.Flush(cancellationToken);
                signals.Flush(cancellationToken);
                deadLetters.Flush(cancellationToken);
            },
            cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        objects.Dispose();
        events.Dispose();
        logs.Dispose();
        signals.Dispose();
        deadLetters.Dispose();
    }

    private static async ValueTask ProduceAsync<T>(RecordProducer<T> producer, TopicDefinition topic, string key, T? value, Action<DeliveryReport<string, T?>> report, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        await producer.EnqueueAsync(topic, key, value, report, cancellationToken);
        IngestTelemetry.Published.Add(1, new KeyValuePair<string, object?>("topic", topic.Name));
    }

    // Runs on the producer's delivery thread for every record.
    private Action<DeliveryReport<string, T?>> Report<T>(Action? onFailure)
        where T : class, IMessage<T>, new() =>
        report =>
        {
            if (report.Error.IsError)
            {
                IngestTelemetry.PublishFailures.Add(1, new KeyValuePair<string, object?>("topic", report.Topic));
                Log.PublishFailed(logger, report.Topic, report.Message?.Key ?? "", report.Error.Reason);
                onFailure?.Invoke();
            }
        };
}
