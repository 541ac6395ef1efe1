using System.Text.Json;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// <c>chasi replay</c> on what <c>chasi scenario run --store</c> wrote into an embedded ClickHouse: the stored objects,
/// events and logs of the example's window go through the real detection topology (embedded Kafka) and the diagnosis
/// again, into the replay tables, and are compared with the production incidents of the window.
/// </summary>
public sealed class ReplayCommandTests(ReplayStoreFixture fixture) : IClassFixture<ReplayStoreFixture>
{
    private const string From = "2026-03-01T10:00:00Z";
    private const string To = "2026-03-01T11:00:00Z";
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly string store = fixture.Store;
    private readonly string productionId = fixture.ProductionId;

    [Fact]
    public async Task Replay_StoredExampleWindow_ReproducesIncidentMatchedWithProductionAndLeavesProductionAlone()
    {
        var ct = TestContext.Current.CancellationToken;
        var productionBefore = await ProductionAsync(ct);

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "replay", "--from", From, "--to", To, "--store", store, "--label", "rules-v2", "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var report = json.RootElement;
        var replayId = report.GetProperty("replayId").GetString()!;
        Assert.StartsWith("rpl-", replayId, StringComparison.Ordinal);
        Assert.Equal("rules-v2", report.GetProperty("label").GetString());
        var input = report.GetProperty("input");
        Assert.True(input.GetProperty("objects").GetInt32() > 0);
        Assert.True(input.GetProperty("events").GetInt32() > 0);
        Assert.True(input.GetProperty("logs").GetInt32() > 0);
        Assert.Equal(0, input.GetProperty("initialObjects").GetInt32()); // nothing was stored before the scenario started
        Assert.Equal(1, report.GetProperty("byCategory").GetProperty("CrashLoop").GetInt32());
        var incident = Assert.Single(report.GetProperty("incidents").EnumerateArray());
        Assert.Equal("CrashLoop", incident.GetProperty("category").GetString());
        Assert.Equal("checkout", incident.GetProperty("subject").GetProperty("name").GetString());
        Assert.Equal(productionId, incident.GetProperty("productionIncidentId").GetString());
        Assert.Contains("DEPLOY_ENV is not set", incident.GetProperty("diagnosis").GetProperty("rootCause").GetString(), StringComparison.Ordinal);
        var comparison = report.GetProperty("comparison");
        Assert.Equal((1, 0, 0), (comparison.GetProperty("matched").GetInt32(), comparison.GetProperty("onlyInReplay").GetInt32(), comparison.GetProperty("onlyInProduction").GetInt32()));

        // The replay's incident and diagnosis are in replay_incidents and replay_diagnoses, under its replay id.
        var replayIncidentId = incident.GetProperty("id").GetString()!;
        (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "incidents", "list", "--store", store, "--replay", replayId, "--format", "json");
        Assert.True(exit == 0, stderr);
        using (var list = JsonDocument.Parse(stdout))
        {
            var stored = Assert.Single(list.RootElement.GetProperty("incidents").EnumerateArray());
            Assert.Equal(replayIncidentId, stored.GetProperty("id").GetString());
            Assert.Equal("CrashLoop", stored.GetProperty("category").GetString());
        }

        (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "incidents", "show", replayIncidentId, "--store", store, "--replay", replayId, "--format", "json");
        Assert.True(exit == 0, stderr);
        using (var shown = JsonDocument.Parse(stdout))
        {
            Assert.Contains("DEPLOY_ENV is not set", shown.RootElement.GetProperty("diagnosis").GetProperty("rootCause").GetString(), StringComparison.Ordinal);
        }

        // An unknown replay id finds nothing there.
        (exit, _, _) = await ChasiProcess.RunAsync(NoEnvironment, ct, "incidents", "show", replayIncidentId, "--store", store, "--replay", "rpl-unknown");
        Assert.Equal(1, exit);

        // The production incidents and diagnoses are as they were.
        Assert.Equal(productionBefore, await ProductionAsync(ct));
    }

