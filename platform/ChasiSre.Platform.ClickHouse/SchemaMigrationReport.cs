namespace ChasiSre.Platform.ClickHouse;

/// <summary>What a migration run did.</summary>
/// <param name="Database">The database migrated.</param>
/// <param name="Applied">Migrations applied by this run, in order (empty when the database was up to date).</param>
/// <param name="CurrentVersion">The highest applied version after the run (0 when there are no migrations).</param>
public sealed record SchemaMigrationReport(string Database, IReadOnlyList<SchemaMigration> Applied, int CurrentVersion);
