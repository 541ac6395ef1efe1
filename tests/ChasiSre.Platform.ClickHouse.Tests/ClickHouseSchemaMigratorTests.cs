using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChasiSre.Platform.ClickHouse.Tests;

public sealed class ClickHouseSchemaMigratorTests(ChDbFixture chdb)
{
    private static readonly string[] BaseTables = ["actions", "diagnoses", "incidents", "k8s_events", "logs", "objects", "replay_diagnoses", "replay_incidents", "replays", "schema_migrations", "signals"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero));

    [Fact]
    public async Task MigrateAsync_FreshDatabase_AppliesEverythingOnceThenNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = chdb.NewDatabase("migrate");
        var migrator = Migrator();

        var first = await migrator.MigrateAsync(database, SchemaMigration.Embedded, ct);
        var second = await migrator.MigrateAsync(database, SchemaMigration.Embedded, ct);

        Assert.Equal(SchemaMigration.Embedded.Select(m => m.Version), first.Applied.Select(m => m.Version));
        Assert.Empty(second.Applied);
        Assert.Equal(SchemaMigration.Embedded[^1].Version, second.CurrentVersion);

        var tables = await chdb.Store.QueryAsync($"SELECT name FROM system.tables WHERE database = '{database}' ORDER BY name", ct);
        Assert.Equal(BaseTables, tables.Select(r => r.Get<string>("name")));

        var log = await chdb.Store.QueryAsync($"SELECT version, name, checksum, applied_at FROM {database}.schema_migrations ORDER BY version", ct);
        Assert.Equal(SchemaMigration.Embedded.Count, log.Count);
        var row = log[0];
        Assert.Equal(1u, row["version"]);
        Assert.Equal("base_tables", row["name"]);
        Assert.Equal(SchemaMigration.Embedded[0].Checksum, row["checksum"]);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, row["applied_at"]);
    }

    [Fact]
    public async Task MigrateAsync_AppliedMigrationEdited_ThrowsAndAppliesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = chdb.NewDatabase("tampered");
        var migrator = Migrator();
        await migrator.MigrateAsync(database, SchemaMigration.Embedded, ct);
        var edited = SchemaMigration.Embedded[0] with { Sql = SchemaMigration.Embedded[0].Sql + "\n-- edited after release\n" };
        var next = SchemaMigration.FromFile("0002_extra.sql", "CREATE TABLE IF NOT EXISTS ${database}.extra (a UInt8) ENGINE = MergeTree ORDER BY a;");

        var exception = await Assert.ThrowsAsync<SchemaMigrationException>(() => migrator.MigrateAsync(database, [edited, next], ct));

        Assert.Contains("0001_base_tables", exception.Message, StringComparison.Ordinal);
        Assert.Contains(SchemaMigration.Embedded[0].Checksum, exception.Message, StringComparison.Ordinal);
        var extra = await chdb.Store.QueryAsync($"SELECT count() AS n FROM system.tables WHERE database = '{database}' AND name = 'extra'", ct);
        Assert.Equal(0ul, extra[0]["n"]);
    }

    [Fact]
    public async Task MigrateAsync_RecordedChecksumTampered_Throws()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = chdb.NewDatabase("tampered_log");
        var migrator = Migrator();
        await migrator.MigrateAsync(database, SchemaMigration.Embedded, ct);
        await chdb.Store.InsertAsync(
            $"{database}.schema_migrations",
            ["version", "name", "checksum", "applied_at"],
            [[1u, "base_tables", new string('0', 64), DateTime.UtcNow]],
            ct);

        await Assert.ThrowsAsync<SchemaMigrationException>(() => migrator.MigrateAsync(database, SchemaMigration.Embedded, ct));
    }

    [Fact]
    public async Task MigrateAsync_NewMigrationAdded_AppliesOnlyTheNewOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = chdb.NewDatabase("incremental");
        var migrator = Migrator();
        await migrator.MigrateAsync(database, SchemaMigration.Embedded, ct);
        var version = SchemaMigration.Embedded[^1].Version + 1;
        var next = SchemaMigration.FromFile(
            $"{version:D4}_incident_owner.sql",
            "ALTER TABLE ${database}.incidents ADD COLUMN IF NOT EXISTS owner LowCardinality(String) DEFAULT '';\r\n");

        var report = await migrator.MigrateAsync(database, [.. SchemaMigration.Embedded, next], ct);

        Assert.Equal([version], report.Applied.Select(m => m.Version));
        Assert.Equal(version, report.CurrentVersion);
        var columns = await chdb.Store.QueryAsync($"SELECT name FROM system.columns WHERE database = '{database}' AND table = 'incidents' AND name = 'owner'", ct);
        Assert.Single(columns);
    }

    [Fact]
    public async Task MigrateAsync_DefaultOptions_UsesConfiguredDatabase()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = chdb.Options();
        options.Database = chdb.NewDatabase("configured");
        var migrator = new ClickHouseSchemaMigrator(chdb.Store, Microsoft.Extensions.Options.Options.Create(options), _time, NullLogger<ClickHouseSchemaMigrator>.Instance);

        var report = await migrator.MigrateAsync(ct);

        Assert.Equal(options.Database, report.Database);
        Assert.NotEmpty(report.Applied);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseNotAnIdentifier_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Migrator().MigrateAsync("chasi; DROP DATABASE x", SchemaMigration.Embedded, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EveryMigrationStatement_ParsesWithTheClickHouseParser()
    {
        // chDB is the ClickHouse server's own parser: a statement that passes EXPLAIN AST here parses on a server too.
        var ct = TestContext.Current.CancellationToken;
        var statements = SchemaMigration.Embedded.SelectMany(m => m.StatementsFor("chasi").Select(s => (Migration: m, Statement: s))).ToList();
        Assert.NotEmpty(statements);

        foreach (var (migration, statement) in statements)
        {
            Assert.DoesNotContain(SchemaMigration.DatabasePlaceholder, statement, StringComparison.Ordinal);
            var exception = await Record.ExceptionAsync(() => chdb.Store.QueryAsync("EXPLAIN AST " + statement, ct));
            Assert.True(exception is null, $"{migration.Version:D4}_{migration.Name}: {exception?.Message}\n{statement}");
        }
    }

    [Fact]
    public void Embedded_FirstMigration_CreatesTheBaseTablesWithTenantFirstOrderBy()
    {
        var first = SchemaMigration.Embedded[0];
        var statements = first.StatementsFor("chasi");

        Assert.Equal(1, first.Version);
        Assert.Equal("base_tables", first.Name);
        Assert.Equal(6, statements.Count);
        Assert.All(statements.Skip(1), s => Assert.Contains("ORDER BY (tenant,", s, StringComparison.Ordinal));
        Assert.All(statements.Skip(1), s => Assert.Contains("TTL ", s, StringComparison.Ordinal));
    }

    private ClickHouseSchemaMigrator Migrator() =>
        new(chdb.Store, Microsoft.Extensions.Options.Options.Create(chdb.Options()), _time, NullLogger<ClickHouseSchemaMigrator>.Instance);
}
