using ChasiSre.Platform.ClickHouse;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Deploy.Tests;

/// <summary>
/// chDB filled the way production fills ClickHouse: <c>chasi scenario run ... --store DIR</c> replays scenarios through
/// the embedded Kafka, the Streamiz topology and the diagnosis, and the production ClickHouse sink writes objects,
/// events, logs, signals, incidents and diagnoses into the migrated tables. This process then opens the same data
/// directory with chDB (one data path per process).
/// </summary>
public sealed class ScenarioStoreFixture : IAsyncLifetime
{
    /// <summary>Host, vCluster and business layers, several tenants, resolved and open incidents.</summary>
    public static readonly string[] Scenarios =
    [
        "crashloop-db-auth-failed",
        "nodepressure-memory-evicts-three-tenants",
        "vcluster-admission-rejects-twin",
        "quota-exceeded-tenant-namespace",
        "business-degraded-orders",
    ];

    private readonly string dataPath = Directory.CreateTempSubdirectory("chasi-deploy-dashboards-").FullName;

    public ChDbStore Store { get; private set; } = null!;

    public string Database { get; } = new ClickHouseOptions().Database;

    public async ValueTask InitializeAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(8));
        var result = await ProcessRunner.ChasiAsync(timeout.Token, ["scenario", "run", .. Scenarios.Select(RepositoryLayout.Scenario), "--store", dataPath]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"chasi scenario run --store failed (exit {result.ExitCode}):\n{result.StdErr}\n{result.StdOut}");
        }

        if (!ChDbLibrary.TryLoad(out _, out var problem))
        {
            throw new InvalidOperationException($"The dashboard tests need the real chDB engine: {problem}");
        }

        Store = new ChDbStore(Options.Create(new ClickHouseOptions { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = dataPath }), NullLogger<ChDbStore>.Instance);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException)
        {
            // chDB of this process may still hold a file until it exits; the temp directory is cleaned by the OS.
        }

        return ValueTask.CompletedTask;
    }
}
