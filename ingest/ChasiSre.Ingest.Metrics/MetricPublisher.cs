using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Metrics;

/// <summary>
/// The path every source shares: observation -> <see cref="MetricNormalizer"/> -> <see cref="IMetricSink"/>,
/// plus the one log line and one <c>MetricCardinalityLimit</c> signal when a tenant first hits its
/// series limit, and dead letters for source data that cannot become records.
/// </summary>
public sealed class MetricPublisher
{
    /// <summary>The detector name of ingestion's own signals.</summary>
    public const string CardinalityDetector = "ingest.metrics.cardinality";

    private readonly MetricNormalizer normalizer;
    private readonly IMetricSink sink;
    private readonly MetricsIngestOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    /// <summary>Creates the publisher.</summary>
    public MetricPublisher(MetricNormalizer normalizer, IMetricSink sink, MetricsIngestOptions options, TimeProvider timeProvider, ILogger<MetricPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(normalizer);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        this.normalizer = normalizer;
        this.sink = sink;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>The normalizer in use.</summary>
    public MetricNormalizer Normalizer => normalizer;

    /// <summary>Normalizes and publishes one observation; returns the verdict.</summary>
    public async ValueTask<NormalizeResult> PublishAsync(MetricObservation observation, CancellationToken cancellationToken = default)
    {
        var result = normalizer.Normalize(observation);
        if (result.Sample is { } sample)
        {
            await sink.PublishSampleAsync(sample, cancellationToken);
        }
        else if (result.FirstRejection)
        {
            var limit = options.SeriesLimitOf(result.Tenant);
            Log.CardinalityLimitReached(logger, result.Tenant, limit, MetricSeries.Format(observation.Name, observation.Labels));
            await sink.PublishSignalAsync(CardinalitySignal(observation, result.Tenant, limit), cancellationToken);
        }

        return result;
    }

    /// <summary>Sends source data that could not become records to <c>chasi.dlq.v1</c> (at most <see cref="MetricsIngestOptions.DeadLetterMaxBytes"/> of it).</summary>
    public async ValueTask DeadLetterAsync(string source, ObjectRef? subject, ReadOnlyMemory<byte> original, bool originalTruncated, Exception error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var key = subject is null ? source : RecordKeys.ForObject(subject);
        var kept = original.Length > options.DeadLetterMaxBytes ? original[..options.DeadLetterMaxBytes] : original;
        var letter = new DeadLetter
        {
            OriginalKey = ByteString.CopyFromUtf8(key),
            OriginalValue = ByteString.CopyFrom(kept.Span),
            OriginalValueDropped = originalTruncated || kept.Length < original.Length,
            ErrorKind = DeadLetterKinds.Normalize,
            ErrorType = error.GetType().FullName ?? error.GetType().Name,
            ErrorMessage = error.Message,
            RejectedBy = MetricsTelemetry.Component,
            RejectedAt = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            OriginalSource = source,
        };
        MetricsTelemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>("source", source));
        await sink.PublishDeadLetterAsync(key, letter, cancellationToken);
    }

    private Signal CardinalitySignal(MetricObservation observation, string tenant, int limit)
    {
        var now = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow());
        var subject = observation.Subject ?? new ObjectRef { Tenant = tenant };
        var signal = new Signal
        {
            Id = $"{CardinalityDetector}/{RecordKeys.ForCluster(subject)}/{tenant}/{now.Seconds}",
            Detector = CardinalityDetector,
            Subject = subject,
            Severity = Severity.Warning,
            Reason = "MetricCardinalityLimit",
            Message = $"Tenant '{tenant}' reached its limit of {limit} active metric series; new series are dropped until old ones go idle (first rejected: {observation.Name}).",
            FirstSeen = now,
            LastSeen = now,
            Score = 1,
            Active = true,
        };
        signal.Attributes["tenant"] = tenant;
        signal.Attributes["limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        signal.Attributes["metric"] = observation.Name;
        return signal;
    }
}
