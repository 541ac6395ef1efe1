using System.Globalization;

namespace ChasiSre.Platform.ClickHouse.Tests;

public sealed class ChDbStoreTests(ChDbFixture chdb)
{
    internal static readonly string[] TrickyStrings =
    [
        "",
        "plain",
        "it's a 'quoted' \"string\"",
        "back\\slash \\n not a newline, `backtick`",
        "line one\nline two\r\ntab\there",
        "emoji 🚀🔥 and CJK 集群故障 and Ünïcödé",
        "combining e\u0301 and zero\u200Bwidth",
        "semicolon; -- not a comment /* nor this */",
        "{\"json\": [1, 2, {\"nested\": \"va'lue\"}]}",
        "control \u0001\u001f chars",
    ];

    [Fact]
    public async Task InsertAsync_ThousandsOfRows_RoundTripExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = chdb.NewDatabase("roundtrip");
        var store = chdb.CreateStore(insertBatchSize: 1_000);
        await CreateRoundTripTableAsync(store, database, ct);
        var expected = RoundTripRows(4_321).ToList();

        var inserted = await store.InsertAsync($"{database}.rows", RoundTripColumns, expected, ct);
        var actual = await store.QueryAsync($"SELECT {string.Join(", ", RoundTripColumns)} FROM {database}.rows ORDER BY id", ct);

