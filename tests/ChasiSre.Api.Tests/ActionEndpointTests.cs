using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Api.Tests;

public sealed class ActionEndpointTests(ApiFixture fixture)
{
    [Fact]
    public async Task ListActions_NoFilter_ReturnsEachActionAtTheExecutorsLatestStepNewestFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var page = await Http.JsonAsync(await client.GetAsync("api/v1/actions", ct), HttpStatusCode.OK, ct);

        Assert.Equal(SeedData.ActionsNewestFirst, Http.Ids(page));
        var verified = Item(page, SeedData.Verified);
        Assert.Equal("verified", verified.GetProperty("phase").GetString());
        Assert.Equal(5, verified.GetProperty("sequence").GetInt32());
        Assert.Equal(5, verified.GetProperty("steps").GetInt32());
        Assert.True(verified.GetProperty("reversible").GetBoolean());
        Assert.Equal(["rollback"], Strings(verified.GetProperty("allowedDecisions")));
        Assert.Equal(JsonValueKind.Null, verified.GetProperty("pendingRequest").ValueKind);
        Assert.Equal(fixture.T0.AddMinutes(11), verified.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(fixture.T0.AddMinutes(11).AddSeconds(40), verified.GetProperty("updatedAt").GetDateTimeOffset());
        var pending = Item(page, SeedData.ApproveMe);
        Assert.Equal(("pending_approval", "approval", "restarts-need-approval", "policy:restarts-need-approval"), (
            pending.GetProperty("phase").GetString(), pending.GetProperty("decision").GetString(),
            pending.GetProperty("policyRule").GetString(), pending.GetProperty("actor").GetString()));
        Assert.Equal(["approve", "reject"], Strings(pending.GetProperty("allowedDecisions")));
        Assert.Equal(SeedData.Diff, pending.GetProperty("diff").GetString());
        Assert.Equal(["rule restarts-need-approval matched rollout-restart"], Strings(pending.GetProperty("reasons")));
        Assert.Equal(("rollout-restart", "web", SeedData.A1, 2L, "team-a"), (
            pending.GetProperty("action").GetString(), pending.GetProperty("target").GetProperty("name").GetString(),
            pending.GetProperty("incidentId").GetString(), pending.GetProperty("incidentRevision").GetInt64(), pending.GetProperty("tenant").GetString()));
        var irreversible = Item(page, SeedData.Irreversible);
        Assert.False(irreversible.GetProperty("reversible").GetBoolean());
        Assert.Empty(Strings(irreversible.GetProperty("allowedDecisions")));
        Assert.Empty(Strings(Item(page, SeedData.NotVerified).GetProperty("allowedDecisions")));
    }

    [Fact]
    public async Task ListActions_RequestAnsweredByTheExecutor_LatestStateIsTheExecutorsStepByTheRequester()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var answered = Item(await Http.JsonAsync(await client.GetAsync($"api/v1/actions?incident={SeedData.A1}", ct), HttpStatusCode.OK, ct), SeedData.Answered);

