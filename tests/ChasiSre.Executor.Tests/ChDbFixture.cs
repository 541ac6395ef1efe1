using ChasiSre.Executor.Tests;
using ChasiSre.Platform.ClickHouse;
using Microsoft.Extensions.Logging.Abstractions;

[assembly: AssemblyFixture(typeof(ChDbFixture))]

namespace ChasiSre.Executor.Tests;

/// <summary>
/// The real chDB engine, once per test process (chDB allows one data path per process); each test migrates a database
/// of its own. Fails (does not skip) when libchdb.so is missing: run eng/setup.sh.
/// </summary>
public sealed class ChDbFixture : IAsyncLifetime
{
    private readonly List<string> databases = [];
    private readonly Lock gate = new();

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "chasisre-executor-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public ChDbStore Store { get; private set; } = null!;

    public ClickHouseOptions Options(string database) =>
        new() { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = DataPath, Database = database };

    public async Task<string> MigratedDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = $"executor_{Guid.NewGuid():N}";
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
