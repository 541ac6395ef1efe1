using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;

namespace ChasiSre.Ingest.Gateway;

/// <summary>Publishes with the idempotent producers (acks=all) of <see cref="KafkaClientFactory"/> and waits for the acknowledgements.</summary>
public sealed class KafkaGatewaySink : IGatewaySink, IDisposable
{
    private readonly RecordProducer<BusinessRecord> business;
    private readonly RecordProducer<Signal> signals;
    private readonly IProducer<byte[]?, byte[]?> deadLetters;

    /// <summary>Creates the producers.</summary>
    public KafkaGatewaySink(KafkaClientFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        business = factory.CreateProducer<BusinessRecord>(GatewayTelemetry.Component);
        signals = factory.CreateProducer<Signal>(GatewayTelemetry.Component);
        deadLetters = factory.CreateRawProducer(GatewayTelemetry.Component);
    }

    /// <inheritdoc />
    public async Task PublishBusinessAsync(string key, IReadOnlyList<BusinessRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var deliveries = new Task[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            deliveries[i] = business.ProduceAsync(TopicCatalog.Business, key, records[i], cancellationToken);
        }

        await Task.WhenAll(deliveries);
        GatewayTelemetry.Published.Add(records.Count, new KeyValuePair<string, object?>("topic", TopicCatalog.Business.Name));
    }

    /// <inheritdoc />
    public async Task PublishSignalAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        await signals.ProduceAsync(TopicCatalog.Alerts, RecordKeys.ForObject(signal.Subject), signal, cancellationToken);
        GatewayTelemetry.Published.Add(1, new KeyValuePair<string, object?>("topic", TopicCatalog.Alerts.Name));
    }

    /// <inheritdoc />
    public async Task PublishDeadLetterAsync(Message<byte[]?, byte[]?> letter, CancellationToken cancellationToken = default)
    {
        await deadLetters.ProduceAsync(TopicCatalog.DeadLetters.Name, letter, cancellationToken);
        GatewayTelemetry.Published.Add(1, new KeyValuePair<string, object?>("topic", TopicCatalog.DeadLetters.Name));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        business.Dispose();
        signals.Dispose();
        deadLetters.Flush(TimeSpan.FromSeconds(10));
        deadLetters.Dispose();
    }
}
