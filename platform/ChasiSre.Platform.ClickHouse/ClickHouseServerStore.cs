using System.Diagnostics;
using ClickHouse.Driver;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// <see cref="IClickHouseStore"/> on a ClickHouse server over HTTP through the official ClickHouse.Driver;
/// inserts go as RowBinary batches (<c>InsertBinaryAsync</c>).
/// </summary>
public sealed class ClickHouseServerStore : IClickHouseStore, IDisposable
{
    private readonly ClickHouseClient _client;
    private readonly int _insertBatchSize;
    private readonly ILogger<ClickHouseServerStore> _logger;

    public ClickHouseServerStore(IOptions<ClickHouseOptions> options, ILogger<ClickHouseServerStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var value = options.Value;
        if (string.IsNullOrWhiteSpace(value.ServerConnectionString))
        {
            throw new ArgumentException($"{nameof(ClickHouseOptions.ServerConnectionString)} is required for the server backend.", nameof(options));
        }

        _client = new ClickHouseClient(value.ServerConnectionString);
        _insertBatchSize = value.InsertBatchSize;
        _logger = logger;
        Log.ServerStoreCreated(logger, _client.Settings.Host, _client.Settings.Port);
    }

    public ClickHouseBackend Backend => ClickHouseBackend.Server;

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Log.StatementSensitive(_logger, Backend, sql);
        try
        {
            await _client.ExecuteNonQueryAsync(sql, parameters: null, options: null, cancellationToken).ConfigureAwait(false);
        }
        catch (ClickHouseServerException exception)
        {
            throw Wrap(exception);
        }
    }

    public async Task<ClickHouseQueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Log.StatementSensitive(_logger, Backend, sql);

        // Same output format as chDB, so both backends return the same typed rows for the same SQL.
        var options = new QueryOptions
        {
            CustomSettings = new Dictionary<string, object> { ["default_format"] = JsonCompactResultReader.Format },
        };
        try
        {
            using var result = await _client.ExecuteRawResultAsync(sql, options, cancellationToken).ConfigureAwait(false);
            var output = await result.ReadAsByteArrayAsync().ConfigureAwait(false);
            return JsonCompactResultReader.Read(output);
        }
        catch (ClickHouseServerException exception)
        {
            throw Wrap(exception);
        }
    }

    public async Task<long> InsertAsync(string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var inserted = await _client.InsertBinaryAsync(
                table, columns, rows, new InsertOptions { BatchSize = _insertBatchSize }, cancellationToken).ConfigureAwait(false);
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Log.RowsInserted(_logger, inserted, table, Backend, elapsedMs);

            return inserted;
        }
        catch (ClickHouseServerException exception)
        {
            throw Wrap(exception);
        }
    }

    public void Dispose() => _client.Dispose();

    private static ClickHouseStoreException Wrap(ClickHouseServerException exception) =>
        new(exception.Message, exception.ErrorCode != 0 ? exception.ErrorCode : ClickHouseStoreException.ParseErrorCode(exception.Message), exception);
}
