using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest;

internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "{Cluster} {Resource}: listed {Count} objects, {Deleted} deleted since the last list, resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string cluster, string resource, int count, int deleted, string resourceVersion);

    [LoggerMessage(1001, LogLevel.Information, "{Cluster} {Resource}: resourceVersion {ResourceVersion} expired (410 Gone), relisting")]
    public static partial void WatchExpired(ILogger logger, string cluster, string resource, string? resourceVersion);

    [LoggerMessage(1002, LogLevel.Warning, "{Cluster} {Resource}: list/watch failed, retrying in {Delay}: {Error}")]
    public static partial void WatchFailed(ILogger logger, string cluster, string resource, TimeSpan delay, string error);

    [LoggerMessage(1007, LogLevel.Information, "{Cluster} {Resource}: no longer served (404); its watcher stops")]
    public static partial void ResourceGone(ILogger logger, string cluster, string resource);

    [LoggerMessage(1008, LogLevel.Debug, "{Cluster} {Resource}: the list ended early; its next page, already requested, was dropped: {Error}")]
    public static partial void PrefetchDropped(ILogger logger, string cluster, string resource, string error);

    [LoggerMessage(1003, LogLevel.Error, "Publishing to {Topic} failed for {Key}: {Reason}; the watcher resynchronises")]
    public static partial void PublishFailed(ILogger logger, string topic, string key, string reason);

    [LoggerMessage(1004, LogLevel.Information, "{Cluster}: watching {Count} resources ({Skipped} not served: {SkippedList})")]
    public static partial void ClusterStarted(ILogger logger, string cluster, int count, int skipped, string skippedList);

    [LoggerMessage(1005, LogLevel.Information, "{Cluster}: stopped")]
    public static partial void ClusterStopped(ILogger logger, string cluster);

    [LoggerMessage(1006, LogLevel.Warning, "{Cluster}: discovery failed, retrying in {Delay}: {Error}")]
    public static partial void DiscoveryFailed(ILogger logger, string cluster, TimeSpan delay, string error);

    [LoggerMessage(1010, LogLevel.Information, "vCluster {HostNamespace}/{Name} found; connecting to {Server}")]
    public static partial void VClusterFound(ILogger logger, string hostNamespace, string name, string server);

    [LoggerMessage(1011, LogLevel.Information, "vCluster {HostNamespace}/{Name} is gone; its watchers stop")]
    public static partial void VClusterGone(ILogger logger, string hostNamespace, string name);

    [LoggerMessage(1012, LogLevel.Information, "vCluster {HostNamespace}/{Name}: credentials rotated; reconnecting")]
    public static partial void VClusterCredentialsRotated(ILogger logger, string hostNamespace, string name);

    [LoggerMessage(1013, LogLevel.Warning, "vCluster {HostNamespace}/{Name} is unreachable: {Error}")]
    public static partial void VClusterUnreachable(ILogger logger, string hostNamespace, string name, string error);

    [LoggerMessage(1014, LogLevel.Information, "vCluster {HostNamespace}/{Name} is reachable again")]
    public static partial void VClusterReachable(ILogger logger, string hostNamespace, string name);

    [LoggerMessage(1015, LogLevel.Warning, "vCluster {HostNamespace}/{Name}: cannot use secret {Secret}: {Error}")]
    public static partial void VClusterSecretInvalid(ILogger logger, string hostNamespace, string name, string secret, string error);

    [LoggerMessage(1016, LogLevel.Information, "vCluster {HostNamespace}/{Name} is paused; not watching it")]
    public static partial void VClusterPaused(ILogger logger, string hostNamespace, string name);

    [LoggerMessage(1020, LogLevel.Debug, "{Cluster}: fetching logs of {Namespace}/{Pod} container {Container} (previous: {Previous})")]
    public static partial void FetchingLogs(ILogger logger, string cluster, string @namespace, string pod, string container, bool previous);

    [LoggerMessage(1021, LogLevel.Warning, "{Cluster}: logs of {Namespace}/{Pod} container {Container} unavailable: {Error}")]
    public static partial void LogsUnavailable(ILogger logger, string cluster, string @namespace, string pod, string container, string error);

    [LoggerMessage(1030, LogLevel.Error, "{Cluster} {Resource}: cannot normalize {Name}: {Error}")]
    public static partial void NormalizeFailed(ILogger logger, string cluster, string resource, string name, string error);
}
