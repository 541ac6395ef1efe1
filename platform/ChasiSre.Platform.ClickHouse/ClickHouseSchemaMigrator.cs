using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// Applies the versioned SQL migrations (<see cref="SchemaMigration.Embedded"/>) to a database on either
/// backend, recording each in <c>&lt;database&gt;.schema_migrations</c> (version, name, checksum, applied_at).
/// </summary>
/// <remarks>
/// Idempotent: a second run applies nothing. An applied migration whose text changed is an error
/// (<see cref="SchemaMigrationException"/>): add a new migration instead of editing an applied one.
/// ClickHouse has no DDL transactions, so statements are written IF NOT EXISTS and a migration that
/// failed half way is rerun whole. Runs from several processes at once are harmless for the same
/// reason, and the log table deduplicates by version.
/// </remarks>
public sealed partial class ClickHouseSchemaMigrator
{
    public const string MigrationsTable = "schema_migrations";

    private readonly IClickHouseStore _store;
    private readonly ClickHouseOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ClickHouseSchemaMigrator> _logger;

    public ClickHouseSchemaMigrator(
        IClickHouseStore store,
        IOptions<ClickHouseOptions> options,
        TimeProvider timeProvider,
        ILogger<ClickHouseSchemaMigrator> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Applies the embedded migrations to <see cref="ClickHouseOptions.Database"/>.</summary>
    public Task<SchemaMigrationReport> MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateAsync(_options.Database, SchemaMigration.Embedded, cancellationToken);

    /// <summary>Applies <paramref name="migrations"/> to <paramref name="database"/>.</summary>
    public async Task<SchemaMigrationReport> MigrateAsync(string database, IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        if (database is null || !IdentifierPattern().IsMatch(database))
        {
            throw new ArgumentException($"Database '{database}' must be a plain identifier (letters, digits, underscore).", nameof(database));
        }

        var log = $"{database}.{MigrationsTable}";
        await _store.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {database}", cancellationToken).ConfigureAwait(false);
        await _store.ExecuteAsync(
            $"""
            CREATE TABLE IF NOT EXISTS {log}
            (
                version    UInt32,
                name       String,
                checksum   String,
                applied_at DateTime64(3, 'UTC')
            )
            ENGINE = ReplacingMergeTree
            ORDER BY version
            """,
            cancellationToken).ConfigureAwait(false);

        var applied = new Dictionary<int, (string Name, string Checksum)>();
        foreach (var row in await _store.QueryAsync($"SELECT version, name, checksum FROM {log} FINAL ORDER BY version", cancellationToken).ConfigureAwait(false))
        {
            applied[row.Get<int>("version")] = (row.Get<string>("name"), row.Get<string>("checksum"));
        }

        var known = migrations.ToDictionary(m => m.Version);
        foreach (var (version, record) in applied)
        {
            if (!known.TryGetValue(version, out var migration))
            {
                Log.MigrationUnknown(_logger, version, record.Name, database);
            }
            else if (!string.Equals(migration.Checksum, record.Checksum, StringComparison.OrdinalIgnoreCase))
            {
                Log.MigrationChecksumMismatch(_logger, version, migration.Name, database, record.Checksum, migration.Checksum);
                throw new SchemaMigrationException(
                    $"Migration {version:D4}_{migration.Name} was changed after it was applied to {database} " +
                    $"(recorded checksum {record.Checksum}, file now {migration.Checksum}). " +
                    "Restore the applied text and put the change in a new migration.");
            }
        }

        var appliedNow = new List<SchemaMigration>();
        foreach (var migration in migrations.OrderBy(m => m.Version).Where(m => !applied.ContainsKey(m.Version)))
        {
            var started = Stopwatch.GetTimestamp();
            foreach (var statement in migration.StatementsFor(database))
            {
                await _store.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            }

            await _store.InsertAsync(
                log,
                ["version", "name", "checksum", "applied_at"],
                [[(uint)migration.Version, migration.Name, migration.Checksum, _timeProvider.GetUtcNow().UtcDateTime]],
                cancellationToken).ConfigureAwait(false);
            appliedNow.Add(migration);
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Log.MigrationApplied(_logger, migration.Version, migration.Name, database, elapsedMs);
        }

        var current = applied.Keys.Concat(appliedNow.Select(m => m.Version)).DefaultIfEmpty(0).Max();
        Log.MigrationsDone(_logger, database, current, appliedNow.Count);
        return new SchemaMigrationReport(database, appliedNow, current);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex IdentifierPattern();
}
