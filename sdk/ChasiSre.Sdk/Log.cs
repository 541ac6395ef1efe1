using Microsoft.Extensions.Logging;

namespace ChasiSre.Sdk;

/// <summary>Source-generated log methods of the SDK (event ids 9000-9099).</summary>
internal static partial class Log
{
    [LoggerMessage(9000, LogLevel.Warning, "Adapter {Adapter}: {Operation} failed")]
    public static partial void OperationFailed(this ILogger logger, Exception exception, string adapter, string operation);

    [LoggerMessage(9001, LogLevel.Warning, "Adapter {Adapter}: {Operation} exceeded its timeout of {Timeout}")]
    public static partial void OperationTimedOut(this ILogger logger, string adapter, string operation, TimeSpan timeout);

    [LoggerMessage(9002, LogLevel.Warning, "Adapter {Adapter}: {Operation} rejected: {Code} {Reason}")]
    public static partial void OperationRejected(this ILogger logger, string adapter, string operation, string code, string reason);

    [LoggerMessage(9003, LogLevel.Information, "Adapter {Adapter}: runbook {RunbookId} requested by {RequestId} ended {Outcome}")]
    public static partial void RunbookExecuted(this ILogger logger, string adapter, string runbookId, string requestId, string outcome);

    [LoggerMessage(9004, LogLevel.Warning, "Adapter {Adapter}: configuration value of {Key} redacted")]
    public static partial void ConfigurationRedacted(this ILogger logger, string adapter, string key);

    [LoggerMessage(9010, LogLevel.Information, "Publisher {Adapter} started: {BusinessTopic}, {MetricsTopic} on {BootstrapServers}")]
    public static partial void PublisherStarted(this ILogger logger, string adapter, string businessTopic, string metricsTopic, string bootstrapServers);

    [LoggerMessage(9011, LogLevel.Warning, "Publisher {Adapter}: batch of {Count} records failed (attempt {Attempt}); retrying in {Delay}")]
    public static partial void BatchRetrying(this ILogger logger, Exception? exception, string adapter, int count, int attempt, TimeSpan delay);

    [LoggerMessage(9012, LogLevel.Error, "Publisher {Adapter}: {Count} records dropped after {Attempts} attempts")]
    public static partial void BatchAbandoned(this ILogger logger, Exception? exception, string adapter, int count, int attempts);

    [LoggerMessage(9013, LogLevel.Error, "Publisher {Adapter}: failure listener {Listener} threw")]
    public static partial void ListenerFailed(this ILogger logger, Exception exception, string adapter, string listener);

    [LoggerMessage(9014, LogLevel.Information, "Publisher {Adapter} stopped: {Published} published, {Dropped} dropped")]
    public static partial void PublisherStopped(this ILogger logger, string adapter, long published, long dropped);

    [LoggerMessage(9015, LogLevel.Warning, "Publisher {Adapter}: {Count} queued records dropped at shutdown")]
    public static partial void DroppedAtShutdown(this ILogger logger, string adapter, int count);

    [LoggerMessage(9016, LogLevel.Warning, "Publisher {Adapter}: Kafka client error {Code}: {Reason}")]
    public static partial void KafkaError(this ILogger logger, string adapter, string code, string reason);

    [LoggerMessage(9017, LogLevel.Warning, "Publisher {Adapter}: record of {Bytes} bytes exceeds {Max} bytes and was dropped")]
    public static partial void RecordTooLarge(this ILogger logger, string adapter, int bytes, int max);

    [LoggerMessage(9018, LogLevel.Error, "Publisher {Adapter}: sender loop failed")]
    public static partial void PumpFailed(this ILogger logger, Exception exception, string adapter);

    [LoggerMessage(9019, LogLevel.Error, "Publisher {Adapter}: {Count} records undelivered when the Kafka producer was disposed")]
    public static partial void UndeliveredOnDispose(this ILogger logger, string adapter, int count);
}
