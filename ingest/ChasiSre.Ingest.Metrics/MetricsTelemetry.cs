using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Ingest.Metrics;

/// <summary>The assembly's ActivitySource, Meter and instruments (names are a contract for dashboards).</summary>
internal static class MetricsTelemetry
{
    public const string Name = "ChasiSre.Ingest.Metrics";

    /// <summary>The producing component written into every record's source header.</summary>
    public const string Component = "ingest-metrics";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Normalized = Meter.CreateCounter<long>(
        "chasisre.ingest.metrics.points", "{point}", "Points judged by the normalizer, by outcome (accepted, nan, inf, out_of_order, duplicate, cardinality).");

    public static readonly Counter<long> CounterResets = Meter.CreateCounter<long>(
        "chasisre.ingest.metrics.counter_resets", "{reset}", "Counter resets detected (published values stay monotonic).");

    public static readonly Counter<long> Gaps = Meter.CreateCounter<long>(
        "chasisre.ingest.metrics.gaps", "{gap}", "Points published after a gap of missed scrapes or polls.");

    public static readonly Counter<long> Published = Meter.CreateCounter<long>(
        "chasisre.ingest.metrics.published", "{record}", "Records handed to the producer, by topic.");

    public static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>(
        "chasisre.ingest.metrics.publish.failures", "{record}", "Records the broker did not acknowledge, by topic.");

    public static readonly Counter<long> Scrapes = Meter.CreateCounter<long>(
        "chasisre.ingest.metrics.scrapes", "{scrape}", "Scrapes and metrics.k8s.io polls, by source and status (ok, timeout, http_error, unreachable, invalid).");

    public static readonly Histogram<double> ScrapeDuration = Meter.CreateHistogram<double>(
        "chasisre.ingest.metrics.scrape.duration", "s", "Duration of one scrape or poll, by source.");

    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "chasisre.ingest.metrics.dead_lettered", "{record}", "Scrape bodies and metrics.k8s.io items sent to chasi.dlq.v1, by source.");
}
