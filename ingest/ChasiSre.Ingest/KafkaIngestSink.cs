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
    }

    /// <inheritdoc />
    public async ValueTask PublishObjectAsync(ObjectRecord record, Action? onFailure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var reference = record.RecordCase == ObjectRecord.RecordOneofCase.Snapshot ? record.Snapshot.Ref : record.Tombstone.Ref;
        var key = RecordKeys.ForObject(reference);
        await ProduceAsync(objects, TopicCatalog.Objects, key, record, onFailure, cancellationToken);
        if (record.RecordCase == ObjectRecord.RecordOneofCase.Tombstone)
        {
            // The ObjectTombstone tells consumers when and what was deleted; the null value lets
            // compaction remove the key.
            await ProduceAsync(objects, TopicCatalog.Objects, key, null, onFailure, cancellationToken);
        }
    }

    /// <inheritdoc />
    public ValueTask PublishEventAsync(KubeEvent record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ProduceAsync(events, TopicCatalog.Events, RecordKeys.ForObject(record.Involved), record, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask PublishLogAsync(LogRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ProduceAsync(logs, TopicCatalog.Logs, RecordKeys.ForObject(record.Source), record, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask PublishSignalAsync(Signal record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ProduceAsync(signals, TopicCatalog.Signals, RecordKeys.ForObject(record.Subject), record, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask PublishDeadLetterAsync(string key, DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return ProduceAsync(deadLetters, TopicCatalog.DeadLetters, key, letter, null, cancellationToken);
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

    private async ValueTask ProduceAsync<T>(RecordProducer<T> producer, TopicDefinition topic, string key, T? value, Action? onFailure, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        await producer.EnqueueAsync(topic, key, value, report =>
        {
            if (report.Error.IsError)
            {
                IngestTelemetry.PublishFailures.Add(1, new KeyValuePair<string, object?>("topic", topic.Name));
                Log.PublishFailed(logger, topic.Name, key, report.Error.Reason);
                onFailure?.Invoke();
            }
        }, cancellationToken);
        IngestTelemetry.Published.Add(1, new KeyValuePair<string, object?>("topic", topic.Name));
    }
}
