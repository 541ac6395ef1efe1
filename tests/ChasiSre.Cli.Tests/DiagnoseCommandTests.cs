using System.Text.Json;
using ChasiSre.TestKit;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// <c>chasi diagnose</c> on what <c>chasi scenario run --store</c> wrote into an embedded ClickHouse through the
/// production sink: the incident and its evidence are read back from the tables, not from the replay.
/// </summary>
public sealed class DiagnoseCommandTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly string store = Directory.CreateTempSubdirectory("chasi-diagnose-").FullName;

    [Fact]
    public async Task Diagnose_IncidentStoredByScenarioRun_DiagnosedAgainFromClickHouse()
    {
        var ct = TestContext.Current.CancellationToken;
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "scenario", "run", SharedExamples.Example("crashloop-missing-env"), "--store", store, "--format", "json");
        Assert.True(exit == 0, stderr);
        Assert.Contains("stored", stderr, StringComparison.Ordinal);
        string id;
        using (var run = JsonDocument.Parse(stdout))
        {
            id = run.RootElement.GetProperty("scenarios")[0].GetProperty("incidents")[0].GetProperty("id").GetString()!;
        }

        (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "diagnose", id, "--store", store, "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var incident = json.RootElement;
        Assert.Equal(id, incident.GetProperty("id").GetString());
        // Events, logs and objects came back from the sink's tables (scenario times are months old: no TTL dropped them).
        var evidence = incident.GetProperty("evidence").GetString()!;
        Assert.Contains("## logs", evidence, StringComparison.Ordinal);
        Assert.Contains("## events", evidence, StringComparison.Ordinal);
        Assert.Contains("## objects", evidence, StringComparison.Ordinal);
        var diagnosis = incident.GetProperty("diagnosis");
        Assert.Contains("DEPLOY_ENV is not set", diagnosis.GetProperty("rootCause").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(diagnosis.GetProperty("citations").EnumerateArray());
    }

    [Theory]
    [InlineData("inc-0000", 1)]
    [InlineData("inc-1' OR '1'='1", 2)]
    public async Task Diagnose_UnknownOrMalformedId_ExitsWithItsCode(string id, int expected)
    {
        var (exit, _, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "diagnose", id, "--store", store);

        Assert.Equal(expected, exit);
        Assert.Contains(expected == 1 ? "no incident" : "is not an incident id", stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(store, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: chDB of the child process is gone, but a slow file system may still hold a file.
        }
    }
}
