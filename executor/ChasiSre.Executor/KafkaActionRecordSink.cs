using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>Publishes action records to <c>chasi.actions.v1</c>, keyed by action id, waiting for the broker's acknowledgement (acks=all).</summary>
public sealed class KafkaActionRecordSink(RecordProducer<ActionRecord> producer) : IActionRecordSink
{
    public async Task PublishAsync(ActionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await producer.ProduceAsync(TopicCatalog.Actions, record.ActionId, record, cancellationToken);
    }
}
