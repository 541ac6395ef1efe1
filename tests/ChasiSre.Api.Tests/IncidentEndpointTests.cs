using System.Globalization;
using System.Net;

namespace ChasiSre.Api.Tests;

public sealed class IncidentEndpointTests(ApiFixture fixture)
{
    [Fact]
    public async Task List_AdminToken_ReturnsEveryIncidentNewestFirstAtLatestRevision()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var page = await Http.JsonAsync(await client.GetAsync("api/v1/incidents", ct), HttpStatusCode.OK, ct);

        Assert.Equal(SeedData.NewestFirst, Http.Ids(page));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        var a1 = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == SeedData.A1);
        Assert.Equal(2, a1.GetProperty("revision").GetInt64());
        Assert.Equal("web crashloops", a1.GetProperty("title").GetString());
        Assert.Equal("critical", a1.GetProperty("severity").GetString());
        Assert.Equal("open", a1.GetProperty("state").GetString());
        Assert.Equal("virtual", a1.GetProperty("layer").GetString());
        Assert.Equal("CrashLoop", a1.GetProperty("category").GetString());
        var subject = a1.GetProperty("subject");
        Assert.Equal(("vc-a", "Deployment", "shop", "web", "host-1", "vc-a-ns"), (
            subject.GetProperty("cluster").GetString(), subject.GetProperty("kind").GetString(), subject.GetProperty("namespace").GetString(),
            subject.GetProperty("name").GetString(), subject.GetProperty("hostCluster").GetString(), subject.GetProperty("hostNamespace").GetString()));
        Assert.Equal(fixture.T0, a1.GetProperty("openedAt").GetDateTimeOffset());
        var a2 = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == SeedData.A2);
        Assert.Equal(fixture.T0.AddMinutes(13), a2.GetProperty("resolvedAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("category=CrashLoop", new[] { SeedData.A1 })]
    [InlineData("category=crashloop", new[] { SeedData.A1 })]
    [InlineData("state=resolved", new[] { SeedData.A2 })]
    [InlineData("state=OPEN&layer=host", new[] { SeedData.P1, SeedData.H1 })]
    [InlineData("severity=critical", new[] { SeedData.H1, SeedData.A1 })]
    [InlineData("cluster=vc-b", new[] { SeedData.B1 })]
    [InlineData("cluster=host-1&layer=virtual", new[] { SeedData.A2, SeedData.B1, SeedData.A1 })]
    [InlineData("tenant=team-b", new[] { SeedData.H1, SeedData.B1 })]
    [InlineData("tenant=team-c", new string[0])]
    public async Task List_Filter_ReturnsMatchingIncidents(string query, string[] expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var page = await Http.JsonAsync(await client.GetAsync($"api/v1/incidents?{query}", ct), HttpStatusCode.OK, ct);

        Assert.Equal(expected, Http.Ids(page));
    }

    [Fact]
    public async Task List_SinceAndUntil_FilterOnOpeningTime()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);
        var since = Uri.EscapeDataString(fixture.T0.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture));
        var until = Uri.EscapeDataString(fixture.T0.AddMinutes(20).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));

        var page = await Http.JsonAsync(await client.GetAsync($"api/v1/incidents?since={since}&until={until}", ct), HttpStatusCode.OK, ct);
        var recent = await Http.JsonAsync(await client.GetAsync("api/v1/incidents?since=1h", ct), HttpStatusCode.OK, ct);

        Assert.Equal([SeedData.A2, SeedData.B1], Http.Ids(page));
        Assert.Empty(Http.Ids(recent));
    }

    [Fact]
    public async Task List_CursorPages_WalkEveryIncidentOnceInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);
        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;

        do
        {
            var page = await Http.JsonAsync(await client.GetAsync($"api/v1/incidents?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", ct), HttpStatusCode.OK, ct);
            var ids = Http.Ids(page);
            Assert.InRange(ids.Count, 1, 2);
            seen.AddRange(ids);
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(SeedData.NewestFirst, seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("layer=cloud", "layer")]
    [InlineData("state=closed", "state")]
    [InlineData("category=Outage", "category")]
    [InlineData("since=yesterday", "since")]
    [InlineData("until=2025-13-01T00:00:00Z", "until")]
    [InlineData("cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("tenant=Team_A", "tenant")]
    [InlineData("tenant=x'%20OR%201=1%20--", "tenant")]
    [InlineData("cluster=a'b", "cluster")]
    public async Task List_InvalidParameter_Returns400NamingIt(string query, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var problem = await Http.ProblemAsync(await client.GetAsync($"api/v1/incidents?{query}", ct), HttpStatusCode.BadRequest, ct);

        Assert.Equal([field], Http.ErrorFields(problem));
        Assert.StartsWith($"{field}: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Incident_ReturnsLatestRevisionWithLatestDiagnosis()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var detail = await Http.JsonAsync(await client.GetAsync($"api/v1/incidents/{SeedData.A1}", ct), HttpStatusCode.OK, ct);

        Assert.Equal(2, detail.GetProperty("incident").GetProperty("revision").GetInt64());
        Assert.Equal($"fp-{SeedData.A1}", detail.GetProperty("fingerprint").GetString());
        Assert.Equal("web", Assert.Single(detail.GetProperty("affected").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("CrashLoop on web", Assert.Single(detail.GetProperty("signals").EnumerateArray()).GetProperty("message").GetString());
        var diagnosis = detail.GetProperty("diagnosis");
        Assert.Equal(2, diagnosis.GetProperty("incidentRevision").GetInt64());
        Assert.Equal("the web container exits on a missing env var", diagnosis.GetProperty("rootCause").GetString());
        Assert.Equal(["step-1", "action-1"], diagnosis.GetProperty("remediations").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Get_IncidentWithoutDiagnosis_ReturnsNullDiagnosis()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var detail = await Http.JsonAsync(await client.GetAsync($"api/v1/incidents/{SeedData.A2}", ct), HttpStatusCode.OK, ct);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, detail.GetProperty("diagnosis").ValueKind);
        Assert.Equal("resolved", detail.GetProperty("incident").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Get_UnknownIncident_Returns404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        await Http.ProblemAsync(await client.GetAsync("api/v1/incidents/inc-nosuchincident", ct), HttpStatusCode.NotFound, ct);
    }

    [Fact]
    public async Task Get_IncidentIdWithQuote_Returns400()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var problem = await Http.ProblemAsync(await client.GetAsync("api/v1/incidents/inc-a1crashloop'%20OR%20'1'='1", ct), HttpStatusCode.BadRequest, ct);

        Assert.Equal(["id"], Http.ErrorFields(problem));
    }
}
