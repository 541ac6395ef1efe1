using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>
/// Publishes decision records to <see cref="TopicCatalog.Actions"/>, keyed by action id, with the factory's idempotent
/// producer (acks=all), and waits for the acknowledgement, so a 202 means the decision is in Kafka. The producer is
/// made on first use and disposed (flushed) with the container.
/// </summary>
internal sealed class ActionRecordPublisher(KafkaClientFactory kafka) : IDisposable
{
    private readonly Lazy<RecordProducer<ActionRecord>> producer = new(() => kafka.CreateProducer<ActionRecord>(AlertPublisher.Component), LazyThreadSafetyMode.ExecutionAndPublication);

    public async Task PublishAsync(ActionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await producer.Value.ProduceAsync(TopicCatalog.Actions, record.ActionId, record, cancellationToken);
    }

    public void Dispose()
    {
        if (producer.IsValueCreated)
        {
            producer.Value.Dispose();
        }
    }
}
