using System.Text.Json;
using ChasiSre.TestKit;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// An embedded ClickHouse data directory filled once per test class by <c>chasi scenario run --store</c> with two shared
/// examples: the crashloop in vCluster team-a (a virtual CrashLoop incident) and the host quota rejecting team-b's twin
/// (a host QuotaExceeded incident); both written by the production sink.
/// </summary>
public sealed class IncidentsStoreFixture : IAsyncLifetime
{
    public string Store { get; } = Directory.CreateTempSubdirectory("chasi-incidents-").FullName;

    /// <summary>Incident id by category, from the run's JSON.</summary>
    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    public async ValueTask InitializeAsync()
    {
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(
            new Dictionary<string, string>(),
            TestContext.Current.CancellationToken,
            "scenario", "run", SharedExamples.Example("crashloop-missing-env"), SharedExamples.Example("host-quota-rejects-twin"), "--store", Store, "--format", "json");
        if (exit != 0)
        {
            throw new InvalidOperationException($"chasi scenario run --store exited {exit}: {stderr}");
        }

        using var run = JsonDocument.Parse(stdout);
        foreach (var incident in run.RootElement.GetProperty("scenarios").EnumerateArray().SelectMany(s => s.GetProperty("incidents").EnumerateArray()))
        {
            Ids[incident.GetProperty("category").GetString()!] = incident.GetProperty("id").GetString()!;
        }
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
