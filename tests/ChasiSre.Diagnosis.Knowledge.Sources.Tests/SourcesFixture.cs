using System.Globalization;
using ChasiSre.Diagnosis.Knowledge.Sources.Tests;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Inference;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

[assembly: AssemblyFixture(typeof(SourcesFixture))]

namespace ChasiSre.Diagnosis.Knowledge.Sources.Tests;

/// <summary>
/// The real parts, once per test assembly: the MiniLM encoder and the chDB engine (one data path per process). Every
/// test gets its own migrated database. Fails (does not skip) when libchdb.so is missing.
/// </summary>
public sealed class SourcesFixture : IAsyncLifetime
{
    private readonly List<string> databases = [];

    public MiniLmEmbeddingGenerator Embeddings { get; } = new(new MiniLmOptions { IntraOpThreads = 2 });

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "chasisre-kb-sources-tests", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    public ChDbStore Store { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        if (!ChDbLibrary.TryLoad(out _, out var problem))
        {
            throw new InvalidOperationException($"These tests need the real chDB engine: {problem}");
        }

        Store = new ChDbStore(Options.Create(new ClickHouseOptions { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = DataPath }), NullLogger<ChDbStore>.Instance);
        return ValueTask.CompletedTask;
    }

    /// <summary>A fresh database with the production migrations applied.</summary>
    public async Task<ClickHouseOptions> NewDatabaseAsync(CancellationToken cancellationToken)
    {
        var options = new ClickHouseOptions { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = DataPath, Database = $"kbsrc_{Guid.NewGuid():N}" };
        lock (databases)
        {
            databases.Add(options.Database);
        }

        await new ClickHouseSchemaMigrator(Store, Options.Create(options), TimeProvider.System, NullLogger<ClickHouseSchemaMigrator>.Instance).MigrateAsync(cancellationToken);
        return options;
    }

    public async Task<KnowledgeBase> OpenKnowledgeBaseAsync(string? directory, CancellationToken cancellationToken) =>
        await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions { DataDirectory = directory }, Embeddings, cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var database in databases)
        {
            await Store.ExecuteAsync($"DROP DATABASE IF EXISTS {database} SYNC", CancellationToken.None);
        }

        Embeddings.Dispose();
    }
}
