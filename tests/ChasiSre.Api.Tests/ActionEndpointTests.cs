using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Api.Tests;

public sealed class ActionEndpointTests(ApiFixture fixture)
{
    [Fact]
    public async Task ListActions_NoFilter_ReturnsEachActionAtItsLatestStepNewestFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var page = await Http.JsonAsync(await client.GetAsync("api/v1/actions", ct), HttpStatusCode.OK, ct);

        Assert.Equal(SeedData.ActionsNewestFirst, Http.Ids(page));
        var verified = Item(page, SeedData.Verified);
        Assert.Equal("verified", verified.GetProperty("phase").GetString());
        Assert.Equal(4, verified.GetProperty("sequence").GetInt32());
        Assert.Equal(4, verified.GetProperty("steps").GetInt32());
        Assert.True(verified.GetProperty("reversible").GetBoolean());
        Assert.Equal(fixture.T0.AddMinutes(11), verified.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(fixture.T0.AddMinutes(11).AddSeconds(30), verified.GetProperty("updatedAt").GetDateTimeOffset());
        var pending = Item(page, SeedData.ApproveMe);
        Assert.Equal(("pending_approval", "approval", "restarts-need-approval", "policy:restarts-need-approval"), (
            pending.GetProperty("phase").GetString(), pending.GetProperty("decision").GetString(),
            pending.GetProperty("policyRule").GetString(), pending.GetProperty("actor").GetString()));
        Assert.Equal(SeedData.Diff, pending.GetProperty("diff").GetString());
        Assert.Equal(["rule restarts-need-approval matched rollout-restart"], pending.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(("rollout-restart", "web", SeedData.A1, 2L, "team-a"), (
            pending.GetProperty("action").GetString(), pending.GetProperty("target").GetProperty("name").GetString(),
            pending.GetProperty("incidentId").GetString(), pending.GetProperty("incidentRevision").GetInt64(), pending.GetProperty("tenant").GetString()));
        Assert.False(Item(page, SeedData.Irreversible).GetProperty("reversible").GetBoolean());
    }

    [Theory]
    [InlineData("phase=pending_approval", new[] { SeedData.PlatformPending, SeedData.TeamBPending, SeedData.ApproveThenReject, SeedData.ApproveTwice, SeedData.RejectMe, SeedData.ApproveMe })]
    [InlineData("phase=VERIFIED", new[] { SeedData.Verified })]
    [InlineData("phase=proposed", new string[0])]
    [InlineData("incident=inc-a2oomkilled", new[] { SeedData.Irreversible, SeedData.Verified })]
    [InlineData("tenant=team-b", new[] { SeedData.TeamBPending })]
    [InlineData("action=cordon-node", new[] { SeedData.PlatformPending })]
    public async Task ListActions_Filter_MatchesTheActionsLatestState(string query, string[] expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var page = await Http.JsonAsync(await client.GetAsync($"api/v1/actions?{query}", ct), HttpStatusCode.OK, ct);

        Assert.Equal(expected, Http.Ids(page));
    }

    [Fact]
    public async Task ListActions_ScopedToken_SeesItsTenantsAndPlatformActionsOfItsIncidentsOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        var page = await Http.JsonAsync(await client.GetAsync("api/v1/actions", ct), HttpStatusCode.OK, ct);
        var refused = await client.GetAsync("api/v1/actions?tenant=team-b", ct);

        Assert.Equal(SeedData.ActionsNewestFirst.Where(id => id != SeedData.TeamBPending), Http.Ids(page));
        await Http.ProblemAsync(refused, HttpStatusCode.Forbidden, ct);
    }

