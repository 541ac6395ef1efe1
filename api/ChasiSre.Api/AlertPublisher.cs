using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>
/// Publishes the webhook's signals to <see cref="TopicCatalog.Alerts"/> with the factory's idempotent producer
/// (acks=all) and waits for every acknowledgement before the webhook answers, so a 2xx means the signals are in
/// Kafka. The producer is made on first use and disposed (flushed) with the container.
/// </summary>
internal sealed class AlertPublisher(KafkaClientFactory kafka) : IDisposable
{
    /// <summary>The component name in the records' <c>chasi-source</c> header and the client id.</summary>
    public const string Component = "api";

    private readonly Lazy<RecordProducer<Signal>> producer = new(() => kafka.CreateProducer<Signal>(Component), LazyThreadSafetyMode.ExecutionAndPublication);

    public async Task PublishAsync(IReadOnlyList<(string Key, Signal Signal)> signals, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var deliveries = signals.Select(s => producer.Value.ProduceAsync(TopicCatalog.Alerts, s.Key, s.Signal, cancellationToken)).ToList();
        await Task.WhenAll(deliveries);
        ApiTelemetry.SignalsPublished.Add(signals.Count);
    }

    public void Dispose()
    {
        if (producer.IsValueCreated)
        {
            producer.Value.Dispose();
        }
    }
}
