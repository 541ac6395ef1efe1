using System.Net;

namespace ChasiSre.Api.Tests;

/// <summary>A token scoped to tenants never sees another tenant's incidents, diagnoses, proposals or knowledge.</summary>
public sealed class TenantScopeTests(ApiFixture fixture)
{
    [Fact]
    public async Task ListIncidents_ScopedToken_SeesItsTenantAndPlatformIncidentsAffectingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        var page = await Http.JsonAsync(await client.GetAsync("api/v1/incidents", ct), HttpStatusCode.OK, ct);

        Assert.Equal([SeedData.H1, SeedData.A2, SeedData.A1], Http.Ids(page));
        var h1 = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == SeedData.H1);
        Assert.Equal(["team-a"], h1.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task ListIncidents_TwoTenantToken_SeesBothTenants()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamAb);

        var page = await Http.JsonAsync(await client.GetAsync("api/v1/incidents", ct), HttpStatusCode.OK, ct);

        Assert.Equal([SeedData.H1, SeedData.A2, SeedData.B1, SeedData.A1], Http.Ids(page));
    }

    [Theory]
    [InlineData("api/v1/incidents?tenant=team-b")]
    [InlineData("api/v1/actions/proposals?tenant=team-b")]
    [InlineData("api/v1/knowledge/search?q=payments&tenant=team-b")]
    public async Task Get_TenantOutsideScope_Returns403(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        var problem = await Http.ProblemAsync(await client.GetAsync(path, ct), HttpStatusCode.Forbidden, ct);

        Assert.Contains("team-b", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/v1/incidents/" + SeedData.B1)]
    [InlineData("api/v1/incidents/" + SeedData.P1)]
    [InlineData("api/v1/diagnoses/" + SeedData.B1)]
    public async Task Get_OtherTenantsIncident_Returns404(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var scoped = host.Client(ApiHost.TeamA);
        using var admin = host.Client(ApiHost.Admin);

        await Http.ProblemAsync(await scoped.GetAsync(path, ct), HttpStatusCode.NotFound, ct);
        await Http.JsonAsync(await admin.GetAsync(path, ct), HttpStatusCode.OK, ct);
    }

    [Fact]
    public async Task GetIncident_PlatformIncidentAffectingTenant_HidesOtherTenantsObjects()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        var detail = await Http.JsonAsync(await client.GetAsync($"api/v1/incidents/{SeedData.H1}", ct), HttpStatusCode.OK, ct);

        Assert.Equal(["web-1", "node-1"], detail.GetProperty("affected").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.DoesNotContain(detail.GetProperty("signals").EnumerateArray(), s => s.GetProperty("subject").GetProperty("tenant").GetString() == "team-b");
        Assert.Equal(["action-1"], detail.GetProperty("diagnosis").GetProperty("remediations").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task ListProposals_ScopedToken_OnlyItsTenantsAndPlatformTargets()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var scoped = host.Client(ApiHost.TeamA);
        using var admin = host.Client(ApiHost.Admin);

        var mine = await Http.JsonAsync(await scoped.GetAsync("api/v1/actions/proposals", ct), HttpStatusCode.OK, ct);
        var all = await Http.JsonAsync(await admin.GetAsync("api/v1/actions/proposals", ct), HttpStatusCode.OK, ct);

        Assert.Equal([$"{SeedData.H1}@1/action-1", $"{SeedData.A1}@2/action-1"], Http.Ids(mine));
        Assert.Equal([$"{SeedData.H1}@1/action-1", $"{SeedData.H1}@1/action-2", $"{SeedData.B1}@1/action-1", $"{SeedData.A1}@2/action-1"], Http.Ids(all));
    }

    [Fact]
    public async Task SearchKnowledge_ScopedToken_NeverSeesAnotherTenantsPrivateDocument()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var teamA = host.Client(ApiHost.TeamA);
        using var admin = host.Client(ApiHost.Admin);

        var mine = await Http.JsonAsync(await teamA.GetAsync("api/v1/knowledge/search?q=payments%20ledger%20vault%20token&k=10", ct), HttpStatusCode.OK, ct);
        var teamB = await Http.JsonAsync(await admin.GetAsync("api/v1/knowledge/search?q=payments%20ledger%20vault%20token&tenant=team-b&k=10", ct), HttpStatusCode.OK, ct);

        var mySources = mine.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("sourceId").GetString()).ToList();
        Assert.Equal("team-a", mine.GetProperty("tenant").GetString());
        Assert.Contains("private/team-a-payments.md", mySources);
        Assert.DoesNotContain("private/team-b-payments.md", mySources);
        Assert.Equal("private/team-b-payments.md", teamB.GetProperty("hits")[0].GetProperty("sourceId").GetString());
    }
}
