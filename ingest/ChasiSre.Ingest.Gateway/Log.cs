using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Gateway;

internal static partial class Log
{
    [LoggerMessage(7600, LogLevel.Information, "Adapter {Adapter} discovered, polled every {Interval}")]
    public static partial void AdapterAdded(ILogger logger, string adapter, TimeSpan interval);

    [LoggerMessage(7601, LogLevel.Information, "Adapter {Adapter} changed (address, transport, token secret or interval)")]
    public static partial void AdapterChanged(ILogger logger, string adapter);

    [LoggerMessage(7602, LogLevel.Information, "Adapter {Adapter} removed")]
    public static partial void AdapterRemoved(ILogger logger, string adapter);

    [LoggerMessage(7603, LogLevel.Warning, "{Kind} {Namespace}/{Name}: annotation {Annotation} is invalid ('{Value}'); not an adapter until fixed")]
    public static partial void InvalidAnnotation(ILogger logger, string kind, string @namespace, string name, string annotation, string value);

    [LoggerMessage(7604, LogLevel.Warning, "Adapter {Adapter}: poll failed at {Operation}: {Problem}")]
    public static partial void PollFailed(ILogger logger, string adapter, AdapterOperation operation, string problem);

    [LoggerMessage(7605, LogLevel.Warning, "Adapter {Adapter}: circuit breaker open after {Failures} failed polls; next trial at {RetryAt:O}")]
    public static partial void BreakerOpened(ILogger logger, string adapter, int failures, DateTimeOffset retryAt);

    [LoggerMessage(7606, LogLevel.Information, "Adapter {Adapter}: circuit breaker closed, the adapter answers again")]
    public static partial void BreakerClosed(ILogger logger, string adapter);

    [LoggerMessage(7607, LogLevel.Warning, "Adapter {Adapter} unhealthy: {Problem}")]
    public static partial void AdapterUnhealthy(ILogger logger, string adapter, string problem);

    [LoggerMessage(7608, LogLevel.Information, "Adapter {Adapter} healthy again")]
    public static partial void AdapterHealthy(ILogger logger, string adapter);

    [LoggerMessage(7609, LogLevel.Warning, "Adapter {Adapter}: {Operation} output dead-lettered ({Kind}): {Problem}")]
    public static partial void DeadLettered(ILogger logger, string adapter, AdapterOperation operation, string kind, string problem);

    [LoggerMessage(7610, LogLevel.Error, "Adapter {Adapter}: publishing failed, the window is read again next poll: {Error}")]
    public static partial void PublishFailed(ILogger logger, string adapter, string error);

    [LoggerMessage(7611, LogLevel.Information, "Adapter {Adapter}: UNAUTHENTICATED, token re-read from Secret {Secret}")]
    public static partial void TokenReread(ILogger logger, string adapter, string secret);

    [LoggerMessage(7612, LogLevel.Information, "Gateway watching {Cluster}: {Resources}")]
    public static partial void Watching(ILogger logger, string cluster, string resources);

    [LoggerMessage(7613, LogLevel.Debug, "Adapter {Adapter}: {Operation} truncated after {Pages} pages; older items in the window are not read")]
    public static partial void WindowTruncated(ILogger logger, string adapter, AdapterOperation operation, int pages);

    [LoggerMessage(7614, LogLevel.Error, "Adapter {Adapter}: poll crashed")]
    public static partial void PollCrashed(ILogger logger, string adapter, Exception exception);
}
