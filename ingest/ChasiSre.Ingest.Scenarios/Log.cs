using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>Source-generated log methods of the scenario and dump sources (event ids 1600-1699).</summary>
internal static partial class Log
{
    [LoggerMessage(1600, LogLevel.Information, "Scenario {Scenario} loaded from {Directory}: {Clusters} clusters, {Steps} steps, {Files} files")]
    public static partial void ScenarioLoaded(this ILogger logger, string scenario, string directory, int clusters, int steps, int files);

    [LoggerMessage(1601, LogLevel.Warning, "Scenario in {Directory} rejected with {Count} errors; first: {First}")]
    public static partial void ScenarioRejected(this ILogger logger, string directory, int count, string first);

    [LoggerMessage(1610, LogLevel.Information, "Cluster dump {Directory} read as cluster {Cluster}: {Objects} objects in {Namespaces} namespaces, {Logs} container logs")]
    public static partial void DumpRead(this ILogger logger, string directory, string cluster, int objects, int namespaces, int logs);

    [LoggerMessage(1611, LogLevel.Debug, "Cluster dump: {File} is not part of kubectl's layout; skipped")]
    public static partial void DumpFileSkipped(this ILogger logger, string file);

    [LoggerMessage(1612, LogLevel.Debug, "Cluster dump: kubectl could not fetch the log of container {Container} of pod {Namespace}/{Pod}: {Error}")]
    public static partial void DumpLogMissing(this ILogger logger, string @namespace, string pod, string container, string error);
}
