using ChasiSre.Schemas.V1;
using Confluent.Kafka;

namespace ChasiSre.Ingest.Gateway;

/// <summary>Where the gateway's records go. Each call completes when the broker acknowledged (or failed) every record.</summary>
public interface IGatewaySink
{
    /// <summary>Business records of one adapter on <c>chasi.business.v1</c>, under <paramref name="key"/> (<c>tenant/adapter</c>).</summary>
    Task PublishBusinessAsync(string key, IReadOnlyList<BusinessRecord> records, CancellationToken cancellationToken = default);

    /// <summary>An AdapterUnhealthy signal (or its clearing) on <c>chasi.alerts.v1</c>.</summary>
    Task PublishSignalAsync(Signal signal, CancellationToken cancellationToken = default);

    /// <summary>A dead letter built by <c>DeadLetterRecords.Create</c>, on <c>chasi.dlq.v1</c>.</summary>
    Task PublishDeadLetterAsync(Message<byte[]?, byte[]?> letter, CancellationToken cancellationToken = default);
}
