using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Ingest;

/// <summary>The assembly's ActivitySource, Meter and instruments (names are a contract for dashboards).</summary>
internal static class IngestTelemetry
{
    public const string Name = "ChasiSre.Ingest";

    /// <summary>The producing component written into every record's source header.</summary>
    public const string Component = "ingest";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Published = Meter.CreateCounter<long>(
        "chasisre.ingest.published", "{record}", "Records handed to the producer, by topic.");

    public static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>(
        "chasisre.ingest.publish.failures", "{record}", "Records the broker did not acknowledge, by topic.");

    public static readonly Counter<long> LogFetches = Meter.CreateCounter<long>(
        "chasisre.ingest.log.fetches", "{request}", "Container log requests made for pods in trouble.");

    public static readonly Counter<long> LogLinesDropped = Meter.CreateCounter<long>(
        "chasisre.ingest.log.lines_truncated", "{line}", "Log lines cut to the configured maximum length.");

    public static readonly UpDownCounter<long> ClustersWatched = Meter.CreateUpDownCounter<long>(
        "chasisre.ingest.clusters", "{cluster}", "Clusters (host and vClusters) being watched.");
}
