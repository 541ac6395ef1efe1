using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.ClickHouse.Tests;

/// <summary>
/// ClickHouseServerStore end to end through the official driver over real HTTP, against
/// <see cref="FakeClickHouseHttpServer"/> which runs the statements in chDB.
/// </summary>
public sealed class ClickHouseServerStoreTests(ChDbFixture chdb) : IAsyncLifetime
{
    private FakeClickHouseHttpServer _server = null!;
    private ClickHouseServerStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeClickHouseHttpServer.StartAsync(chdb.DataPath, TestContext.Current.CancellationToken);
        _store = new ClickHouseServerStore(
            Options.Create(new ClickHouseOptions { Backend = ClickHouseBackend.Server, ServerConnectionString = _server.ConnectionString, InsertBatchSize = 1_000 }),
            NullLogger<ClickHouseServerStore>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _store.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task InsertAsync_ThousandsOfRowsAsRowBinary_RoundTripExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = chdb.NewDatabase("server_roundtrip");
        await ChDbStoreTests.CreateRoundTripTableAsync(_store, database, ct);
        var expected = ChDbStoreTests.RoundTripRows(4_321).ToList();

        var inserted = await _store.InsertAsync($"{database}.rows", ChDbStoreTests.RoundTripColumns, expected, ct);
        var actual = await _store.QueryAsync($"SELECT {string.Join(", ", ChDbStoreTests.RoundTripColumns)} FROM {database}.rows ORDER BY id", ct);

        Assert.Equal(expected.Count, inserted);
        ChDbStoreTests.AssertRoundTrip(expected, actual);
        Assert.Contains(_server.Queries, q => q.Contains("FORMAT RowBinary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueryAsync_SameSqlOnBothBackends_SameRows()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Sql = "SELECT number AS n, toString(number) || '''s' AS s, toDateTime64(number, 3, 'UTC') AS ts, [number, 1] AS a FROM numbers(50)";

        var viaServer = await _store.QueryAsync(Sql, ct);
        var embedded = await chdb.Store.QueryAsync(Sql, ct);

        Assert.Equal(embedded.Columns, viaServer.Columns);
        Assert.Equal(embedded.Select(r => (r["n"], r["s"], r["ts"])), viaServer.Select(r => (r["n"], r["s"], r["ts"])));
    }

    [Fact]
    public async Task MigrateAsync_ThroughServerBackend_AppliesOnceThenNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = chdb.NewDatabase("server_migrate");
        var migrator = new ClickHouseSchemaMigrator(
            _store,
            Options.Create(new ClickHouseOptions { Backend = ClickHouseBackend.Server, ServerConnectionString = _server.ConnectionString, Database = database }),
            TimeProvider.System,
            NullLogger<ClickHouseSchemaMigrator>.Instance);

        var first = await migrator.MigrateAsync(ct);
        var second = await migrator.MigrateAsync(ct);

        Assert.NotEmpty(first.Applied);
        Assert.Empty(second.Applied);
        var tables = await chdb.Store.QueryAsync($"SELECT count() AS n FROM system.tables WHERE database = '{database}'", ct);
        Assert.Equal(11ul, tables[0]["n"]); // 0001: six tables; 0002: objects and logs; 0003: replays, replay_incidents, replay_diagnoses
    }

    [Fact]
    public async Task QueryAsync_InvalidSql_ThrowsWithClickHouseErrorCode()
    {
        var exception = await Assert.ThrowsAsync<ClickHouseStoreException>(() => _store.QueryAsync("SELEC 1", TestContext.Current.CancellationToken));

        Assert.Equal(62, exception.ErrorCode);
    }
}
