using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// <see cref="IClickHouseStore"/> on chDB, the ClickHouse engine embedded in this process, persisting to
/// <see cref="ClickHouseOptions.EmbeddedDataPath"/>.
/// </summary>
/// <remarks>
/// All instances in a process share one chDB connection on one data path and run one statement at a
/// time; a second data path in the same process is refused. Statements cannot be cancelled once they
/// run (the token is honoured while waiting for the connection). Disposing a store leaves the shared
/// engine open for the life of the process.
/// </remarks>
public sealed class ChDbStore : IClickHouseStore
{
    /// <summary>Where insert batches are spooled for chDB, inside its data directory.</summary>
    internal const string SpoolDirectory = "chasi-insert-spool";

    private readonly ClickHouseOptions _options;
    private readonly ILogger<ChDbStore> _logger;
    private ChDbEngine? _engine;

    public ChDbStore(IOptions<ClickHouseOptions> options, ILogger<ChDbStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
    }

    public ClickHouseBackend Backend => ClickHouseBackend.Embedded;

    /// <summary>The chDB data directory in use (after the first statement), else the configured one.</summary>
    public string DataPath => _engine?.DataPath ?? Path.GetFullPath(_options.EmbeddedDataPath);

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Log.StatementSensitive(_logger, Backend, sql);
        await Engine().QueryAsync(sql, "TabSeparated", static _ => true, cancellationToken).ConfigureAwait(false);
    }

    public Task<ClickHouseQueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Log.StatementSensitive(_logger, Backend, sql);
        return Engine().QueryAsync(sql, JsonCompactResultReader.Format, JsonCompactResultReader.Read, cancellationToken);
    }

    public async Task<long> InsertAsync(string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (columns.Count == 0)
        {
            throw new ArgumentException("At least one column is required.", nameof(columns));
        }

        var engine = Engine();
        var started = Stopwatch.GetTimestamp();
        var spool = Path.Combine(engine.DataPath, SpoolDirectory);
        Directory.CreateDirectory(spool);
        var file = Path.Combine(spool, Guid.NewGuid().ToString("N") + ".jsonl");
        var statement = JsonCompactRowWriter.InsertFromFile(table, columns, file);
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using var writer = new JsonCompactRowWriter(buffer);
        long inserted = 0;
        var inBatch = 0;
        try
        {
            foreach (var row in rows)
            {
                if (row is null || row.Length != columns.Count)
                {
                    throw new ArgumentException(
                        $"Row {inserted + inBatch} has {row?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} values for {columns.Count} columns.", nameof(rows));
                }

                writer.WriteRow(row);
                if (++inBatch == _options.InsertBatchSize)
                {
                    await InsertBatchAsync(engine, file, statement, buffer, cancellationToken).ConfigureAwait(false);
                    inserted += inBatch;
                    inBatch = 0;
                }
            }

            if (inBatch > 0)
            {
                await InsertBatchAsync(engine, file, statement, buffer, cancellationToken).ConfigureAwait(false);
                inserted += inBatch;
            }
        }
        finally
        {
            File.Delete(file);
        }

        var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Log.RowsInserted(_logger, inserted, table, Backend, elapsedMs);

        return inserted;
    }

    /// <summary>Spools one batch to the file and inserts it from there (chDB parses a file several times faster than inline rows).</summary>
    private static async Task InsertBatchAsync(ChDbEngine engine, string file, string statement, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        await File.WriteAllBytesAsync(file, buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        buffer.ResetWrittenCount();
        await engine.QueryAsync(statement, "TabSeparated", static _ => true, cancellationToken).ConfigureAwait(false);
    }

    private ChDbEngine Engine()
    {
        if (_engine is { } engine)
        {
            return engine;
        }

        engine = ChDbEngine.OpenShared(_options.EmbeddedDataPath, out var created);
        if (created)
        {
            Log.ChDbOpened(_logger, ChDbLibrary.PinnedVersion, engine.LibraryPath, engine.DataPath);
        }

        _engine = engine;
        return engine;
    }
}
