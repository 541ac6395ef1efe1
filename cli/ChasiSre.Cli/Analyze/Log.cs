using Microsoft.Extensions.Logging;

namespace ChasiSre.Cli;

/// <summary>Source-generated log messages of <c>chasi analyze</c> (event ids 4100-4119).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Listed {Objects} objects from {Server}")]
    public static partial void AnalyzeListed(ILogger logger, int objects, Uri server);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "No log for {Namespace}/{Pod} container {Container} (previous {Previous}): {Reason}")]
    public static partial void AnalyzeLogUnavailable(ILogger logger, string @namespace, string pod, string container, bool previous, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Analyzing {Records} records from a {Kind} of {Clusters} cluster(s) as of {AsOf}")]
    public static partial void AnalyzeReplaying(ILogger logger, int records, string kind, int clusters, DateTimeOffset asOf);
}
