using System.Text.Json;
using ChasiSre.TestKit;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// An embedded ClickHouse data directory that <c>chasi scenario run --store</c> filled once per test class with the
/// shared crashloop example (production tables: objects, events, logs, signals, one incident and its diagnosis).
/// </summary>
public sealed class ReplayStoreFixture : IAsyncLifetime
{
    public string Store { get; } = Directory.CreateTempSubdirectory("chasi-replay-").FullName;

    /// <summary>The incident the scenario run stored.</summary>
    public string ProductionId { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(
            new Dictionary<string, string>(), TestContext.Current.CancellationToken, "scenario", "run", SharedExamples.Example("crashloop-missing-env"), "--store", Store, "--format", "json");
        if (exit != 0)
        {
            throw new InvalidOperationException($"chasi scenario run --store exited {exit}: {stderr}");
        }

        using var run = JsonDocument.Parse(stdout);
        ProductionId = run.RootElement.GetProperty("scenarios")[0].GetProperty("incidents")[0].GetProperty("id").GetString()!;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Store, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the child processes' chDB is gone, but a slow file system may still hold a file.
        }

        return ValueTask.CompletedTask;
    }
}
