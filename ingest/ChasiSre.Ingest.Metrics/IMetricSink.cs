using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Metrics;

/// <summary>Where metric ingestion's records go. Publishing hands a record over without waiting for the broker.</summary>
public interface IMetricSink
{
    /// <summary>A sample on <c>chasi.metrics.v1</c>, keyed <c>RecordKeys.ForSeries</c>.</summary>
    ValueTask PublishSampleAsync(MetricSample sample, CancellationToken cancellationToken = default);

    /// <summary>A finding about ingestion itself (a tenant over its series limit) on <c>chasi.signals.v1</c>.</summary>
    ValueTask PublishSignalAsync(Signal signal, CancellationToken cancellationToken = default);

    /// <summary>Source data that could not become records, on <c>chasi.dlq.v1</c>.</summary>
    ValueTask PublishDeadLetterAsync(string key, DeadLetter letter, CancellationToken cancellationToken = default);

    /// <summary>Waits until everything published so far is acknowledged or failed.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