    [Fact]
    public async Task ListActions_CursorPages_CoverEveryActionOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);
        var ids = new List<string>();
        string? cursor = null;
        var pages = 0;

        do
        {
            var page = await Http.JsonAsync(
                await client.GetAsync($"api/v1/actions?limit=3{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", ct), HttpStatusCode.OK, ct);
            ids.AddRange(Http.Ids(page));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(SeedData.ActionsNewestFirst, ids);
    }

    [Theory]
    [InlineData("phase=waiting", "phase")]
    [InlineData("cursor=bm9wZQ", "cursor")]
    [InlineData("action=Rollout_Restart", "action")]
    [InlineData("tenant=Team_A", "tenant")]
    [InlineData("limit=0", "limit")]
    public async Task ListActions_InvalidParameter_Returns400NamingIt(string query, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var problem = await Http.ProblemAsync(await client.GetAsync($"api/v1/actions?{query}", ct), HttpStatusCode.BadRequest, ct);

        Assert.Equal([field], Http.ErrorFields(problem));
    }

    [Fact]
    public async Task GetAction_Stored_ReturnsTheWholeTrailOldestFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        var detail = await Http.JsonAsync(await client.GetAsync($"api/v1/actions/{SeedData.Verified}", ct), HttpStatusCode.OK, ct);

        var trail = detail.GetProperty("trail").EnumerateArray().ToList();
        Assert.Equal(["proposed", "executing", "succeeded", "verified"], trail.Select(s => s.GetProperty("phase").GetString()));
        Assert.Equal([1, 2, 3, 4], trail.Select(s => s.GetProperty("sequence").GetInt32()));
        Assert.Equal("pod deleted", trail[2].GetProperty("output").GetString());
        Assert.True(trail[2].GetProperty("reversible").GetBoolean());
        Assert.Equal("verified", detail.GetProperty("action").GetProperty("phase").GetString());
        Assert.Equal("delete-pod", detail.GetProperty("action").GetProperty("action").GetString());
    }

    [Theory]
    [InlineData(SeedData.TeamBPending)]
    [InlineData("act-does-not-exist")]
    public async Task GetAction_OutsideScopeOrMissing_Returns404(string id)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        await Http.ProblemAsync(await client.GetAsync($"api/v1/actions/{id}", ct), HttpStatusCode.NotFound, ct);
    }

    [Fact]
    public async Task Approve_PendingAction_Returns202AndPublishesTheDecisionRecord()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverA);

        var response = await Http.JsonAsync(
            await client.PostAsJsonAsync($"api/v1/actions/{SeedData.ApproveMe}/approve", new { reason = "checked the diff" }, ct), HttpStatusCode.Accepted, ct);

        Assert.Equal(("approved", 3, "user:approver-a", "checked the diff", "chasi.actions.v1"), (
            response.GetProperty("phase").GetString(), response.GetProperty("sequence").GetInt32(), response.GetProperty("actor").GetString(),
            response.GetProperty("reason").GetString(), response.GetProperty("topic").GetString()));
        var (key, record) = Assert.Single(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.ApproveMe, ActionPhase.Approved, ct));
        Assert.Equal(SeedData.ApproveMe, key);
        Assert.Equal((3, "user:approver-a", "checked the diff", "team-a", SeedData.A1, 2L), (record.Sequence, record.Actor, record.Reason, record.Tenant, record.IncidentId, record.IncidentRevision));
        Assert.Equal(($"{SeedData.A1}@2/action-1", "approval", "restarts-need-approval"), (record.IdempotencyKey, record.Decision, record.PolicyRule));
        Assert.Equal(("rollout-restart", "web"), (record.Remediation.Action, record.Remediation.Target.Name));
    }

    [Fact]
    public async Task Approve_RepeatedBySameUser_Returns202WithTheSameResultAndPublishesOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverA);

        var first = await Http.JsonAsync(await client.PostAsync($"api/v1/actions/{SeedData.ApproveTwice}/approve", null, ct), HttpStatusCode.Accepted, ct);
        var second = await Http.JsonAsync(await client.PostAsync($"api/v1/actions/{SeedData.ApproveTwice}/approve", null, ct), HttpStatusCode.Accepted, ct);

        Assert.Equal(first.GetRawText(), second.GetRawText());
        Assert.Single(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.ApproveTwice, ActionPhase.Approved, ct));
    }

    [Fact]
    public async Task Reject_AfterApproveNotYetStored_Returns409NamingApproved()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverAll);

        await Http.JsonAsync(await client.PostAsync($"api/v1/actions/{SeedData.ApproveThenReject}/approve", null, ct), HttpStatusCode.Accepted, ct);
        var problem = await Http.ProblemAsync(await client.PostAsync($"api/v1/actions/{SeedData.ApproveThenReject}/reject", null, ct), HttpStatusCode.Conflict, ct);

        Assert.Equal("approved", problem.GetProperty("phase").GetString());
        Assert.Contains("is approved", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.ApproveThenReject, ActionPhase.Rejected, ct));
    }

    [Fact]
    public async Task Reject_PendingAction_Returns202AndPublishesRejected()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverAll);

        var response = await Http.JsonAsync(await client.PostAsJsonAsync($"api/v1/actions/{SeedData.RejectMe}/reject", new { reason = "not during the sale" }, ct), HttpStatusCode.Accepted, ct);

        Assert.Equal(("rejected", "user:approver-all"), (response.GetProperty("phase").GetString(), response.GetProperty("actor").GetString()));
        var (_, record) = Assert.Single(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.RejectMe, ActionPhase.Rejected, ct));
        Assert.Equal(("not during the sale", 3), (record.Reason, record.Sequence));
    }

    [Fact]
    public async Task Rollback_VerifiedWithRollbackState_Returns202AndPublishesRollbackRequested()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverA);

        var response = await Http.JsonAsync(await client.PostAsync($"api/v1/actions/{SeedData.Verified}/rollback", null, ct), HttpStatusCode.Accepted, ct);

        Assert.Equal(("rollback_requested", 5), (response.GetProperty("phase").GetString(), response.GetProperty("sequence").GetInt32()));
        Assert.Single(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.Verified, ActionPhase.RollbackRequested, ct));
    }

    [Theory]
    [InlineData(SeedData.Irreversible, "rollback", "succeeded", "no rollback state")]
    [InlineData(SeedData.Verified, "approve", "verified", "approving needs pending_approval")]
    [InlineData(SeedData.Verified, "reject", "verified", "rejecting needs pending_approval")]
    [InlineData(SeedData.TeamBPending, "rollback", "pending_approval", "rolling back needs succeeded or verified or not_verified")]
    public async Task Decide_PhaseDoesNotAllowIt_Returns409NamingThePhase(string id, string verb, string phase, string detail)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverAll);

        var problem = await Http.ProblemAsync(await client.PostAsync($"api/v1/actions/{id}/{verb}", null, ct), HttpStatusCode.Conflict, ct);

        Assert.Equal(phase, problem.GetProperty("phase").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_ViewerToken_Returns403AndPublishesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        var problem = await Http.ProblemAsync(await client.PostAsync($"api/v1/actions/{SeedData.TeamBPending}/approve", null, ct), HttpStatusCode.Forbidden, ct);

        Assert.Contains("approver", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.TeamBPending, ActionPhase.Approved, ct));
    }

    [Fact]
    public async Task Approve_OtherTenantsAction_Returns404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverA);

        var problem = await Http.ProblemAsync(await client.PostAsync($"api/v1/actions/{SeedData.TeamBPending}/approve", null, ct), HttpStatusCode.NotFound, ct);

        Assert.Equal($"no action {SeedData.TeamBPending} visible to this token", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Approve_PlatformActionWithScopedToken_Returns403()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverA);

        var problem = await Http.ProblemAsync(await client.PostAsync($"api/v1/actions/{SeedData.PlatformPending}/approve", null, ct), HttpStatusCode.Forbidden, ct);

        Assert.Contains("platform action", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_InvalidBodies_AreRefusedBeforeAnythingIsPublished()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverAll);
        var path = $"api/v1/actions/{SeedData.TeamBPending}/approve";

        var tooLong = await Http.ProblemAsync(await client.PostAsJsonAsync(path, new { reason = new string('x', 1025) }, ct), HttpStatusCode.BadRequest, ct);
        var notJson = await client.PostAsync(path, new StringContent("reason=ok", Encoding.UTF8, "application/x-www-form-urlencoded"), ct);
        var broken = await Http.ProblemAsync(await client.PostAsync(path, new StringContent("{\"reason\":", Encoding.UTF8, "application/json"), ct), HttpStatusCode.BadRequest, ct);
        var huge = await client.PostAsync(path, new StringContent(JsonSerializer.Serialize(new { reason = new string('y', 20_000) }), Encoding.UTF8, "application/json"), ct);
        var badId = await Http.ProblemAsync(await client.PostAsync("api/v1/actions/act%20x/approve", null, ct), HttpStatusCode.BadRequest, ct);

        Assert.Equal(["reason"], Http.ErrorFields(tooLong));
        await Http.ProblemAsync(notJson, HttpStatusCode.UnsupportedMediaType, ct);
        Assert.Equal(["body"], Http.ErrorFields(broken));
        await Http.ProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge, ct);
        Assert.Equal(["id"], Http.ErrorFields(badId));
        Assert.Empty(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.TeamBPending, ActionPhase.Approved, ct));
    }

    [Fact]
    public async Task GetMe_ApproverToken_ReturnsNameScopeAndRoles()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var approver = host.Client(ApiHost.ApproverA);
        using var admin = host.Client(ApiHost.Admin);

        var me = await Http.JsonAsync(await approver.GetAsync("api/v1/me", ct), HttpStatusCode.OK, ct);
        var adminMe = await Http.JsonAsync(await admin.GetAsync("api/v1/me", ct), HttpStatusCode.OK, ct);

        Assert.Equal("approver-a", me.GetProperty("name").GetString());
        Assert.Equal(["team-a"], me.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["approver", "viewer"], me.GetProperty("roles").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["*"], adminMe.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["viewer"], adminMe.GetProperty("roles").EnumerateArray().Select(t => t.GetString()));
    }

    private static JsonElement Item(JsonElement page, string id) =>
        page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
}
