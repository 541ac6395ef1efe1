using System.Text.Json.Nodes;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Executor.Tests;

/// <summary>
/// Every Kubernetes action of the catalog through the whole flow against the apiserver simulator, over the real Kafka
/// topics and into ClickHouse through the production sink: dry run (the object is unchanged), a person's approval,
/// execution (the object changed, an Event on it), and for reversible actions a verification window that closes
/// without the incident resolving (NOT_VERIFIED, then the automatic rollback restores the object), then a second
/// action that the incident's resolution verifies.
/// </summary>
public sealed class CatalogFlowTests(ChDbFixture chdb)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An action, its target as seeded, and the one field of the target it changes (as text, "absent" when missing).</summary>
    private sealed record Case(string Action, ObjectRef Target, JsonObject Seed, (string Name, string Value)[] Parameters, Func<ApiServerSimulator, string> Observe, string DiffLine);

    private static Case For(string action)
    {
        var shop = FlowHarness.ShopCluster;
        var ns = FlowHarness.Namespace;
        return action switch
        {
            RemediationCatalog.DeletePod => new(action, FlowHarness.Ref(shop, "v1", "Pod", ns, "web-7d9c-x1"), Objects.Pod("web-7d9c-x1"), [],
                c => c.Get("v1", "Pod", ns, "web-7d9c-x1") is null ? "absent" : "present", "-kind: Pod"),
            RemediationCatalog.RolloutRestart => new(action, FlowHarness.Ref(shop, "apps/v1", "Deployment", ns, "web"), Objects.Deployment("web"), [],
                c => Text(c.Get("apps/v1", "Deployment", ns, "web")?["spec"]?["template"]?["metadata"]?["annotations"]?["kubectl.kubernetes.io/restartedAt"]),
                "-        kubectl.kubernetes.io/restartedAt: \"2026-11-01T10:00:00Z\""),
            RemediationCatalog.Scale => new(action, FlowHarness.Ref(shop, "apps/v1", "Deployment", ns, "api"), Objects.Deployment("api", replicas: 2), [("replicas", "5")],
                c => Text(c.Get("apps/v1", "Deployment", ns, "api")?["spec"]?["replicas"]), "+  replicas: 5"),
            RemediationCatalog.PatchConfigMap => new(action, FlowHarness.Ref(shop, "v1", "ConfigMap", ns, "web-config"), Objects.ConfigMap("web-config"), [("key", "LOG_LEVEL"), ("value", "debug")],
                c => Text(c.Get("v1", "ConfigMap", ns, "web-config")?["data"]?["LOG_LEVEL"]), "+  LOG_LEVEL: debug"),
            RemediationCatalog.RerunJob => new(action, FlowHarness.Ref(shop, "batch/v1", "Job", ns, "report-123"), Objects.FailedJob("report-123"), [],
                c => string.Join(",", c.List("batch/v1", "Job").Where(j => (string?)j["metadata"]?["annotations"]?["chasi.io/rerun-of"] == "report-123").Select(j => (string?)j["metadata"]!["name"]).Order(StringComparer.Ordinal)),
                "+  name: report-123-rerun-"),
            RemediationCatalog.SuspendCronJob => new(action, FlowHarness.Ref(shop, "batch/v1", "CronJob", ns, "sync"), Objects.CronJob("sync", suspended: false), [],
                c => Text(c.Get("batch/v1", "CronJob", ns, "sync")?["spec"]?["suspend"]), "+  suspend: true"),
            RemediationCatalog.ResumeCronJob => new(action, FlowHarness.Ref(shop, "batch/v1", "CronJob", ns, "sync"), Objects.CronJob("sync", suspended: true), [],
                c => Text(c.Get("batch/v1", "CronJob", ns, "sync")?["spec"]?["suspend"]), "+  suspend: false"),
            RemediationCatalog.CordonNode => new(action, FlowHarness.Ref(FlowHarness.HostCluster, "v1", "Node", "", "node-1"), Objects.Node("node-1", cordoned: false), [],
                c => Text(c.Get("v1", "Node", null, "node-1")?["spec"]?["unschedulable"]), "+  unschedulable: true"),
            RemediationCatalog.UncordonNode => new(action, FlowHarness.Ref(FlowHarness.HostCluster, "v1", "Node", "", "node-1"), Objects.Node("node-1", cordoned: true), [],
                c => Text(c.Get("v1", "Node", null, "node-1")?["spec"]?["unschedulable"]), "-  unschedulable: true"),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "no case"),
        };
    }

    [Theory]
    [InlineData(RemediationCatalog.RolloutRestart)]
    [InlineData(RemediationCatalog.Scale)]
    [InlineData(RemediationCatalog.PatchConfigMap)]
    [InlineData(RemediationCatalog.RerunJob)]
    [InlineData(RemediationCatalog.SuspendCronJob)]
    [InlineData(RemediationCatalog.ResumeCronJob)]
    [InlineData(RemediationCatalog.CordonNode)]
    [InlineData(RemediationCatalog.UncordonNode)]
    public async Task Flow_ReversibleAction_DryRunApproveExecuteRollBackThenVerify(string action)
    {
        var c = For(action);
        Assert.True(ExecutorCatalog.Find(action)!.Reversible);
        var database = await chdb.MigratedDatabaseAsync(Ct);
        await using var h = await FlowHarness.StartAsync(Policies.HostNeedsApproval, Window);
        using var sinkStop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var sink = Sink(h, database).RunAsync(sinkStop.Token);
        try
        {
            await RunReversibleAsync(h, c, database);
        }
        finally
        {
            await sinkStop.CancelAsync();
            await sink;
        }
    }

    private async Task RunReversibleAsync(FlowHarness h, Case c, string database)
    {
        var action = c.Action;
        var cluster = h.Cluster(c.Target.Cluster);
        cluster.Apply(c.Seed);
        var before = c.Observe(cluster);

        // Not verified: the window closes with the incident still open, and the rollback restores the object.
        var first = await ProposeAndApproveAsync(h, cluster, c, "inc-rollback", before);
        var changed = c.Observe(cluster);
        var rolledBack = await h.WaitForAsync(first, ActionPhase.RolledBack, TimeSpan.FromSeconds(30));
        Assert.Equal(before, c.Observe(cluster));
        Assert.Equal(ExecutorCatalog.Find(action)!.Reversible, rolledBack.RollbackState.Length > 0);
        await AssertEventAsync(cluster, c.Target.Name, "ChasiActionRolledBack", first, "executor");

        // Verified: the incident resolves at a later revision after the execution.
        var second = await ProposeAndApproveAsync(h, cluster, c, "inc-verify", before);
        await h.PublishAsync(FlowHarness.Incident("inc-verify", c.Target, 2, IncidentState.Resolved));
        await h.WaitForAsync(second, ActionPhase.Verified, TimeSpan.FromSeconds(30));
        Assert.NotEqual(before, c.Observe(cluster));
        Assert.NotEqual(before, changed);

        // The audit: every step on chasi.actions.v1 in sequence, and the same steps in ClickHouse's actions table.
        var records = await h.RecordsAsync(first);
        var steps = records.Where(r => r.Sequence > 0).ToList();
        Assert.Equal(
            [ActionPhase.Proposed, ActionPhase.PendingApproval, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded, ActionPhase.NotVerified, ActionPhase.RolledBack],
            steps.Select(r => r.Phase));
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(r => r.Sequence));
        Assert.All(records, r => Assert.Equal(first, r.ActionId));
        Assert.Equal("user:alice", steps[2].Actor);
        Assert.True(steps[1].DryRun);
        Assert.Equal("approval", steps[1].Decision);
        Assert.Equal(action is RemediationCatalog.CordonNode or RemediationCatalog.UncordonNode ? "host-nodes-approval" : "", steps[1].PolicyRule);
        var phases = await WaitForAuditRowsAsync(database, first, records.Count);
        Assert.Equal(records.Select(r => ActionTransitions.Name(r.Phase)).Order(StringComparer.Ordinal), phases.Order(StringComparer.Ordinal));
        var verified = await h.RecordsAsync(second);
        Assert.Equal(ActionPhase.Verified, verified[^1].Phase);
    }

    [Fact]
    public async Task Flow_DeletePod_DeletedAndVerified_IrreversibleNotVerifiedIsNotRolledBack()
    {
        var c = For(RemediationCatalog.DeletePod);
        Assert.False(ExecutorCatalog.Find(c.Action)!.Reversible);
        var database = await chdb.MigratedDatabaseAsync(Ct);
        await using var h = await FlowHarness.StartAsync(Policies.HostNeedsApproval, Window);
        using var sinkStop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var sink = Sink(h, database).RunAsync(sinkStop.Token);
        try
        {
            await RunDeletePodAsync(h, c, database);
        }
        finally
        {
            await sinkStop.CancelAsync();
            await sink;
        }
    }

    private async Task RunDeletePodAsync(FlowHarness h, Case c, string database)
    {
        var cluster = h.Shop;
        cluster.Apply(c.Seed);

        var first = await ProposeAndApproveAsync(h, cluster, c, "inc-verify", "present");
        Assert.Equal("absent", c.Observe(cluster));
        await h.PublishAsync(FlowHarness.Incident("inc-verify", c.Target, 2, IncidentState.Resolved));
        await h.WaitForAsync(first, ActionPhase.Verified, TimeSpan.FromSeconds(30));

        // A second pod the incident does not resolve for: NOT_VERIFIED, and there it stays (a deleted pod cannot come back).
        cluster.Apply(c.Seed);
        var second = await ProposeAndApproveAsync(h, cluster, c, "inc-open", "present");
        var notVerified = await h.WaitForAsync(second, ActionPhase.NotVerified, TimeSpan.FromSeconds(30));
        Assert.True(notVerified.IsFinal);
        Assert.Equal("", notVerified.RollbackState);
        await Task.Delay(500, Ct);
        Assert.Equal(ActionPhase.NotVerified, h.Executor.Find(second)!.Phase);

        var records = await h.RecordsAsync(first);
        Assert.Equal(
            [ActionPhase.Proposed, ActionPhase.PendingApproval, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded, ActionPhase.Verified],
            records.Where(r => r.Sequence > 0).Select(r => r.Phase));
        Assert.DoesNotContain(records, r => r.Diff.Contains("hunter2", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Diff.Contains("DB_PASSWORD", StringComparison.Ordinal) && r.Diff.Contains(SecretRedaction.Redacted, StringComparison.Ordinal));
        var phases = await WaitForAuditRowsAsync(database, first, records.Count);
        Assert.Contains("VERIFIED", phases);
    }

    /// <summary>Proposes the case's action for a new incident, checks its dry run left the object alone, approves it as alice and waits for its success and its Event.</summary>
    private static async Task<string> ProposeAndApproveAsync(FlowHarness h, ApiServerSimulator cluster, Case c, string incidentId, string before)
    {
        var resourceVersion = cluster.ResourceVersion;
        await h.ProposeAsync(incidentId, c.Target, FlowHarness.Remediation("action-1", c.Action, c.Target, c.Parameters));
        var id = FlowHarness.ActionId(incidentId, "action-1");
        var pending = await h.WaitForAsync(id, ActionPhase.PendingApproval);

        Assert.Equal(before, c.Observe(cluster));
        Assert.Equal(resourceVersion, cluster.ResourceVersion);
        Assert.True(pending.Diff.Contains(c.DiffLine, StringComparison.Ordinal), pending.Diff);
        Assert.DoesNotContain("managedFields", pending.Diff, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", pending.Diff, StringComparison.Ordinal);

        await h.Decisions.PublishAsync(id, HumanDecision.Approve, "user:alice", "checked the diff", Ct);
        await h.WaitForAsync(id, ActionPhase.Succeeded);
        Assert.NotEqual(before, c.Observe(cluster));
        await AssertEventAsync(cluster, c.Target.Name, "ChasiActionSucceeded", id, "user:alice");
        return id;
    }

    /// <summary>The Event the executor writes on the target after the step (it follows the step's record: waited for, bounded).</summary>
    private static async Task AssertEventAsync(ApiServerSimulator cluster, string name, string reason, string actionId, string actor)
    {
        List<JsonObject> events = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            events = [.. FlowHarness.EventsAbout(cluster, name).Where(e => (string?)e["reason"] == reason && ((string?)e["message"] ?? "").Contains(actionId, StringComparison.Ordinal))];
            if (events.Count > 0)
            {
                break;
            }

            await Task.Delay(50, Ct);
        }

        var e = Assert.Single(events);
        Assert.Equal(ActionExecutor.Component, (string?)e["reportingComponent"]);
        Assert.Contains(actor, (string?)e["message"], StringComparison.Ordinal);
    }

    private ClickHouseSink Sink(FlowHarness h, string database) => new(
        h.Factory,
        chdb.Store,
        Options.Create(new ClickHouseSinkOptions { GroupId = $"sink-{Guid.NewGuid():N}", MaxBatchDelay = TimeSpan.FromMilliseconds(100) }),
        Options.Create(chdb.Options(database)),
        TimeProvider.System,
        NullLoggerFactory.Instance);

    private async Task<IReadOnlyList<string>> WaitForAuditRowsAsync(string database, string actionId, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<string> phases = [];
        while (DateTime.UtcNow < deadline)
        {
            var rows = await chdb.Store.QueryAsync($"SELECT phase FROM {database}.actions FINAL WHERE action_id = '{actionId}'", Ct);
            phases = [.. rows.Select(r => r.Get<string>("phase"))];
            if (phases.Count >= expected)
            {
                return phases;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"actions table: {phases.Count} rows for {actionId}, expected {expected}");
        return phases;
    }

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "absent";
}
