using System.Net;

namespace ChasiSre.Api.Tests;

public sealed class DiagnosisAndProposalTests(ApiFixture fixture)
{
    [Fact]
    public async Task GetDiagnosis_TwoRevisionsStored_ReturnsTheLatestWithCitationsAndRemediations()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        var diagnosis = await Http.JsonAsync(await client.GetAsync($"api/v1/diagnoses/{SeedData.A1}", ct), HttpStatusCode.OK, ct);

        Assert.Equal(2, diagnosis.GetProperty("incidentRevision").GetInt64());
        Assert.Equal("because: the web container exits on a missing env var", diagnosis.GetProperty("explanation").GetString());
        Assert.Equal(0.8, diagnosis.GetProperty("confidence").GetDouble(), 6);
        Assert.Equal("rules", diagnosis.GetProperty("engine").GetString());
        Assert.Equal(fixture.T0.AddMinutes(2), diagnosis.GetProperty("diagnosedAt").GetDateTimeOffset());
        Assert.Equal("runbooks/crashloop-backoff.md#confirm", Assert.Single(diagnosis.GetProperty("citations").EnumerateArray()).GetProperty("chunkId").GetString());
        Assert.Equal($"event-{SeedData.A1}", Assert.Single(diagnosis.GetProperty("evidence").EnumerateArray()).GetProperty("recordId").GetString());
        var action = diagnosis.GetProperty("remediations")[1];
        Assert.Equal(("rollout-restart", "medium", "web"), (action.GetProperty("action").GetString(), action.GetProperty("risk").GetString(), action.GetProperty("target").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task GetDiagnosis_IncidentNotDiagnosed_Returns404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        await Http.ProblemAsync(await client.GetAsync($"api/v1/diagnoses/{SeedData.A2}", ct), HttpStatusCode.NotFound, ct);
    }

    [Fact]
    public async Task ListProposals_Filters_ReturnMatchingProposalsWithTheirFields()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var byAction = await Http.JsonAsync(await client.GetAsync("api/v1/actions/proposals?action=delete-pod", ct), HttpStatusCode.OK, ct);
        var byIncident = await Http.JsonAsync(await client.GetAsync($"api/v1/actions/proposals?incident={SeedData.A1}", ct), HttpStatusCode.OK, ct);
        var byTenant = await Http.JsonAsync(await client.GetAsync("api/v1/actions/proposals?tenant=team-b", ct), HttpStatusCode.OK, ct);

        Assert.Equal([$"{SeedData.H1}@1/action-2", $"{SeedData.B1}@1/action-1"], Http.Ids(byAction));
        Assert.Equal([$"{SeedData.H1}@1/action-1", $"{SeedData.H1}@1/action-2", $"{SeedData.B1}@1/action-1"], Http.Ids(byTenant));
        var proposal = Assert.Single(byIncident.GetProperty("items").EnumerateArray());
        Assert.Equal(SeedData.A1, proposal.GetProperty("incidentId").GetString());
        Assert.Equal(2, proposal.GetProperty("incidentRevision").GetInt64());
        Assert.Equal("team-a", proposal.GetProperty("tenant").GetString());
        Assert.Equal("rollout-restart", proposal.GetProperty("action").GetString());
        Assert.Equal("medium", proposal.GetProperty("risk").GetString());
        Assert.Equal("pick up the fixed env", proposal.GetProperty("parameters").GetProperty("reason").GetString());
        Assert.Equal(("Deployment", "shop", "web", "virtual"), (
            proposal.GetProperty("target").GetProperty("kind").GetString(), proposal.GetProperty("target").GetProperty("namespace").GetString(),
            proposal.GetProperty("target").GetProperty("name").GetString(), proposal.GetProperty("target").GetProperty("layer").GetString()));
    }

    [Fact]
    public async Task ListProposals_OffsetPages_CoverEveryProposalOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var first = await Http.JsonAsync(await client.GetAsync("api/v1/actions/proposals?limit=3", ct), HttpStatusCode.OK, ct);
        var second = await Http.JsonAsync(await client.GetAsync($"api/v1/actions/proposals?limit=3&offset={first.GetProperty("nextOffset").GetInt32()}", ct), HttpStatusCode.OK, ct);

        Assert.Equal(3, first.GetProperty("nextOffset").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextOffset").ValueKind);
        Assert.Equal(
            [$"{SeedData.H1}@1/action-1", $"{SeedData.H1}@1/action-2", $"{SeedData.B1}@1/action-1", $"{SeedData.A1}@2/action-1"],
            Http.Ids(first).Concat(Http.Ids(second)));
    }

    [Theory]
    [InlineData("action=Rollout_Restart", "action")]
    [InlineData("incident=inc%20x", "incident")]
    [InlineData("offset=-1", "offset")]
    [InlineData("limit=100000", "limit")]
    public async Task ListProposals_InvalidParameter_Returns400NamingIt(string query, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var problem = await Http.ProblemAsync(await client.GetAsync($"api/v1/actions/proposals?{query}", ct), HttpStatusCode.BadRequest, ct);

        Assert.Equal([field], Http.ErrorFields(problem));
    }

    [Fact]
    public async Task SearchKnowledge_Query_ReturnsCitedChunksBestFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var result = await Http.JsonAsync(await client.GetAsync("api/v1/knowledge/search?q=Back-off%20restarting%20failed%20container&k=2", ct), HttpStatusCode.OK, ct);

        var hits = result.GetProperty("hits").EnumerateArray().ToList();
        Assert.InRange(hits.Count, 1, 2);
        Assert.Equal("kb:runbooks/crashloop-backoff.md#confirm", hits[0].GetProperty("citation").GetString());
        Assert.Equal("shared", hits[0].GetProperty("tenant").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("tenant").ValueKind);
    }

    [Theory]
    [InlineData("api/v1/knowledge/search", "q")]
    [InlineData("api/v1/knowledge/search?q=%20", "q")]
    [InlineData("api/v1/knowledge/search?q=crash&k=51", "k")]
    [InlineData("api/v1/knowledge/search?q=crash&tenant=shared", "tenant")]
    public async Task SearchKnowledge_InvalidParameter_Returns400NamingIt(string path, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var problem = await Http.ProblemAsync(await client.GetAsync(path, ct), HttpStatusCode.BadRequest, ct);

        Assert.Equal([field], Http.ErrorFields(problem));
    }
}
