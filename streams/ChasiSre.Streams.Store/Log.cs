using Microsoft.Extensions.Logging;

namespace ChasiSre.Streams.Store;

/// <summary>Source-generated log messages of ChasiSre.Streams.Store (event ids 2200-2299).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "ClickHouse sink started: consumer groups {Group}.<table>, database {Database}, tables {Tables}, batches of {MaxRows} rows or {MaxDelayMs} ms")]
    public static partial void SinkStarted(ILogger logger, string group, string database, string tables, int maxRows, long maxDelayMs);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "Wrote {Rows} rows to {Table} in {ElapsedMs} ms")]
    public static partial void BatchWritten(ILogger logger, int rows, string table, long elapsedMs);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Writing {Rows} rows to {Table} failed; the records are retried with backoff")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int rows, string table);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "ClickHouse sink stopped")]
    public static partial void SinkStopped(ILogger logger);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Error, Message = "ClickHouse sink consumer of {Topic} failed")]
    public static partial void ConsumerFailed(ILogger logger, Exception exception, string topic);
}
