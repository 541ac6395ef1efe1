using ChasiSre.Platform.ClickHouse;
using ChasiSre.Streams.Store.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

[assembly: AssemblyFixture(typeof(ChDbFixture))]

namespace ChasiSre.Streams.Store.Tests;

/// <summary>
/// The real chDB engine, once per test process (chDB allows one data path per process): tests
/// isolate themselves with a migrated database each. Fails (does not skip) when libchdb.so is missing.
/// </summary>
public sealed class ChDbFixture : IAsyncLifetime
{
    private readonly List<string> databases = [];
    private readonly Lock gate = new();

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "chasisre-store-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public ChDbStore Store { get; private set; } = null!;

    public ClickHouseOptions Options(string database) =>
        new() { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = DataPath, Database = database };

    /// <summary>A new database with every migration applied, dropped when the run ends.</summary>
    public async Task<string> MigratedDatabaseAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        lock (gate)
        {
            databases.Add(name);
        }

        var migrator = new ClickHouseSchemaMigrator(Store, Microsoft.Extensions.Options.Options.Create(Options(name)), TimeProvider.System, NullLogger<ClickHouseSchemaMigrator>.Instance);
        await migrator.MigrateAsync(cancellationToken);
        return name;
    }

    public async ValueTask InitializeAsync()
    {
        if (!ChDbLibrary.TryLoad(out _, out var problem))
        {
            throw new InvalidOperationException($"These tests need the real chDB engine: {problem}");
        }

        Store = new ChDbStore(Microsoft.Extensions.Options.Options.Create(Options("chasi")), NullLogger<ChDbStore>.Instance);
        await Store.QueryAsync("SELECT 1 AS one", TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        string[] names;
        lock (gate)
        {
            names = [.. databases];
        }

        foreach (var name in names)
        {
            await Store.ExecuteAsync($"DROP DATABASE IF EXISTS {name} SYNC", CancellationToken.None);
        }
    }
}
