using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>Publishes signals to <c>chasi.alerts.v1</c>, keyed by their subject, and waits for the broker's acknowledgement.</summary>
public sealed class KafkaSignalSink : ISignalSink, IDisposable
{
    /// <summary>The producing component (<c>chasi-source</c> header, client id).</summary>
    public const string Component = "k8sgpt-interop";

    private readonly RecordProducer<Signal> producer;

    public KafkaSignalSink(KafkaClientFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        producer = factory.CreateProducer<Signal>(Component);
    }

    public async Task PublishAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        await producer.ProduceAsync(TopicCatalog.Alerts, RecordKeys.ForObject(signal.Subject), signal, cancellationToken);
    }

    public void Dispose() => producer.Dispose();
}
