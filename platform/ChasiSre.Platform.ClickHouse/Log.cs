using Microsoft.Extensions.Logging;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>Log messages of the ClickHouse store (event ids 5100-5199 of the platform range 5xxx).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "chDB {Version} loaded from {LibraryPath}, data at {DataPath}")]
    public static partial void ChDbOpened(ILogger logger, string version, string libraryPath, string dataPath);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "ClickHouse store uses the server at {Host}:{Port}")]
    public static partial void ServerStoreCreated(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Inserted {Rows} rows into {Table} through {Backend} in {ElapsedMs} ms")]
    public static partial void RowsInserted(ILogger logger, long rows, string table, ClickHouseBackend backend, long elapsedMs);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Trace, Message = "Running on {Backend}: {Sql}")]
    public static partial void StatementSensitive(ILogger logger, ClickHouseBackend backend, string sql);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "Applied ClickHouse migration {Version:D4} {Name} to {Database} in {ElapsedMs} ms")]
    public static partial void MigrationApplied(ILogger logger, int version, string name, string database, long elapsedMs);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "ClickHouse database {Database} is at migration {Version:D4}; {Applied} applied now")]
    public static partial void MigrationsDone(ILogger logger, string database, int version, int applied);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Error, Message = "ClickHouse migration {Version:D4} {Name} in {Database} was changed after it was applied (recorded checksum {Recorded}, now {Current})")]
    public static partial void MigrationChecksumMismatch(ILogger logger, int version, string name, string database, string recorded, string current);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Warning, Message = "ClickHouse database {Database} has migration {Version:D4} {Name} applied, which this build does not know (written by a newer version?)")]
    public static partial void MigrationUnknown(ILogger logger, int version, string name, string database);
}