        Assert.Equal(("succeeded", 5, 5, "executor"), (
            answered.GetProperty("phase").GetString(), answered.GetProperty("sequence").GetInt32(), answered.GetProperty("steps").GetInt32(), answered.GetProperty("actor").GetString()));
        Assert.Equal(JsonValueKind.Null, answered.GetProperty("pendingRequest").ValueKind);
        Assert.Equal(("approval", "restarts-need-approval"), (answered.GetProperty("decision").GetString(), answered.GetProperty("policyRule").GetString()));
    }

    [Fact]
    public async Task ListActions_RequestNotAnswered_PhaseStaysAndThePendingRequestIsShown()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        var requested = Item(await Http.JsonAsync(await client.GetAsync("api/v1/actions?phase=pending_approval", ct), HttpStatusCode.OK, ct), SeedData.Requested);

        Assert.Equal(("pending_approval", 2, "policy:restarts-need-approval"), (
            requested.GetProperty("phase").GetString(), requested.GetProperty("sequence").GetInt32(), requested.GetProperty("actor").GetString()));
        var request = requested.GetProperty("pendingRequest");
        Assert.Equal(("approve", "approved", SeedData.Approver, "waiting for the executor"), (
            request.GetProperty("decision").GetString(), request.GetProperty("phase").GetString(), request.GetProperty("actor").GetString(), request.GetProperty("reason").GetString()));
        Assert.Equal(fixture.T0.AddMinutes(15).AddSeconds(30), request.GetProperty("at").GetDateTimeOffset());
        Assert.Empty(Strings(requested.GetProperty("allowedDecisions")));
    }

    [Theory]
    [InlineData("phase=pending_approval", new[] { SeedData.PlatformPending, SeedData.Requested, SeedData.TeamBPending, SeedData.ApproveThenReject, SeedData.ApproveTwice, SeedData.RejectMe, SeedData.ApproveMe })]
    [InlineData("phase=VERIFIED", new[] { SeedData.Verified })]
    [InlineData("phase=succeeded", new[] { SeedData.Answered, SeedData.Irreversible })]
    [InlineData("phase=approved", new string[0])]
    [InlineData("phase=proposed", new string[0])]
    [InlineData("incident=inc-a2oomkilled", new[] { SeedData.NotVerified, SeedData.Irreversible, SeedData.Verified })]
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

        Assert.Equal(4, pages);
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
        Assert.Equal(["proposed", "approved", "executing", "succeeded", "verified"], trail.Select(s => s.GetProperty("phase").GetString()));
        Assert.Equal([1, 2, 3, 4, 5], trail.Select(s => s.GetProperty("sequence").GetInt32()));
        Assert.All(trail, s => Assert.Equal("step", s.GetProperty("kind").GetString()));
        Assert.Equal("scale done", trail[3].GetProperty("output").GetString());
        Assert.True(trail[3].GetProperty("reversible").GetBoolean());
        Assert.Equal("verified", detail.GetProperty("action").GetProperty("phase").GetString());
        Assert.Equal("scale", detail.GetProperty("action").GetProperty("action").GetString());
    }

    [Fact]
    public async Task GetAction_AnsweredRequest_ShowsTheRequestBeforeTheExecutorsAnswer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        var detail = await Http.JsonAsync(await client.GetAsync($"api/v1/actions/{SeedData.Answered}", ct), HttpStatusCode.OK, ct);

        var trail = detail.GetProperty("trail").EnumerateArray()
            .Select(s => (s.GetProperty("kind").GetString(), s.GetProperty("sequence").GetInt32(), s.GetProperty("phase").GetString(), s.GetProperty("actor").GetString(), s.GetProperty("pending").GetBoolean()))
            .ToList();
        Assert.Equal(
        [
            ("step", 1, "proposed", "executor", false),
            ("step", 2, "pending_approval", "policy:restarts-need-approval", false),
            ("request", 0, "approved", SeedData.Approver, false),
            ("step", 3, "approved", SeedData.Approver, false),
            ("step", 4, "executing", "executor", false),
            ("step", 5, "succeeded", "executor", false),
        ], trail);
    }

    [Fact]
    public async Task GetAction_UnansweredRequest_IsPendingInTheTrailAndOnTheAction()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        var detail = await Http.JsonAsync(await client.GetAsync($"api/v1/actions/{SeedData.Requested}", ct), HttpStatusCode.OK, ct);

        var last = detail.GetProperty("trail").EnumerateArray().Last();
        Assert.Equal(("request", "approved", SeedData.Approver, true), (
            last.GetProperty("kind").GetString(), last.GetProperty("phase").GetString(), last.GetProperty("actor").GetString(), last.GetProperty("pending").GetBoolean()));
        Assert.Equal(("pending_approval", "approve"), (
            detail.GetProperty("action").GetProperty("phase").GetString(), detail.GetProperty("action").GetProperty("pendingRequest").GetProperty("decision").GetString()));
    }

    [Theory]
    [InlineData(SeedData.TeamBPending)]
    [InlineData(SeedData.RequestOnly)]
    [InlineData("act-does-not-exist")]
    public async Task GetAction_OutsideScopeMissingOrOnlyRequested_Returns404(string id)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        await Http.ProblemAsync(await client.GetAsync($"api/v1/actions/{id}", ct), HttpStatusCode.NotFound, ct);
    }

    [Fact]
    public async Task Approve_PendingAction_Returns202AndPublishesTheExecutorsRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverA);

        var response = await Http.JsonAsync(
            await client.PostAsJsonAsync($"api/v1/actions/{SeedData.ApproveMe}/approve", new { reason = "checked the diff" }, ct), HttpStatusCode.Accepted, ct);

        Assert.Equal(("approve", "approved", "user:approver-a", "checked the diff", "chasi.actions.v1"), (
            response.GetProperty("decision").GetString(), response.GetProperty("phase").GetString(), response.GetProperty("actor").GetString(),
            response.GetProperty("reason").GetString(), response.GetProperty("topic").GetString()));
        var (key, record) = Assert.Single(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.ApproveMe, ActionPhase.Approved, ct));
        Assert.Equal(SeedData.ApproveMe, key);

        // Exactly what the executor's ActionDecisions.Request builds: a request, not a step of the action.
        var expected = SeedData.Request(SeedData.ApproveMe, ActionPhase.Approved, "user:approver-a", "checked the diff", response.GetProperty("at").GetDateTimeOffset());
        expected.At = record.At;
        Assert.Equal(expected, record);
        Assert.Equal(response.GetProperty("at").GetDateTimeOffset(), record.At.ToDateTimeOffset());
        Assert.Null(record.Remediation);
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

    [Theory]
    [InlineData(SeedData.Requested, 930)]
    [InlineData(SeedData.Answered, 855)]
    public async Task Approve_SameUsersStoredRequestWaitingOrActedOn_Returns202WithThatRequestAndPublishesNothing(string id, int seededAfterSeconds)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverA);
        var seededAt = fixture.T0.AddSeconds(seededAfterSeconds);

        var response = await Http.JsonAsync(await client.PostAsync($"api/v1/actions/{id}/approve", null, ct), HttpStatusCode.Accepted, ct);

        Assert.Equal((SeedData.Approver, seededAt), (response.GetProperty("actor").GetString(), response.GetProperty("at").GetDateTimeOffset()));
        var requests = (await ActionTopic.ReadAsync(fixture.KafkaFactory, id, ActionPhase.Approved, ct)).Where(r => r.Record.Sequence == 0);
        Assert.Equal(seededAt, Assert.Single(requests).Record.At.ToDateTimeOffset());
    }

    [Fact]
    public async Task Approve_AnotherPersonsRequestWaits_Returns409NamingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverAll);

        var problem = await Http.ProblemAsync(await client.PostAsync($"api/v1/actions/{SeedData.Requested}/reject", null, ct), HttpStatusCode.Conflict, ct);

        Assert.Equal("pending_approval", problem.GetProperty("phase").GetString());
        Assert.StartsWith($"APPROVED was requested by {SeedData.Approver}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(("approve", SeedData.Approver), (
            problem.GetProperty("pendingRequest").GetProperty("decision").GetString(), problem.GetProperty("pendingRequest").GetProperty("actor").GetString()));
        Assert.Empty(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.Requested, ActionPhase.Rejected, ct));
    }

    [Fact]
    public async Task Reject_AfterApproveNotYetStored_Returns409NamingTheWaitingApproval()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverAll);

        await Http.JsonAsync(await client.PostAsync($"api/v1/actions/{SeedData.ApproveThenReject}/approve", null, ct), HttpStatusCode.Accepted, ct);
        var problem = await Http.ProblemAsync(await client.PostAsync($"api/v1/actions/{SeedData.ApproveThenReject}/reject", null, ct), HttpStatusCode.Conflict, ct);

        Assert.Equal("pending_approval", problem.GetProperty("phase").GetString());
        Assert.StartsWith("APPROVED was requested by user:approver-all", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.ApproveThenReject, ActionPhase.Rejected, ct));
    }

    [Fact]
    public async Task Reject_PendingAction_Returns202AndPublishesARejectRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverAll);

        var response = await Http.JsonAsync(await client.PostAsJsonAsync($"api/v1/actions/{SeedData.RejectMe}/reject", new { reason = "not during the sale" }, ct), HttpStatusCode.Accepted, ct);

        Assert.Equal(("reject", "rejected", "user:approver-all"), (response.GetProperty("decision").GetString(), response.GetProperty("phase").GetString(), response.GetProperty("actor").GetString()));
        var (_, record) = Assert.Single(await ActionTopic.ReadAsync(fixture.KafkaFactory, SeedData.RejectMe, ActionPhase.Rejected, ct));
        Assert.Equal(("not during the sale", 0, "user:approver-all"), (record.Reason, record.Sequence, record.Actor));

        // Until the executor answers (no executor runs here), the action keeps its phase and shows the request waiting.
        var detail = await Http.JsonAsync(await client.GetAsync($"api/v1/actions/{SeedData.RejectMe}", ct), HttpStatusCode.OK, ct);
        var action = detail.GetProperty("action");
        Assert.Equal(("pending_approval", "reject", "user:approver-all"), (
            action.GetProperty("phase").GetString(), action.GetProperty("pendingRequest").GetProperty("decision").GetString(), action.GetProperty("pendingRequest").GetProperty("actor").GetString()));
        Assert.Empty(Strings(action.GetProperty("allowedDecisions")));
        var last = detail.GetProperty("trail").EnumerateArray().Last();
        Assert.Equal(("request", "rejected", true), (last.GetProperty("kind").GetString(), last.GetProperty("phase").GetString(), last.GetProperty("pending").GetBoolean()));
        var listed = Item(await Http.JsonAsync(await client.GetAsync("api/v1/actions?phase=pending_approval", ct), HttpStatusCode.OK, ct), SeedData.RejectMe);
        Assert.Equal("reject", listed.GetProperty("pendingRequest").GetProperty("decision").GetString());
    }

    [Theory]
    [InlineData(SeedData.Verified)]
    [InlineData(SeedData.Answered)]
    public async Task Rollback_ExecutedReversible_Returns202AndPublishesARollbackRequest(string id)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverA);

        var response = await Http.JsonAsync(await client.PostAsync($"api/v1/actions/{id}/rollback", null, ct), HttpStatusCode.Accepted, ct);

        Assert.Equal(("rollback", "rollback_requested"), (response.GetProperty("decision").GetString(), response.GetProperty("phase").GetString()));
        var (_, record) = Assert.Single(await ActionTopic.ReadAsync(fixture.KafkaFactory, id, ActionPhase.RollbackRequested, ct));
        Assert.Equal((0, "user:approver-a"), (record.Sequence, record.Actor));
    }

    [Theory]
    [InlineData(SeedData.Irreversible, "rollback", "succeeded", "delete-pod is not reversible")]
    [InlineData(SeedData.NotVerified, "rollback", "not_verified", "only an executed action (SUCCEEDED or VERIFIED) can be rolled back; act-a2-notverified is NOT_VERIFIED")]
    [InlineData(SeedData.Verified, "approve", "verified", "only a PENDING_APPROVAL action can be approved; act-a2-verified is VERIFIED")]
    [InlineData(SeedData.Verified, "reject", "verified", "only a PENDING_APPROVAL action can be rejected; act-a2-verified is VERIFIED")]
    [InlineData(SeedData.Answered, "reject", "succeeded", "only a PENDING_APPROVAL action can be rejected; act-a1-answered is SUCCEEDED")]
    [InlineData(SeedData.ApproveMe, "rollback", "pending_approval", "only an executed action (SUCCEEDED or VERIFIED) can be rolled back; act-a1-approve is PENDING_APPROVAL")]
    public async Task Decide_ExecutorWouldRefuse_Returns409WithItsReason(string id, string verb, string phase, string detail)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverAll);

        var problem = await Http.ProblemAsync(await client.PostAsync($"api/v1/actions/{id}/{verb}", null, ct), HttpStatusCode.Conflict, ct);

        Assert.Equal((phase, detail), (problem.GetProperty("phase").GetString(), problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Approve_ActionWithOnlyARequest_Returns404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.ApproverAll);

        await Http.ProblemAsync(await client.PostAsync($"api/v1/actions/{SeedData.RequestOnly}/reject", null, ct), HttpStatusCode.NotFound, ct);
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

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];

    private static JsonElement Item(JsonElement page, string id) =>
        page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
}
