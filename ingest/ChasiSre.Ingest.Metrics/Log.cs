using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Metrics;

internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Error, "Publishing to {Topic} failed for {Key}: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string topic, string key, string reason);

    [LoggerMessage(1101, LogLevel.Warning, "Tenant '{Tenant}' reached its limit of {Limit} metric series; new series are rejected (first: {Series})")]
    public static partial void CardinalityLimitReached(ILogger logger, string tenant, int limit, string series);

    [LoggerMessage(1110, LogLevel.Debug, "{Cluster}: metrics.k8s.io poll published {Published} of {Points} points ({Nodes} nodes, {Pods} pods)")]
    public static partial void ResourcePolled(ILogger logger, string cluster, int published, int points, int nodes, int pods);

    [LoggerMessage(1111, LogLevel.Information, "{Cluster}: metrics.k8s.io is not served (no metrics-server); checking again every {Interval}")]
    public static partial void ResourceMetricsUnavailable(ILogger logger, string cluster, TimeSpan interval);

    [LoggerMessage(1112, LogLevel.Warning, "{Cluster}: metrics.k8s.io poll failed, retrying in {Delay}: {Error}")]
    public static partial void ResourcePollFailed(ILogger logger, string cluster, TimeSpan delay, string error);

    [LoggerMessage(1113, LogLevel.Warning, "{Cluster}: {Kind} {Name} cannot be read: {Error}")]
    public static partial void ResourceItemInvalid(ILogger logger, string cluster, string kind, string name, string error);

    [LoggerMessage(1120, LogLevel.Information, "{Cluster}: {Count} scrape targets ({Added} added, {Removed} removed)")]
    public static partial void TargetsChanged(ILogger logger, string cluster, int count, int added, int removed);

    [LoggerMessage(1121, LogLevel.Warning, "{Cluster}: discovering scrape targets failed, retrying in {Delay}: {Error}")]
    public static partial void DiscoveryFailed(ILogger logger, string cluster, TimeSpan delay, string error);

    [LoggerMessage(1122, LogLevel.Debug, "Scrape of {Target} ({Url}): {Status}, {Samples} samples, {Published} published in {Duration}")]
    public static partial void Scraped(ILogger logger, string target, Uri url, string status, int samples, int published, TimeSpan duration);

    [LoggerMessage(1123, LogLevel.Warning, "Scrape of {Target} ({Url}) failed: {Status}: {Error}")]
    public static partial void ScrapeFailed(ILogger logger, string target, Uri url, string status, string error);

    [LoggerMessage(1124, LogLevel.Debug, "{Cluster}: {Kind} {Namespace}/{Name} is annotated for scraping but has no usable address or port: {Reason}")]
    public static partial void TargetSkipped(ILogger logger, string cluster, string kind, string @namespace, string name, string reason);

    [LoggerMessage(1125, LogLevel.Error, "The scrape loop of {Target} failed; it restarts")]
    public static partial void ScrapeLoopFailed(ILogger logger, string target, Exception? exception);

    [LoggerMessage(1130, LogLevel.Information, "Metric ingestion for {Cluster} started (resource metrics: {Resource}, scraping: {Scrape})")]
    public static partial void AgentStarted(ILogger logger, string cluster, bool resource, bool scrape);

    [LoggerMessage(1131, LogLevel.Debug, "Forgot {Count} idle metric series")]
    public static partial void SeriesEvicted(ILogger logger, int count);
}