        Assert.Equal(expected.Count, inserted);
        AssertRoundTrip(expected, actual);
    }

    [Fact]
    public async Task QueryAsync_ValuesAreTypedFromColumnTypes()
    {
        var ct = TestContext.Current.CancellationToken;

        var result = await chdb.Store.QueryAsync(
            """
            SELECT
                toUInt64(18446744073709551615) AS u64, toInt64(-9223372036854775808) AS i64, toInt32(-7) AS i32,
                toUInt8(200) AS u8, 1.5::Float64 AS f64, toDecimal64(12.345, 3) AS dec, true AS flag,
                'x' AS s, toLowCardinality('lc') AS lc, CAST('b', 'Enum8(\'a\' = 1, \'b\' = 2)') AS e,
                toUUID('6f1c3b2a-1d2e-4f50-8a9b-0c1d2e3f4a5b') AS id, toDate('2024-02-29') AS d,
                toDateTime64('2024-02-29 23:59:58.123456', 6, 'UTC') AS ts6,
                toDateTime('2024-07-01 12:00:00', 'Europe/Berlin') AS berlin,
                [1, 2, 3]::Array(UInt16) AS arr, map('k', [NULL, 'v']) AS m, tuple(1, 'a') AS tup,
                NULL::Nullable(String) AS missing, nan AS not_a_number
            """,
            ct);

        var row = Assert.Single(result);
        Assert.Equal(ulong.MaxValue, row["u64"]);
        Assert.Equal(long.MinValue, row["i64"]);
        Assert.Equal(-7, row["i32"]);
        Assert.Equal((byte)200, row["u8"]);
        Assert.Equal(1.5, row["f64"]);
        Assert.Equal(12.345m, row["dec"]);
        Assert.Equal(true, row["flag"]);
        Assert.Equal("x", row["s"]);
        Assert.Equal("lc", row["lc"]);
        Assert.Equal("b", row["e"]);
        Assert.Equal(Guid.Parse("6f1c3b2a-1d2e-4f50-8a9b-0c1d2e3f4a5b"), row["id"]);
        Assert.Equal(new DateOnly(2024, 2, 29), row["d"]);
        Assert.Equal(new DateTime(2024, 2, 29, 23, 59, 58, DateTimeKind.Utc).AddTicks(1_234_560), row["ts6"]);
        Assert.Equal(new DateTime(2024, 7, 1, 10, 0, 0, DateTimeKind.Utc), row["berlin"]);
        Assert.Equal(new object?[] { (ushort)1, (ushort)2, (ushort)3 }, row["arr"]);
        var map = Assert.IsType<Dictionary<string, object?>>(row["m"]);
        Assert.Equal(new object?[] { null, "v" }, map["k"]);
        Assert.Equal(new object?[] { (byte)1, "a" }, row["tup"]);
        Assert.Null(row["missing"]);
        Assert.True(row.IsNull("missing"));
        Assert.True(double.IsNaN(row.Get<double>("not_a_number")));
        Assert.Equal(200L, row.Get<long>("u8"));
        Assert.Equal(DateTimeKind.Utc, row.Get<DateTime>("ts6").Kind);
        Assert.Equal(["u64", "i64"], result.Columns.Take(2).Select(c => c.Name));
        Assert.Equal("DateTime64(6, 'UTC')", result.Columns.Single(c => c.Name == "ts6").Type);
    }

    [Fact]
    public async Task QueryAsync_NoRows_ReturnsColumnsAndNoRows()
    {
        var result = await chdb.Store.QueryAsync("SELECT number AS n FROM numbers(10) WHERE n > 100", TestContext.Current.CancellationToken);

        Assert.Empty(result);
        Assert.Equal("n", Assert.Single(result.Columns).Name);
    }

    [Fact]
    public async Task QueryAsync_InvalidSql_ThrowsWithClickHouseErrorCode()
    {
        var exception = await Assert.ThrowsAsync<ClickHouseStoreException>(
            () => chdb.Store.QueryAsync("SELEC 1", TestContext.Current.CancellationToken));

        Assert.Equal(62, exception.ErrorCode);
        Assert.Contains("SYNTAX_ERROR", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownTable_ThrowsWithClickHouseErrorCode()
    {
        var exception = await Assert.ThrowsAsync<ClickHouseStoreException>(
            () => chdb.Store.ExecuteAsync($"INSERT INTO {chdb.NewDatabase("missing")}.nowhere VALUES (1)", TestContext.Current.CancellationToken));

        Assert.True(exception.ErrorCode is 60 or 81, exception.Message);
    }

    [Fact]
    public async Task QueryAsync_ManyConcurrentCallers_AllGetTheirOwnAnswer()
    {
        var ct = TestContext.Current.CancellationToken;
        var stores = Enumerable.Range(0, 4).Select(_ => chdb.CreateStore()).ToArray();

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var result = await stores[i % stores.Length].QueryAsync($"SELECT sum(number) AS s FROM numbers({i * 1000})", ct);
            return (i, result[0].Get<long>("s"));
        }));

        Assert.All(answers, a => Assert.Equal((long)(a.i * 1000) * ((a.i * 1000) - 1) / 2, a.Item2));
    }

    [Fact]
    public async Task QueryAsync_CanceledBeforeStart_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => chdb.Store.QueryAsync("SELECT 1", cancellation.Token));
    }

    [Fact]
    public async Task AnyStatement_SecondDataPathInProcess_IsRefusedWithAnExplanation()
    {
        await chdb.Store.QueryAsync("SELECT 1", TestContext.Current.CancellationToken);
        var options = chdb.Options();
        options.EmbeddedDataPath = Path.Combine(Path.GetTempPath(), "chasisre-other-" + Guid.NewGuid().ToString("N"));
        var other = new ChDbStore(Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<ChDbStore>.Instance);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => other.QueryAsync("SELECT 1", TestContext.Current.CancellationToken));

        Assert.Contains("one data path per process", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_DropSync_Completes()
    {
        // chDB 26.5 hangs on DROP ... SYNC when its data path started without metadata/ (see ChDbEngine).
        var ct = TestContext.Current.CancellationToken;
        var database = chdb.NewDatabase("drop_sync");
        await chdb.Store.ExecuteAsync($"CREATE DATABASE {database}", ct);
        await chdb.Store.ExecuteAsync($"CREATE TABLE {database}.t (a UInt8) ENGINE = MergeTree ORDER BY a", ct);
        await chdb.Store.InsertAsync($"{database}.t", ["a"], [[1]], ct);

        await chdb.Store.ExecuteAsync($"DROP TABLE {database}.t SYNC", ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        await chdb.Store.ExecuteAsync($"DROP DATABASE {database} SYNC", ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [Fact]
    public async Task InsertAsync_RowWithWrongWidth_Throws()
    {
        var database = chdb.NewDatabase("width");
        await chdb.Store.ExecuteAsync($"CREATE DATABASE {database}", TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ArgumentException>(() => chdb.Store.InsertAsync($"{database}.t", ["a", "b"], [[1]], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task InsertAsync_IncidentsThroughMigratedSchema_LatestVersionWinsWithFinal()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = chdb.NewDatabase("incidents");
        await new ClickHouseSchemaMigrator(
                chdb.Store,
                Microsoft.Extensions.Options.Options.Create(chdb.Options()),
                TimeProvider.System,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<ClickHouseSchemaMigrator>.Instance)
            .MigrateAsync(database, SchemaMigration.Embedded, ct);
        // Recent enough to be inside the table's TTL, whole milliseconds like DateTime64(3).
        var now = DateTime.UtcNow;
        var opened = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, now.Millisecond, DateTimeKind.Utc).AddDays(-1);
        string[] columns = ["incident_id", "version", "opened_at", "ts", "resolved_at", "tenant", "cluster", "layer", "kind", "namespace", "name", "status", "severity", "title", "signal_ids", "payload"];
        object?[] Version(ulong version, string status, DateTime? resolved) =>
            ["inc-1", version, opened, opened.AddMinutes(version), resolved, "tenant-a", "host", "VIRTUAL", "Pod", "shop", "cart-0", status, "CRITICAL", "CrashLoopBackOff in 'cart'", new[] { "sig-1", "sig-2" }, "{\"title\":\"it's \\\"bad\\\"\"}"];

        await chdb.Store.InsertAsync($"{database}.incidents", columns, [Version(1, "OPEN", null)], ct);
        await chdb.Store.InsertAsync($"{database}.incidents", columns, [Version(2, "RESOLVED", opened.AddHours(1))], ct);
        var result = await chdb.Store.QueryAsync($"SELECT incident_id, status, resolved_at, signal_ids, payload, ingested_at FROM {database}.incidents FINAL WHERE tenant = 'tenant-a'", ct);

        var row = Assert.Single(result);
        Assert.Equal("RESOLVED", row["status"]);
        Assert.Equal(opened.AddHours(1), row["resolved_at"]);
        Assert.Equal(new object?[] { "sig-1", "sig-2" }, row["signal_ids"]);
        Assert.Equal("{\"title\":\"it's \\\"bad\\\"\"}", row["payload"]);
        Assert.True(row.Get<DateTime>("ingested_at") > opened);
    }

    internal static readonly string[] RoundTripColumns = ["id", "ts", "day", "name", "tags", "labels", "amount", "score", "ok", "uid", "maybe"];

    internal static Task CreateRoundTripTableAsync(IClickHouseStore store, string database, CancellationToken cancellationToken) =>
        CreateAsync(store, database, cancellationToken);

    internal static IEnumerable<object?[]> RoundTripRows(int count)
    {
        var start = new DateTime(2024, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc);
        for (var i = 0; i < count; i++)
        {
            var text = TrickyStrings[i % TrickyStrings.Length] + " #" + i.ToString(CultureInfo.InvariantCulture);
            yield return
            [
                (uint)i,
                start.AddMilliseconds(i * 1_001L),
                DateOnly.FromDateTime(start).AddDays(i % 400),
                text,
                new[] { "a", TrickyStrings[(i + 3) % TrickyStrings.Length] },
                new Dictionary<string, string> { ["k"] = text, ["layer"] = "VIRTUAL" },
                -1_000_000_000_000L * (i % 7),
                i / 8.0,
                i % 2 == 0,
                new Guid(i, 1, 2, [3, 4, 5, 6, 7, 8, 9, 10]),
                i % 3 == 0 ? null : (long?)i,
            ];
        }
    }

    internal static void AssertRoundTrip(IReadOnlyList<object?[]> expected, ClickHouseQueryResult actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var got = actual[i];
            Assert.Equal(want[0], got["id"]);
            Assert.Equal(want[1], got["ts"]);
            Assert.Equal(DateTimeKind.Utc, got.Get<DateTime>("ts").Kind);
            Assert.Equal(want[2], got["day"]);
            Assert.Equal(want[3], got["name"]);
            Assert.Equal(((string[])want[4]!).Cast<object?>().ToArray(), got["tags"]);
            Assert.Equal(((Dictionary<string, string>)want[5]!).ToDictionary(kv => kv.Key, kv => (object?)kv.Value), got["labels"]);
            Assert.Equal(want[6], got["amount"]);
            Assert.Equal(want[7], got["score"]);
            Assert.Equal(want[8], got["ok"]);
            Assert.Equal(want[9], got["uid"]);
            Assert.Equal(want[10], got["maybe"]);
        }
    }

    private static async Task CreateAsync(IClickHouseStore store, string database, CancellationToken cancellationToken)
    {
        await store.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {database}", cancellationToken);
        await store.ExecuteAsync(
            $"""
            CREATE TABLE {database}.rows
            (
                id UInt32, ts DateTime64(3, 'UTC'), day Date, name String, tags Array(String),
                labels Map(LowCardinality(String), String), amount Int64, score Float64, ok Bool,
                uid UUID, maybe Nullable(Int64)
            )
            ENGINE = MergeTree ORDER BY id
            """,
            cancellationToken);
    }
}
