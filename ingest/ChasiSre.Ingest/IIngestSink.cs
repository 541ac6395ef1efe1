using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest;

/// <summary>
/// Where ingest's records go. Publishing hands a record over without waiting for the broker;
/// when delivery later fails, <c>onFailure</c> runs so the watcher can resynchronise.
/// </summary>
public interface IIngestSink
{
    /// <summary>A snapshot or a deletion on <c>chasi.k8s.objects.v1</c> (a deletion is an <see cref="ObjectTombstone"/> followed by a Kafka tombstone).</summary>
    ValueTask PublishObjectAsync(ObjectRecord record, Action? onFailure, CancellationToken cancellationToken = default);

    /// <summary>An event on <c>chasi.k8s.events.v1</c>.</summary>
    ValueTask PublishEventAsync(KubeEvent record, CancellationToken cancellationToken = default);

    /// <summary>A log line on <c>chasi.logs.v1</c>.</summary>
    ValueTask PublishLogAsync(LogRecord record, CancellationToken cancellationToken = default);

    /// <summary>A finding about ingest itself (an unreachable vCluster) on <c>chasi.alerts.v1</c>.</summary>
    ValueTask PublishSignalAsync(Signal record, CancellationToken cancellationToken = default);

    /// <summary>Source data that could not become a record, on <c>chasi.dlq.v1</c>.</summary>
    ValueTask PublishDeadLetterAsync(string key, DeadLetter letter, CancellationToken cancellationToken = default);

    /// <summary>Waits until everything published so far is acknowledged or failed.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
