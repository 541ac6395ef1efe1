using ChasiSre.Executor;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>
/// Publishes people's requests to <see cref="TopicCatalog.Actions"/> the executor's way
/// (<see cref="ActionDecisions.PublishAsync"/>: sequence 0, the decision's phase, actor <c>user:&lt;name&gt;</c>, keyed by
/// the action id), with the factory's idempotent producer (acks=all), and waits for the acknowledgement, so a 202 means
/// the request is in Kafka. The producer is made on first use and disposed (flushed) with the container.
/// </summary>
internal sealed class ActionRecordPublisher : IDisposable
{
    private readonly Lazy<RecordProducer<ActionRecord>> producer;
    private readonly Lazy<ActionDecisions> decisions;

    public ActionRecordPublisher(KafkaClientFactory kafka, TimeProvider time)
    {
        producer = new(() => kafka.CreateProducer<ActionRecord>(AlertPublisher.Component), LazyThreadSafetyMode.ExecutionAndPublication);
        decisions = new(() => new ActionDecisions(producer.Value, time), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Publishes <paramref name="actor"/>'s request and returns the record Kafka acknowledged.</summary>
    public Task<ActionRecord> PublishAsync(string actionId, HumanDecision decision, string actor, string reason, CancellationToken cancellationToken = default) =>
        decisions.Value.PublishAsync(actionId, decision, actor, reason, cancellationToken);

    public void Dispose()
    {
        if (producer.IsValueCreated)
        {
            producer.Value.Dispose();
        }
    }
}
