using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Metrics;

/// <summary>
/// Publishes metric records with idempotent producers (acks=all) from <see cref="KafkaClientFactory"/>.
/// A full local queue waits instead of failing; a record the broker finally rejects is logged and
/// counted (a sample is superseded by the next scrape, so it is not retried).
/// </summary>
public sealed class KafkaMetricSink : IMetricSink, IDisposable
{
    private readonly RecordProducer<MetricSample> samples;
    private readonly RecordProducer<Signal> signals;
    private readonly RecordProducer<DeadLetter> deadLetters;
    private readonly ILogger logger;

    /// <summary>Creates the producers.</summary>
    public KafkaMetricSink(KafkaClientFactory factory, ILogger<KafkaMetricSink> logger)
    {
        ArgumentNullException.ThrowIfNull(factory);
        samples = factory.CreateProducer<MetricSample>(MetricsTelemetry.Component);
        signals = factory.CreateProducer<Signal>(MetricsTelemetry.Component);
        deadLetters = factory.CreateProducer<DeadLetter>(MetricsTelemetry.Component);
        this.logger = logger;
    }

    /// <inheritdoc />
    public ValueTask PublishSampleAsync(MetricSample sample, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return ProduceAsync(samples, TopicCatalog.Metrics, RecordKeys.ForSeries(sample), sample, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask PublishSignalAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return ProduceAsync(signals, TopicCatalog.Signals, RecordKeys.ForObject(signal.Subject), signal, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask PublishDeadLetterAsync(string key, DeadLetter letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return ProduceAsync(deadLetters, TopicCatalog.DeadLetters, key, letter, cancellationToken);
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Task.Run(
            () =>
            {
                samples.Flush(cancellationToken);
                signals.Flush(cancellationToken);
                deadLetters.Flush(cancellationToken);
            },
            cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        samples.Dispose();
        signals.Dispose();
        deadLetters.Dispose();
    }

    private async ValueTask ProduceAsync<T>(RecordProducer<T> producer, TopicDefinition topic, string key, T value, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        await producer.EnqueueAsync(topic, key, value, report =>
        {
            if (report.Error.IsError)
            {
                MetricsTelemetry.PublishFailures.Add(1, new KeyValuePair<string, object?>("topic", topic.Name));
                Log.PublishFailed(logger, topic.Name, key, report.Error.Reason);
            }
        }, cancellationToken);
        MetricsTelemetry.Published.Add(1, new KeyValuePair<string, object?>("topic", topic.Name));
    }
}
