using Microsoft.Extensions.Logging;

namespace ChasiSre.Platform.Kafka;

/// <summary>Source-generated log methods of the Kafka platform (event ids 5000-5099).</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Warning, "Kafka client {Client} error {Code}: {Reason}")]
    public static partial void ClientError(this ILogger logger, string client, string code, string reason);

    [LoggerMessage(5001, LogLevel.Debug, "Kafka client {Client} [{Facility}] {Message}")]
    public static partial void ClientLog(this ILogger logger, string client, string facility, string message);

    [LoggerMessage(5002, LogLevel.Information, "Consumer {Group} started on {Topics}")]
    public static partial void ConsumerStarted(this ILogger logger, string group, string topics);

    [LoggerMessage(5003, LogLevel.Information, "Consumer {Group} stopped after {Handled} records, {DeadLettered} dead-lettered")]
    public static partial void ConsumerStopped(this ILogger logger, string group, long handled, long deadLettered);

    [LoggerMessage(5004, LogLevel.Warning, "Consumer {Group}: record {Topic}[{Partition}]@{Offset} dead-lettered ({Kind}): {Error}")]
    public static partial void DeadLettered(this ILogger logger, string group, string topic, int partition, long offset, string kind, string error);

    [LoggerMessage(5005, LogLevel.Warning, "Consumer {Group}: handler attempt {Attempt} failed for {Topic}[{Partition}]@{Offset}")]
    public static partial void HandlerRetry(this ILogger logger, Exception exception, string group, int attempt, string topic, int partition, long offset);

    [LoggerMessage(5006, LogLevel.Information, "Consumer {Group}: partitions assigned {Partitions}")]
    public static partial void PartitionsAssigned(this ILogger logger, string group, string partitions);

    [LoggerMessage(5007, LogLevel.Information, "Consumer {Group}: partitions revoked {Partitions}")]
    public static partial void PartitionsRevoked(this ILogger logger, string group, string partitions);

    [LoggerMessage(5008, LogLevel.Debug, "Consumer {Group}: offset not stored for {Topic}[{Partition}]@{Offset} (partition no longer assigned); it will be redelivered")]
    public static partial void OffsetNotStored(this ILogger logger, string group, string topic, int partition, long offset);

    [LoggerMessage(5009, LogLevel.Error, "Consumer {Group} failed")]
    public static partial void ConsumerFailed(this ILogger logger, Exception exception, string group);

    [LoggerMessage(5010, LogLevel.Warning, "Consumer {Group}: committing offsets of revoked partitions {Partitions} failed: {Reason}")]
    public static partial void CommitOnRevokeFailed(this ILogger logger, string group, string partitions, string reason);

    [LoggerMessage(5011, LogLevel.Warning, "Consumer {Group}: close failed: {Reason}")]
    public static partial void CloseFailed(this ILogger logger, string group, string reason);

    [LoggerMessage(5012, LogLevel.Warning, "Consumer {Group}: consume error {Code}: {Reason}")]
    public static partial void ConsumeError(this ILogger logger, string group, string code, string reason);

    [LoggerMessage(5013, LogLevel.Error, "Producer {Client} disposed with {Count} records undelivered")]
    public static partial void UndeliveredOnDispose(this ILogger logger, string client, int count);
}
