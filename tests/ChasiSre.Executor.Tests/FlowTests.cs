using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Executor.Tests;

/// <summary>The flow's rules on the real topics and the simulator: idempotency, one action per object, scope, policy, people's decisions, restarts, conflicts, credentials.</summary>
public sealed class FlowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ObjectRef Deployment(string name) => FlowHarness.Ref(FlowHarness.ShopCluster, "apps/v1", "Deployment", FlowHarness.Namespace, name);

    [Fact]
    public async Task HandleDiagnosis_SameDiagnosisDeliveredTwice_OneAction()
    {
        await using var h = await FlowHarness.StartAsync();
        h.Shop.Apply(Objects.Deployment("web"));
        var target = Deployment("web");
        var remediation = FlowHarness.Remediation("action-1", RemediationCatalog.Scale, target, ("replicas", "4"));

        await h.ProposeAsync("inc-1", target, remediation);
        await h.PublishAsync(FlowHarness.Diagnosis("inc-1", FlowHarness.Tenant, 1, remediation));
        var id = FlowHarness.ActionId("inc-1", "action-1");
        await h.WaitForAsync(id, ActionPhase.PendingApproval);
        await WaitForHandledAsync(h, diagnoses: 2);

        var log = await ActionLog.ReadAsync(h.Factory, TopicCatalog.Actions.Name, TimeSpan.FromSeconds(30), Ct);
        Assert.Equal([id], log.Records.Select(r => r.ActionId).Distinct());
        Assert.Equal([ActionPhase.Proposed, ActionPhase.PendingApproval], log.Records.Select(r => r.Phase));
        Assert.Equal("inc-1/1/action-1", log.Records[0].IdempotencyKey);
        Assert.Single(h.Executor.Actions);
    }

    [Fact]
    public async Task HandleDiagnosis_SecondActionOnSameObject_DeniedWhileFirstInFlight()
    {
        await using var h = await FlowHarness.StartAsync();
        h.Shop.Apply(Objects.Deployment("web"));
        var target = Deployment("web");

        await h.ProposeAsync("inc-1", target,
            FlowHarness.Remediation("action-1", RemediationCatalog.Scale, target, ("replicas", "4")),
            FlowHarness.Remediation("action-2", RemediationCatalog.RolloutRestart, target));
        var first = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-1"), ActionPhase.PendingApproval);
        var second = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-2"), ActionPhase.Denied);

        Assert.StartsWith($"in-flight: action {first.ActionId} (scale) is PENDING_APPROVAL", second.Reason, StringComparison.Ordinal);
        Assert.Equal("deny", second.Decision);
        Assert.Equal("", second.Diff);

        // Once the first is settled (rejected), the object is free again.
        await h.Decisions.PublishAsync(first.ActionId, HumanDecision.Reject, "user:bob", "not now", Ct);
        await h.WaitForAsync(first.ActionId, ActionPhase.Rejected);
        await h.PublishAsync(FlowHarness.Diagnosis("inc-1", FlowHarness.Tenant, 2, FlowHarness.Remediation("action-2", RemediationCatalog.RolloutRestart, target)));
        await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-2", revision: 2), ActionPhase.PendingApproval);
    }

    [Fact]
    public async Task HandleDiagnosis_TargetInAnotherTenantsCluster_DeniedOutsideIncident()
    {
        await using var h = await FlowHarness.StartAsync();
        h.Shop.Apply(Objects.Deployment("web"));
        var subject = Deployment("web");
        var foreign = new ObjectRef(subject) { Cluster = "vc-payments", Tenant = "payments", Name = "ledger" };

        await h.ProposeAsync("inc-1", subject, FlowHarness.Remediation("action-1", RemediationCatalog.RolloutRestart, foreign));
        var denied = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-1"), ActionPhase.Denied);

        Assert.Equal("outside-incident: the target is in cluster 'vc-payments', incident inc-1 in cluster 'vc-shop'", denied.Reason);
        var record = (await h.RecordsAsync(denied.ActionId))[^1];
        Assert.Contains(record.Reasons, r => r.StartsWith("outside-incident: the target belongs to tenant 'payments'", StringComparison.Ordinal));
        Assert.Equal("policy:default", record.Actor);
    }

    [Fact]
    public async Task HandleDiagnosis_HostActionUnderDefaultPolicy_DeniedWithoutDryRun()
    {
        await using var h = await FlowHarness.StartAsync(ActionPolicy.Default);
        h.Host.Apply(Objects.Node("node-1", cordoned: false));
        var node = FlowHarness.Ref(FlowHarness.HostCluster, "v1", "Node", "", "node-1");
        var resourceVersion = h.Host.ResourceVersion;

        await h.ProposeAsync("inc-node", node, FlowHarness.Remediation("action-1", RemediationCatalog.CordonNode, node));
        var denied = await h.WaitForAsync(FlowHarness.ActionId("inc-node", "action-1"), ActionPhase.Denied);

        Assert.StartsWith("host-layer-default: no rule names host-layer cordon-node: host default deny", denied.Reason, StringComparison.Ordinal);
        Assert.Equal("", denied.Diff);
        Assert.Equal(resourceVersion, h.Host.ResourceVersion);
        Assert.Null(h.Host.Get("v1", "Node", null, "node-1")!["spec"]!["unschedulable"]);
    }

    [Fact]
    public async Task HandleDiagnosis_RuleSaysAuto_ExecutedWithoutPersonUntilTenantRateLimit()
    {
        await using var h = await FlowHarness.StartAsync(Policies.ShopRestartsAuto);
        foreach (var name in new[] { "web", "api", "worker" })
        {
            h.Shop.Apply(Objects.Deployment(name));
        }

        await h.ProposeAsync("inc-1", Deployment("web"),
            FlowHarness.Remediation("action-1", RemediationCatalog.RolloutRestart, Deployment("web")),
            FlowHarness.Remediation("action-2", RemediationCatalog.RolloutRestart, Deployment("api")),
            FlowHarness.Remediation("action-3", RemediationCatalog.RolloutRestart, Deployment("worker")));
        var first = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-1"), ActionPhase.Succeeded);
        await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-2"), ActionPhase.Succeeded);
        var third = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-3"), ActionPhase.Denied);

        var records = await h.RecordsAsync(first.ActionId);
        var approved = Assert.Single(records, r => r.Phase == ActionPhase.Approved);
        Assert.Equal("policy:shop-restarts-auto", approved.Actor);
        Assert.Equal("auto", approved.Decision);
        Assert.True(approved.DryRun);
        Assert.Contains("kubectl.kubernetes.io/restartedAt", approved.Diff, StringComparison.Ordinal);
        Assert.DoesNotContain(records, r => r.Actor.StartsWith("user:", StringComparison.Ordinal));
        Assert.NotEqual("2026-11-01T10:00:00Z", (string?)h.Shop.Get("apps/v1", "Deployment", FlowHarness.Namespace, "web")!["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
        Assert.StartsWith("blast-radius-rate: tenant 'shop' had 2 actions in the last hour; the limit is 2", third.Reason, StringComparison.Ordinal);
        Assert.Equal("2026-11-01T10:00:00Z", (string?)h.Shop.Get("apps/v1", "Deployment", FlowHarness.Namespace, "worker")!["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
    }

    [Fact]
    public async Task HandleDiagnosis_PolicyFileRewrittenWhileRunning_NextProposalJudgedByTheNewPolicy()
    {
        var directory = Directory.CreateTempSubdirectory("chasi-flow-policy-");
        try
        {
            var file = Path.Combine(directory.FullName, "shop.yaml");
            File.WriteAllText(file, """
                apiVersion: chasi.io/v1alpha1
                kind: ActionPolicy
                metadata:
                  name: shop-careful
                spec:
                  rules:
                  - name: shop-restarts-approval
                    match:
                      tenants: [shop]
                      actions: [rollout-restart]
                    decision: approval
                """);
            await using var h = await FlowHarness.StartAsync(ActionPolicySource.FromFile(file));
            h.Shop.Apply(Objects.Deployment("web"));
            h.Shop.Apply(Objects.Deployment("api"));

            await h.ProposeAsync("inc-1", Deployment("web"), FlowHarness.Remediation("action-1", RemediationCatalog.RolloutRestart, Deployment("web")));
            var pending = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-1"), ActionPhase.PendingApproval);
            Assert.Equal("policy shop-careful: needs approval (rule 'shop-restarts-approval')", pending.Reason);

            File.WriteAllText(file, """
                apiVersion: chasi.io/v1alpha1
                kind: ActionPolicy
                metadata:
                  name: shop-trusting
                spec:
                  rules:
                  - name: shop-restarts-auto
                    match:
                      tenants: [shop]
                      actions: [rollout-restart]
                    decision: auto
                """);
            Assert.True(h.PolicySource.Refresh());

            await h.ProposeAsync("inc-2", Deployment("api"), FlowHarness.Remediation("action-1", RemediationCatalog.RolloutRestart, Deployment("api")));
            await h.WaitForAsync(FlowHarness.ActionId("inc-2", "action-1"), ActionPhase.Succeeded);
            var approved = Assert.Single(await h.RecordsAsync(FlowHarness.ActionId("inc-2", "action-1")), r => r.Phase == ActionPhase.Approved);
            Assert.Equal(("policy:shop-restarts-auto", "auto"), (approved.Actor, approved.Decision));
            Assert.Equal(ActionPhase.PendingApproval, h.Executor.Find(pending.ActionId)!.Phase);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task HandleDiagnosis_RuleSaysAutoButALanguageModelProposed_WaitsForAPerson()
    {
        await using var h = await FlowHarness.StartAsync(Policies.ShopRestartsAuto);
        h.Shop.Apply(Objects.Deployment("web"));
        var subject = Deployment("web");
        await h.PublishAsync(FlowHarness.Incident("inc-1", subject, 1, IncidentState.Open));
        var diagnosis = FlowHarness.Diagnosis("inc-1", subject.Tenant, 1, FlowHarness.Remediation("action-1", RemediationCatalog.RolloutRestart, subject));
        diagnosis.Engine = "openai:gpt-4o-mini";
        await h.PublishAsync(diagnosis);

        var pending = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-1"), ActionPhase.PendingApproval);

        var step = Assert.Single(await h.RecordsAsync(pending.ActionId), r => r.Phase == ActionPhase.PendingApproval);
        Assert.Equal(("approval", "shop-restarts-auto", ActionExecutor.Actor), (step.Decision, step.PolicyRule, step.Actor));
        Assert.Contains(step.Reasons, r => r.StartsWith(ActionExecutor.ModelProposalReason + ": proposed by a language model (openai:gpt-4o-mini)", StringComparison.Ordinal));
        Assert.Contains("kubectl.kubernetes.io/restartedAt", step.Diff, StringComparison.Ordinal);
        Assert.Equal("2026-11-01T10:00:00Z", (string?)h.Shop.Get("apps/v1", "Deployment", FlowHarness.Namespace, "web")!["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);

        await h.Decisions.PublishAsync(pending.ActionId, HumanDecision.Approve, "user:alice", "", Ct);
        var done = await h.WaitForAsync(pending.ActionId, ActionPhase.Succeeded);
        Assert.Equal("user:alice", Assert.Single(await h.RecordsAsync(done.ActionId), r => r.Phase == ActionPhase.Approved && r.Sequence > 0).Actor);
    }

    [Fact]
    public async Task HandleActionRecord_DecisionsThatAreNotValidTransitions_RefusedAndAudited()
    {
        await using var h = await FlowHarness.StartAsync(Policies.ShopRestartsAuto);
        h.Shop.Apply(Objects.Pod("web-7d9c-x1"));
        h.Shop.Apply(Objects.Deployment("web"));
        var pod = FlowHarness.Ref(FlowHarness.ShopCluster, "v1", "Pod", FlowHarness.Namespace, "web-7d9c-x1");
        await h.ProposeAsync("inc-1", pod,
            FlowHarness.Remediation("action-1", RemediationCatalog.DeletePod, pod),
            FlowHarness.Remediation("action-2", RemediationCatalog.Scale, Deployment("web"), ("replicas", "3")));
        var deleted = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-1"), ActionPhase.Succeeded);
        var pending = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-2"), ActionPhase.PendingApproval);

        // Approving an executed action, rolling back an irreversible one, a decision by a non-person.
        await h.Decisions.PublishAsync(deleted.ActionId, HumanDecision.Approve, "user:mallory", "", Ct);
        await h.Decisions.PublishAsync(deleted.ActionId, HumanDecision.Rollback, "user:mallory", "", Ct);
        var forged = new ActionRecord { ActionId = pending.ActionId, Phase = ActionPhase.Approved, Actor = "policy:anything", Sequence = 0, At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) };
        await h.PublishAsync(forged);
        await WaitForAsync(() => h.Executor.Find(pending.ActionId)!.Sequence == pending.Sequence + 1 && h.Executor.Find(deleted.ActionId)!.Sequence == deleted.Sequence + 2);

        var deleteRecords = (await h.RecordsAsync(deleted.ActionId)).Where(r => r.Sequence > deleted.Sequence).ToList();
        Assert.Equal([ActionPhase.Succeeded, ActionPhase.Succeeded], deleteRecords.Select(r => r.Phase));
        Assert.All(deleteRecords, r => Assert.Equal("user:mallory", r.Actor));
        Assert.Equal("refused APPROVED: only a PENDING_APPROVAL action can be approved; " + deleted.ActionId + " is SUCCEEDED", deleteRecords[0].Reason);
        Assert.Equal("refused ROLLBACK_REQUESTED: delete-pod is not reversible", deleteRecords[1].Reason);
        var scaleState = h.Executor.Find(pending.ActionId)!;
        Assert.Equal(ActionPhase.PendingApproval, scaleState.Phase);
        Assert.Equal("refused APPROVED: the actor 'policy:anything' is not a person (user:<name>)", scaleState.Reason);
        Assert.Equal(2, (int?)h.Shop.Get("apps/v1", "Deployment", FlowHarness.Namespace, "web")!["spec"]!["replicas"]);
        Assert.Throws<ArgumentException>(() => h.Decisions.Request(pending.ActionId, HumanDecision.Approve, "bob", ""));
    }

    [Fact]
    public async Task HandleActionRecord_PersonRequestsRollbackOfVerifiedAction_RestoredAndAudited()
    {
        await using var h = await FlowHarness.StartAsync();
        h.Shop.Apply(Objects.Deployment("web"));
        var target = Deployment("web");
        await h.ProposeAsync("inc-1", target, FlowHarness.Remediation("action-1", RemediationCatalog.Scale, target, ("replicas", "6")));
        var id = FlowHarness.ActionId("inc-1", "action-1");
        await h.WaitForAsync(id, ActionPhase.PendingApproval);
        await h.Decisions.PublishAsync(id, HumanDecision.Approve, "user:alice", "", Ct);
        await h.WaitForAsync(id, ActionPhase.Succeeded);
        await h.PublishAsync(FlowHarness.Incident("inc-1", target, 2, IncidentState.Resolved));
        await h.WaitForAsync(id, ActionPhase.Verified);
        Assert.Equal(6, (int?)h.Shop.Get("apps/v1", "Deployment", FlowHarness.Namespace, "web")!["spec"]!["replicas"]);

        await h.Decisions.PublishAsync(id, HumanDecision.Rollback, "user:bob", "the extra replicas starve the node", Ct);
        var rolledBack = await h.WaitForAsync(id, ActionPhase.RolledBack);

        Assert.Equal(2, (int?)h.Shop.Get("apps/v1", "Deployment", FlowHarness.Namespace, "web")!["spec"]!["replicas"]);
        Assert.Contains("-  replicas: 6\n+  replicas: 2", rolledBack.Diff, StringComparison.Ordinal);
        var steps = (await h.RecordsAsync(id)).Where(r => r.Sequence > 0).ToList();
        Assert.Equal([ActionPhase.Verified, ActionPhase.RollbackRequested, ActionPhase.RolledBack], steps.TakeLast(3).Select(r => r.Phase));
        Assert.Equal("user:bob", steps[^2].Actor);
        Assert.Equal("the extra replicas starve the node", steps[^2].Reason);

        // Rolled back is the end: a second rollback is refused and audited.
        await h.Decisions.PublishAsync(id, HumanDecision.Rollback, "user:bob", "", Ct);
        await WaitForAsync(() => h.Executor.Find(id)!.Sequence == rolledBack.Sequence + 1);
        Assert.Equal($"refused ROLLBACK_REQUESTED: only an executed action (SUCCEEDED or VERIFIED) can be rolled back; {id} is ROLLED_BACK", h.Executor.Find(id)!.Reason);
    }

    [Fact]
    public async Task ExecutorService_Restart_ResolutionBeforeTheExecutionDoesNotVerifyIt()
    {
        await using var h = await FlowHarness.StartAsync();
        h.Shop.Apply(Objects.Deployment("web"));
        var target = Deployment("web");
        await h.ProposeAsync("inc-r", target, FlowHarness.Remediation("action-1", RemediationCatalog.RolloutRestart, target));
        var pending = await h.WaitForAsync(FlowHarness.ActionId("inc-r", "action-1"), ActionPhase.PendingApproval);

        // While it waits for a person the incident resolves on its own (revision 2) and comes back (revision 3).
        foreach (var (revision, state) in new[] { (2L, IncidentState.Resolved), (3L, IncidentState.Open) })
        {
            var incident = FlowHarness.Incident("inc-r", target, revision, state);
            await h.PublishAsync(incident);
            await h.Executor.HandleIncidentAsync(incident, Ct); // known before the approval; the consumer's copy is ignored as not newer
        }

        await h.Decisions.PublishAsync(pending.ActionId, HumanDecision.Approve, "user:alice", "", Ct);
        await h.WaitForAsync(pending.ActionId, ActionPhase.Succeeded);
        Assert.Equal(3, Assert.Single(await h.RecordsAsync(pending.ActionId), r => r.Phase == ActionPhase.Succeeded).VerifyAfterRevision);

        // A new executor reads the incidents topic from its start: revision 2 (resolved before the execution) must not
        // verify the action; revision 4 does.
        await h.StopExecutorAsync();
        await h.StartExecutorAsync();
        await h.PublishAsync(FlowHarness.Incident("inc-r", target, 4, IncidentState.Resolved));
        var verified = await h.WaitForAsync(pending.ActionId, ActionPhase.Verified);

        Assert.Equal("incident inc-r resolved at revision 4", verified.Reason);
    }

    [Fact]
    public async Task ExecutorService_Restart_LedgerRebuiltFromTopic_InterruptedExecutionFailsAndPendingApprovalExecutesOnce()
    {
        await using var h = await FlowHarness.StartAsync();
        h.Shop.Apply(Objects.Deployment("web"));
        h.Shop.Apply(Objects.Deployment("api"));
        var target = Deployment("web");
        var diagnosis = FlowHarness.Diagnosis("inc-1", FlowHarness.Tenant, 1, FlowHarness.Remediation("action-1", RemediationCatalog.Scale, target, ("replicas", "4")));
        await h.PublishAsync(FlowHarness.Incident("inc-1", target, 1, IncidentState.Open));
        await h.PublishAsync(diagnosis);
        var pendingId = FlowHarness.ActionId("inc-1", "action-1");
        await h.WaitForAsync(pendingId, ActionPhase.PendingApproval);
        await h.StopExecutorAsync();

        // What a crashed executor left: an action it had started executing. And an approval published while the executor was down.
        var crashedId = FlowHarness.ActionId("inc-0", "action-9");
        var remediation = FlowHarness.Remediation("action-9", RemediationCatalog.Scale, Deployment("api"), ("replicas", "7"));
        var phases = new[] { ActionPhase.Proposed, ActionPhase.Approved, ActionPhase.Executing };
        for (var i = 0; i < phases.Length; i++)
        {
            await h.PublishAsync(new ActionRecord
            {
                ActionId = crashedId,
                IncidentId = "inc-0",
                Tenant = FlowHarness.Tenant,
                Phase = phases[i],
                Remediation = remediation,
                Actor = i == 1 ? "user:carol" : "executor",
                At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                IdempotencyKey = "inc-0/1/action-9",
                IncidentRevision = 1,
                Sequence = i + 1,
            });
        }

        await h.Decisions.PublishAsync(pendingId, HumanDecision.Approve, "user:alice", "approved while the executor was down", Ct);
        await h.StartExecutorAsync();
        var crashed = await h.WaitForAsync(crashedId, ActionPhase.Failed);
        await h.WaitForAsync(pendingId, ActionPhase.Succeeded);
        await h.PublishAsync(diagnosis); // Redelivered after the restart: the ledger knows it.
        await WaitForHandledAsync(h, diagnoses: 1);

        Assert.Equal("executor restarted during execution: not run again; check the target", crashed.Reason);
        Assert.Equal(2, (int?)h.Shop.Get("apps/v1", "Deployment", FlowHarness.Namespace, "api")!["spec"]!["replicas"]);
        Assert.Equal(4, (int?)h.Shop.Get("apps/v1", "Deployment", FlowHarness.Namespace, "web")!["spec"]!["replicas"]);
        var records = await h.RecordsAsync(pendingId);
        Assert.Single(records, r => r.Phase == ActionPhase.Proposed);
        Assert.Single(records, r => r.Phase == ActionPhase.Executing);
        Assert.Equal("user:alice", Assert.Single(records, r => r.Phase == ActionPhase.Approved && r.Sequence > 0).Actor);
        Assert.Equal(Enumerable.Range(1, records.Count(r => r.Sequence > 0)), records.Where(r => r.Sequence > 0).Select(r => r.Sequence));

        // A third executor finds nothing left to answer: the approval is not acted on twice.
        await h.StopExecutorAsync();
        await h.StartExecutorAsync();
        await Task.Delay(1500, Ct);
        Assert.Equal(records.Count, (await h.RecordsAsync(pendingId)).Count);
    }

    [Fact]
    public async Task Execute_ConflictOnce_ReReadAndRetried_ConflictTwice_Failed()
    {
        await using var h = await FlowHarness.StartAsync();
        h.Shop.Apply(Objects.Deployment("web"));
        h.Shop.Apply(Objects.Deployment("api"));
        static bool RealPatch(Ingest.Simulator.SimulatedRequest r) => r.Method == "PATCH" && !r.Query.Contains("dryRun", StringComparison.Ordinal);

        await h.ProposeAsync("inc-1", Deployment("web"), FlowHarness.Remediation("action-1", RemediationCatalog.Scale, Deployment("web"), ("replicas", "4")));
        var once = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-1"), ActionPhase.PendingApproval);
        h.Shop.Faults.FailNext(1, 409, match: RealPatch);
        await h.Decisions.PublishAsync(once.ActionId, HumanDecision.Approve, "user:alice", "", Ct);
        await h.WaitForAsync(once.ActionId, ActionPhase.Succeeded);
        Assert.Equal(4, (int?)h.Shop.Get("apps/v1", "Deployment", FlowHarness.Namespace, "web")!["spec"]!["replicas"]);

        await h.ProposeAsync("inc-2", Deployment("api"), FlowHarness.Remediation("action-1", RemediationCatalog.Scale, Deployment("api"), ("replicas", "4")));
        var twice = await h.WaitForAsync(FlowHarness.ActionId("inc-2", "action-1"), ActionPhase.PendingApproval);
        h.Shop.Faults.FailNext(2, 409, match: RealPatch);
        await h.Decisions.PublishAsync(twice.ActionId, HumanDecision.Approve, "user:alice", "", Ct);
        var failed = await h.WaitForAsync(twice.ActionId, ActionPhase.Failed);

        Assert.StartsWith("PATCH Deployment web/api: 409 Conflict", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(2, (int?)h.Shop.Get("apps/v1", "Deployment", FlowHarness.Namespace, "api")!["spec"]!["replicas"]);
        Assert.Equal(0, h.Shop.Faults.PendingFailures);
        await WaitForAsync(() => FlowHarness.EventsAbout(h.Shop, "api").Any(e => (string?)e["reason"] == "ChasiActionFailed" && (string?)e["type"] == "Warning"));
    }

    [Fact]
    public async Task HandleDiagnosis_ClusterWithoutCredentials_FailedWithReason()
    {
        await using var h = await FlowHarness.StartAsync();
        var target = new ObjectRef(Deployment("web")) { Cluster = "vc-elsewhere" };

        await h.ProposeAsync("inc-1", target, FlowHarness.Remediation("action-1", RemediationCatalog.RolloutRestart, target));
        var failed = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-1"), ActionPhase.Failed);

        Assert.Equal("dry run failed: the executor has no credentials for cluster 'vc-elsewhere' (Executor:Clusters maps host-1, vc-shop)", failed.Reason);
    }

    [Fact]
    public async Task HandleDiagnosis_SecretLookingConfigMapKey_DeniedAndValueNeverRecorded()
    {
        await using var h = await FlowHarness.StartAsync();
        h.Shop.Apply(Objects.ConfigMap("web-config"));
        var target = FlowHarness.Ref(FlowHarness.ShopCluster, "v1", "ConfigMap", FlowHarness.Namespace, "web-config");

        await h.ProposeAsync("inc-1", target, FlowHarness.Remediation("action-1", RemediationCatalog.PatchConfigMap, target, ("key", "api_token"), ("value", "leaked-by-llm")));
        var denied = await h.WaitForAsync(FlowHarness.ActionId("inc-1", "action-1"), ActionPhase.Denied);

        Assert.StartsWith("secret-key: 'api_token' looks like a secret", denied.Reason, StringComparison.Ordinal);
        var records = await h.RecordsAsync(denied.ActionId);
        Assert.All(records, r => Assert.Equal(SecretRedaction.Redacted, r.Remediation.Parameters["value"]));
        Assert.DoesNotContain(records, r => r.ToString().Contains("leaked-by-llm", StringComparison.Ordinal));
    }

    private static async Task WaitForHandledAsync(FlowHarness h, int diagnoses)
    {
        // The diagnoses consumer group's committed offsets say how many were handled.
        await WaitForAsync(() =>
        {
            using var consumer = h.Factory.CreateRawConsumer("tests-offsets", $"{h.Options.GroupId}.diagnoses");
            var partitions = Enumerable.Range(0, 2).Select(p => new Confluent.Kafka.TopicPartition(TopicCatalog.Diagnoses.Name, p)).ToList();
            var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10)).Sum(o => Math.Max(0, o.Offset.Value));
            consumer.Close();
            return committed >= diagnoses;
        });
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(100, Ct);
        }
    }
}
