using System.Globalization;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Ingest.Metrics;

/// <summary>
/// Per-series state between a source and <c>chasi.metrics.v1</c>. Decisions, each explicit:
/// <list type="bullet">
/// <item><b>NaN and ±Inf</b> are dropped and counted (by outcome). The text formats cannot carry
/// Prometheus' staleness marker, and downstream detectors (FFT, PCA) cannot use non-finite
/// points; a disappearing series is visible as a gap instead.</item>
/// <item><b>Counter resets</b> (a monotonic value that drops): the published value stays
/// monotonic — the value before the reset is added to an offset kept for the series, as
/// Prometheus' <c>rate()</c> does — and the record carries <see cref="MetricSeries.ResetAnnotation"/>.</item>
/// <item><b>Gaps</b>: a point more than <see cref="MetricsIngestOptions.GapFactor"/> expected
/// intervals after the previous one is published with <see cref="MetricSeries.GapAnnotation"/>
/// (seconds since the previous point) and counted.</item>
/// <item><b>Out-of-order and duplicate timestamps</b> are dropped and counted; the series' state is unchanged.</item>
/// <item><b>Cardinality</b>: each tenant may hold <see cref="MetricsIngestOptions.MaxSeriesPerTenant"/>
/// active series; a new series beyond it is rejected (existing ones keep flowing), and the first
/// rejection while the tenant is over its limit is flagged so the caller logs and signals once.
/// Series idle for <see cref="MetricsIngestOptions.SeriesIdleTimeout"/> are forgotten by <see cref="EvictIdle"/>.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class MetricNormalizer
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SeriesState> series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> perTenant = new(StringComparer.Ordinal);
    private readonly HashSet<string> overLimit = new(StringComparer.Ordinal);
    private readonly MetricsIngestOptions options;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates a normalizer.</summary>
    public MetricNormalizer(MetricsIngestOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.options = options;
        this.timeProvider = timeProvider;
    }

    /// <summary>Active series across all tenants.</summary>
    public int SeriesCount
    {
        get
        {
            lock (gate)
            {
                return series.Count;
            }
        }
    }

    /// <summary>Active series of <paramref name="tenant"/>.</summary>
    public int SeriesCountOf(string tenant)
    {
        lock (gate)
        {
            return perTenant.GetValueOrDefault(tenant);
        }
    }

    /// <summary>Judges one observation and, when accepted, builds its record.</summary>
    public NormalizeResult Normalize(MetricObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var tenant = observation.Subject?.Tenant ?? "";
        var outcome = Judge(observation, tenant, out var published, out var reset, out var gap, out var first, out var seriesText, out var labels);
        MetricsTelemetry.Normalized.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeName(outcome)));
        if (outcome != NormalizeOutcome.Accepted)
        {
            return new NormalizeResult(outcome, null, false, null, first, tenant);
        }

        var sample = new MetricSample
        {
            Series = seriesText,
            Name = observation.Name,
            Unit = observation.Unit,
        };
        foreach (var (key, value) in labels)
        {
            sample.Labels[key] = value;
        }

        if (observation.Subject is { } subject)
        {
            sample.Subject = subject;
        }

        if (reset)
        {
            sample.Labels[MetricSeries.ResetAnnotation] = "true";
            MetricsTelemetry.CounterResets.Add(1);
        }

        if (gap is { } g)
        {
            sample.Labels[MetricSeries.GapAnnotation] = g.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            MetricsTelemetry.Gaps.Add(1);
        }

        sample.Points.Add(new MetricSample.Types.Point { At = Timestamp.FromDateTimeOffset(observation.At), Value = published });
        return new NormalizeResult(NormalizeOutcome.Accepted, sample, reset, gap, false, tenant);
    }

    /// <summary>Forgets series not updated for <see cref="MetricsIngestOptions.SeriesIdleTimeout"/>; returns how many.</summary>
    public int EvictIdle()
    {
        var cutoff = timeProvider.GetUtcNow() - options.SeriesIdleTimeout;
        lock (gate)
        {
            var idle = series.Where(s => s.Value.LastSeen < cutoff).Select(s => s.Key).ToList();
            foreach (var key in idle)
            {
                var tenant = series[key].Tenant;
                series.Remove(key);
                var left = perTenant[tenant] - 1;
                if (left == 0)
                {
                    perTenant.Remove(tenant);
                }
                else
                {
                    perTenant[tenant] = left;
                }

                if (left < options.SeriesLimitOf(tenant))
                {
                    overLimit.Remove(tenant);
                }
            }

            return idle.Count;
        }
    }

    /// <summary>The metric tag value of an outcome.</summary>
    public static string OutcomeName(NormalizeOutcome outcome) => outcome switch
    {
        NormalizeOutcome.Accepted => "accepted",
        NormalizeOutcome.DroppedNaN => "nan",
        NormalizeOutcome.DroppedInfinite => "inf",
        NormalizeOutcome.DroppedOutOfOrder => "out_of_order",
        NormalizeOutcome.DroppedDuplicate => "duplicate",
        NormalizeOutcome.RejectedCardinality => "cardinality",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    private NormalizeOutcome Judge(
        MetricObservation observation,
        string tenant,
        out double published,
        out bool reset,
        out TimeSpan? gap,
        out bool firstRejection,
        out string seriesText,
        out List<KeyValuePair<string, string>> labels)
    {
        published = observation.Value;
        reset = false;
        gap = null;
        firstRejection = false;
        labels = observation.Labels.Where(l => !MetricSeries.IsAnnotation(l.Key)).ToList();
        seriesText = MetricSeries.Format(observation.Name, labels);
        if (double.IsNaN(observation.Value))
        {
            return NormalizeOutcome.DroppedNaN;
        }

        if (double.IsInfinity(observation.Value))
        {
            return NormalizeOutcome.DroppedInfinite;
        }

        var key = observation.Subject is { } subject ? $"{RecordKeys.ForCluster(subject)}/{seriesText}" : seriesText;
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            if (!series.TryGetValue(key, out var state))
            {
                var count = perTenant.GetValueOrDefault(tenant);
                if (count >= options.SeriesLimitOf(tenant))
                {
                    firstRejection = overLimit.Add(tenant);
                    return NormalizeOutcome.RejectedCardinality;
                }

                perTenant[tenant] = count + 1;
                series[key] = new SeriesState(tenant, observation.At, observation.Value, 0, now);
                return NormalizeOutcome.Accepted;
            }

            if (observation.At < state.LastAt)
            {
                return NormalizeOutcome.DroppedOutOfOrder;
            }

            if (observation.At == state.LastAt)
            {
                return NormalizeOutcome.DroppedDuplicate;
            }

            var elapsed = observation.At - state.LastAt;
            if (observation.ExpectedInterval > TimeSpan.Zero && elapsed > observation.ExpectedInterval * options.GapFactor)
            {
                gap = elapsed;
            }

            var offset = state.Offset;
            if (observation.Monotonic && observation.Value < state.LastRaw)
            {
                offset += state.LastRaw;
                reset = true;
            }

            published = observation.Monotonic ? offset + observation.Value : observation.Value;
            series[key] = state with { LastAt = observation.At, LastRaw = observation.Value, Offset = offset, LastSeen = now };
            return NormalizeOutcome.Accepted;
        }
    }

    private sealed record SeriesState(string Tenant, DateTimeOffset LastAt, double LastRaw, double Offset, DateTimeOffset LastSeen);
}
