using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Simulator;

/// <summary>Source-generated log methods of the API server simulator (event ids 1500-1599; writes 7900-7949; custom resource definitions 7960-7989).</summary>
internal static partial class Log
{
    [LoggerMessage(1500, LogLevel.Information, "Simulated API server {Cluster} listening on {Address}")]
    public static partial void Started(this ILogger logger, string cluster, Uri address);

    [LoggerMessage(1501, LogLevel.Information, "Simulated API server {Cluster} restarted on {Address} ({Aborted} connections aborted)")]
    public static partial void Restarted(this ILogger logger, string cluster, Uri address, int aborted);

    [LoggerMessage(1502, LogLevel.Information, "Simulated API server {Cluster} stopped")]
    public static partial void Stopped(this ILogger logger, string cluster);

    [LoggerMessage(1503, LogLevel.Error, "Simulated API server: {Method} {Path} failed")]
    public static partial void RequestFailed(this ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(1504, LogLevel.Debug, "Simulated API server: injected HTTP {StatusCode} for {Method} {Path}")]
    public static partial void FailureInjected(this ILogger logger, int statusCode, string method, string path);

    [LoggerMessage(1505, LogLevel.Debug, "Watch on {Resource} (namespace '{Namespace}') opened at resourceVersion {ResourceVersion}")]
    public static partial void WatchOpened(this ILogger logger, string resource, string @namespace, long resourceVersion);

    [LoggerMessage(1506, LogLevel.Debug, "Watch on {Resource} (namespace '{Namespace}') closed after {Events} events")]
    public static partial void WatchClosed(this ILogger logger, string resource, string @namespace, long events);

    [LoggerMessage(1507, LogLevel.Warning, "Watch on {Resource} (namespace '{Namespace}') closed: the client fell {Buffer} events behind")]
    public static partial void WatchOverflowed(this ILogger logger, string resource, string @namespace, int buffer);

    [LoggerMessage(1508, LogLevel.Information, "Simulated API server {Cluster}: {Watches} watches dropped")]
    public static partial void WatchesDropped(this ILogger logger, string cluster, int watches);

    [LoggerMessage(1520, LogLevel.Information, "Simulated API server {Cluster}: {Watches} watches ended cleanly")]
    public static partial void WatchesEnded(this ILogger logger, string cluster, int watches);

    [LoggerMessage(1509, LogLevel.Information, "Simulated API server {Cluster}: compacted at resourceVersion {ResourceVersion}")]
    public static partial void Compacted(this ILogger logger, string cluster, long resourceVersion);

    [LoggerMessage(7900, LogLevel.Debug, "Simulated API server: {Method} {Resource} '{Namespace}/{Name}' answered {StatusCode} (dry run: {DryRun})")]
    public static partial void ObjectWritten(this ILogger logger, string method, string resource, string @namespace, string name, int statusCode, bool dryRun);

    [LoggerMessage(7960, LogLevel.Information, "Simulated API server: CustomResourceDefinition {Name} established, serving {Kinds}")]
    public static partial void DefinitionEstablished(this ILogger logger, string name, string kinds);

    [LoggerMessage(7961, LogLevel.Information, "Simulated API server: CustomResourceDefinition {Name} deleted with its custom resources")]
    public static partial void DefinitionRemoved(this ILogger logger, string name);
}
