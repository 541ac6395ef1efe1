using System.Text.Json;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// <c>chasi incidents list|show</c> on what <c>chasi scenario run --store</c> wrote through the production sink into an
/// embedded ClickHouse: the incidents and diagnoses are read back from the tables, in the HTTP API's JSON shape.
/// </summary>
public sealed class IncidentsCommandTests(IncidentsStoreFixture fixture) : IClassFixture<IncidentsStoreFixture>
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task List_StoredScenarios_EveryIncidentNewestFirstInTheApiShape()
    {
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "incidents", "list", "--store", fixture.Store, "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.False(json.RootElement.GetProperty("truncated").GetBoolean());
        var incidents = json.RootElement.GetProperty("incidents").EnumerateArray().ToList();
        Assert.Equal(fixture.Ids.Values.Order(StringComparer.Ordinal), incidents.Select(i => i.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.True(incidents[0].GetProperty("openedAt").GetDateTimeOffset() >= incidents[1].GetProperty("openedAt").GetDateTimeOffset());
        var crashloop = incidents.Single(i => i.GetProperty("id").GetString() == fixture.Ids["CrashLoop"]);
        Assert.Equal("CrashLoop", crashloop.GetProperty("category").GetString());
        Assert.Equal("virtual", crashloop.GetProperty("layer").GetString());
        Assert.Equal("open", crashloop.GetProperty("state").GetString());
        Assert.Equal("team-a", crashloop.GetProperty("tenant").GetString());
        Assert.True(crashloop.GetProperty("revision").GetInt64() >= 1);
        var subject = crashloop.GetProperty("subject");
        Assert.Equal(("team-a", "Deployment", "shop", "checkout"), (subject.GetProperty("cluster").GetString(), subject.GetProperty("kind").GetString(), subject.GetProperty("namespace").GetString(), subject.GetProperty("name").GetString()));
        Assert.Equal("host", subject.GetProperty("hostCluster").GetString());
    }

    [Theory]
    [InlineData("--tenant team-a", "CrashLoop")]
    [InlineData("--tenant team-b", "QuotaExceeded")]
    [InlineData("--tenant team-c", "")]
    [InlineData("--cluster team-b", "QuotaExceeded")]
    [InlineData("--cluster host", "CrashLoop QuotaExceeded")]
    [InlineData("--layer host", "QuotaExceeded")]
    [InlineData("--layer VIRTUAL", "CrashLoop")]
    [InlineData("--category CrashLoop", "CrashLoop")]
    [InlineData("--category OOMKilled", "")]
    [InlineData("--state open", "CrashLoop QuotaExceeded")]
    [InlineData("--state resolved", "")]
    [InlineData("--since 2026-03-01T09:00:00Z", "CrashLoop QuotaExceeded")]
    [InlineData("--since 2026-03-01T11:00:00Z", "")]
    [InlineData("--tenant team-a --layer host", "")]
    public async Task List_Filter_KeepsOnlyMatchingIncidents(string filter, string expected)
    {
        string[] args = ["incidents", "list", "--store", fixture.Store, "--format", "json", .. filter.Split(' ')];
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, args);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var categories = json.RootElement.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("category").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(' ', categories));
    }

    [Fact]
    public async Task List_LimitBelowMatches_TruncatesAndSaysSo()
    {
        var ct = TestContext.Current.CancellationToken;
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "incidents", "list", "--store", fixture.Store, "--limit", "1", "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Single(json.RootElement.GetProperty("incidents").EnumerateArray());

        (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "incidents", "list", "--store", fixture.Store, "--limit", "1");
        Assert.True(exit == 0, stderr);
        Assert.Contains("1 incidents shown; more match", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_StoredIncident_SignalsAffectedObjectsAndLatestDiagnosis()
    {
        var id = fixture.Ids["CrashLoop"];
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "incidents", "show", id, "--store", fixture.Store, "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(id, root.GetProperty("incident").GetProperty("id").GetString());
        Assert.NotEmpty(root.GetProperty("fingerprint").GetString()!);
        Assert.Contains(root.GetProperty("signals").EnumerateArray(), s => s.GetProperty("reason").GetString() == "CrashLoopBackOff");
        // The crashlooping pods and their host twins are affected objects.
        Assert.Contains(root.GetProperty("affected").EnumerateArray(), a => a.GetProperty("layer").GetString() == "host" && a.GetProperty("kind").GetString() == "Pod");
        var diagnosis = root.GetProperty("diagnosis");
        Assert.Equal(id, diagnosis.GetProperty("incidentId").GetString());
        Assert.Contains("DEPLOY_ENV is not set", diagnosis.GetProperty("rootCause").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(diagnosis.GetProperty("remediations").EnumerateArray());
        Assert.Contains(diagnosis.GetProperty("citations").EnumerateArray(), c => c.GetProperty("chunkId").GetString()!.StartsWith("runbooks/crashloop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Show_TableFormat_PrintsSubjectRootCauseRemediationAndCitation()
    {
        var id = fixture.Ids["CrashLoop"];
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "incidents", "show", id, "--store", fixture.Store);

        Assert.True(exit == 0, stderr);
        Assert.StartsWith($"{id} rev ", stdout, StringComparison.Ordinal);
        Assert.Contains("subject    team-a/Deployment/shop/checkout", stdout, StringComparison.Ordinal);
        Assert.Contains("root cause ", stdout, StringComparison.Ordinal);
        Assert.Contains("DEPLOY_ENV", stdout, StringComparison.Ordinal);
        Assert.Contains("    - ", stdout, StringComparison.Ordinal);
        Assert.Contains("    see kb:runbooks/", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inc-0000", 1, "no incident inc-0000")]
    [InlineData("inc-1' OR '1'='1", 2, "is not an incident id")]
    public async Task Show_UnknownOrMalformedId_ExitsWithItsCode(string id, int expected, string message)
    {
        var (exit, _, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "incidents", "show", id, "--store", fixture.Store);

        Assert.Equal(expected, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--since", "yesterday")]
    [InlineData("--since", "2026-13-01T00:00:00Z")]
    [InlineData("--layer", "middle")]
    [InlineData("--state", "closed")]
    [InlineData("--category", "Nope")]
    [InlineData("--limit", "0")]
    [InlineData("--tenant", "Team_A")]
    [InlineData("--cluster", "a'b")]
    [InlineData("--replay", "rpl 1")]
    public async Task List_InvalidInput_ExitsWith2(string option, string value)
    {
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "incidents", "list", "--store", fixture.Store, option, value);

        Assert.Equal(2, exit);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task List_StoreWithNothingStored_Exits1()
    {
        var empty = Directory.CreateTempSubdirectory("chasi-incidents-empty-").FullName;
        try
        {
            var (exit, _, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "incidents", "list", "--store", empty);

            Assert.Equal(1, exit);
            Assert.Contains("nothing stored there yet", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
