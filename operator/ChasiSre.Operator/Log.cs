using Microsoft.Extensions.Logging;

namespace ChasiSre.Operator;

/// <summary>Source-generated log methods of the operator (event ids 8000-8099).</summary>
internal static partial class Log
{
    [LoggerMessage(8000, LogLevel.Information, "Operator {Identity} started leading (Lease {Namespace}/{Lease})")]
    public static partial void StartedLeading(this ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(8001, LogLevel.Warning, "Operator {Identity} stopped leading")]
    public static partial void StoppedLeading(this ILogger logger, string identity);

    [LoggerMessage(8002, LogLevel.Information, "Leader is now {Leader}")]
    public static partial void NewLeader(this ILogger logger, string leader);

    [LoggerMessage(8003, LogLevel.Warning, "Leader election failed")]
    public static partial void ElectionFailed(this ILogger logger, Exception exception);

    [LoggerMessage(8004, LogLevel.Information, "{Kind} {Namespace}/{Name} reconciled: valid {Valid}, ready {Ready} ({Reason})")]
    public static partial void Reconciled(this ILogger logger, string kind, string @namespace, string name, bool valid, bool ready, string reason);

    [LoggerMessage(8005, LogLevel.Information, "{Kind} {Namespace}/{Name} deleted: cleaned up")]
    public static partial void CleanedUp(this ILogger logger, string kind, string @namespace, string name);

    [LoggerMessage(8006, LogLevel.Warning, "{Kind} {Namespace}/{Name}: reconcile failed, retrying in {Delay}")]
    public static partial void ReconcileFailed(this ILogger logger, Exception exception, string kind, string @namespace, string name, TimeSpan delay);

    [LoggerMessage(8007, LogLevel.Warning, "Watch of {Kind} failed; relisting")]
    public static partial void WatchFailed(this ILogger logger, Exception exception, string kind);

    [LoggerMessage(8008, LogLevel.Debug, "Watch of {Kind} ended; relisting")]
    public static partial void WatchEnded(this ILogger logger, string kind);
}