    [Fact]
    public async Task Replay_DetectorsOnly_IncidentWithoutDiagnosisOnUnchangedRawData()
    {
        var ct = TestContext.Current.CancellationToken;
        var productionBefore = await ProductionAsync(ct);
        var first = await DetectorsOnlyAsync(ct);
        var second = await DetectorsOnlyAsync(ct);

        using var json = JsonDocument.Parse(first);
        var report = json.RootElement;
        Assert.True(report.GetProperty("detectorsOnly").GetBoolean());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("diagnosis").ValueKind);
        var incident = Assert.Single(report.GetProperty("incidents").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("diagnosis").ValueKind);
        Assert.Equal(productionId, incident.GetProperty("productionIncidentId").GetString());
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(
            NoEnvironment, ct, "incidents", "show", incident.GetProperty("id").GetString()!, "--store", store, "--replay", report.GetProperty("replayId").GetString()!, "--format", "json");
        Assert.True(exit == 0, stderr);
        using (var shown = JsonDocument.Parse(stdout))
        {
            Assert.Equal(JsonValueKind.Null, shown.RootElement.GetProperty("diagnosis").ValueKind);
        }

        // A replay reads the raw tables and writes none of them: the second replay read exactly what the first did.
        using var again = JsonDocument.Parse(second);
        Assert.Equal(report.GetProperty("input").GetRawText(), again.RootElement.GetProperty("input").GetRawText());
        Assert.NotEqual(report.GetProperty("replayId").GetString(), again.RootElement.GetProperty("replayId").GetString());
        Assert.Equal(productionBefore, await ProductionAsync(ct));
    }

    [Fact]
    public async Task Replay_WindowBeforeAnyData_NoIncidentsNothingToCompare()
    {
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(
            NoEnvironment, TestContext.Current.CancellationToken, "replay", "--from", "2026-03-01T08:00:00Z", "--to", "2026-03-01T09:00:00Z", "--store", store, "--detectors-only");

        Assert.True(exit == 0, stderr);
        Assert.Contains("no incidents", stdout, StringComparison.Ordinal);
        Assert.Contains("0 matched, 0 only in replay, 0 only in production", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from", "yesterday", "--to", To)]
    [InlineData("--from", To, "--to", From)]
    [InlineData("--from", From, "--to", "2026-02-30T00:00:00Z")]
    [InlineData("--from", From, "--label", "a b")]
    [InlineData("--to", To, "--detectors-only", "true")]
    public async Task Replay_InvalidInput_ExitsWith2(string option1, string value1, string option2, string value2)
    {
        string[] args = ["replay", "--store", store, option1, value1, option2, value2];
        if (!args.Contains("--to"))
        {
            args = [.. args, "--to", To];
        }

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, args);

        Assert.Equal(2, exit);
        Assert.StartsWith("chasi replay: ", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Replay_StoreWithNothingStored_Exits1()
    {
        var empty = Directory.CreateTempSubdirectory("chasi-replay-empty-").FullName;
        try
        {
            var (exit, _, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "replay", "--from", From, "--to", To, "--store", empty);

            Assert.Equal(1, exit);
            Assert.Contains("nothing stored there yet", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    private async Task<string> DetectorsOnlyAsync(CancellationToken ct)
    {
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "replay", "--from", From, "--to", To, "--store", store, "--detectors-only", "--format", "json");
        Assert.True(exit == 0, stderr);
        return stdout;
    }

    /// <summary>The production incidents (latest revisions) and the diagnosed incident, as the CLI reads them.</summary>
    private async Task<string> ProductionAsync(CancellationToken ct)
    {
        var (exit, list, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "incidents", "list", "--store", store, "--format", "json");
        Assert.True(exit == 0, stderr);
        (exit, var show, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "incidents", "show", productionId, "--store", store, "--format", "json");
        Assert.True(exit == 0, stderr);
        return list + show;
    }
}
