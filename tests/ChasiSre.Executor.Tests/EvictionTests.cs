using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Time.Testing;

namespace ChasiSre.Executor.Tests;

/// <summary>
/// Memory follows the recent past: settled actions and resolved incidents unchanged for longer than
/// <see cref="ExecutorOptions.Retention"/> leave the executor's ledger; what is in flight, and the incidents it belongs
/// to, stay.
/// </summary>
public sealed class EvictionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Records of the executor's own steps, as chasi.actions.v1 holds them (the rebuild's input).</summary>
    private sealed class RecordingSink : IActionRecordSink
    {
        public List<ActionRecord> Records { get; } = [];

        public Task PublishAsync(ActionRecord record, CancellationToken cancellationToken = default)
        {
            Records.Add(record);
            return Task.CompletedTask;
        }
    }

    private static IEnumerable<ActionRecord> Steps(string actionId, string incidentId, string action, params ActionPhase[] phases) =>
        phases.Select((phase, i) => new ActionRecord
        {
            ActionId = actionId,
            IncidentId = incidentId,
            Tenant = FlowHarness.Tenant,
            Phase = phase,
            Actor = ActionExecutor.Actor,
            Sequence = i + 1,
            IncidentRevision = 1,
            At = Timestamp.FromDateTimeOffset(T0.AddSeconds(i)),
            Remediation = FlowHarness.Remediation("r-" + actionId, action, FlowHarness.Ref(FlowHarness.ShopCluster, "apps/v1", "Deployment", FlowHarness.Namespace, actionId)),
        });

    private static Incident Resolved(string id, IncidentState state = IncidentState.Resolved)
    {
        var incident = FlowHarness.Incident(id, FlowHarness.Ref(FlowHarness.ShopCluster, "apps/v1", "Deployment", FlowHarness.Namespace, id), 2, state);
        incident.UpdatedAt = Timestamp.FromDateTimeOffset(T0);
        return incident;
    }

    [Fact]
    public async Task CheckDeadlines_AfterRetention_SettledActionsAndResolvedIncidentsLeave_InFlightStays()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(T0.AddHours(1));
        var options = Microsoft.Extensions.Options.Options.Create(new ExecutorOptions { Retention = TimeSpan.FromDays(1) });
        var sink = new RecordingSink();
        using var clusters = new KubernetesClusters(options);
        using var executor = new ActionExecutor(ActionPolicy.Default, clusters, sink, options, time);
        await executor.RecoverAsync(
        [
            .. Steps("denied", "inc-old", RemediationCatalog.Scale, ActionPhase.Proposed, ActionPhase.Denied),
            .. Steps("verified", "inc-old", RemediationCatalog.Scale, ActionPhase.Proposed, ActionPhase.PendingApproval, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded, ActionPhase.Verified),
            .. Steps("pending", "inc-busy", RemediationCatalog.RolloutRestart, ActionPhase.Proposed, ActionPhase.PendingApproval),
        ], ct);
        await executor.HandleIncidentAsync(Resolved("inc-old"), ct);
        await executor.HandleIncidentAsync(Resolved("inc-busy"), ct);
        await executor.HandleIncidentAsync(Resolved("inc-open", IncidentState.Open), ct);

        await executor.CheckDeadlinesAsync(ct);
        Assert.Equal(["denied", "pending", "verified"], executor.Actions.Select(a => a.ActionId).Order(StringComparer.Ordinal));

        time.Advance(TimeSpan.FromDays(1));
        await executor.CheckDeadlinesAsync(ct);

        Assert.Equal(["pending"], executor.Actions.Select(a => a.ActionId));
        Assert.Empty(sink.Records);

        // A person's late rollback of the evicted action is ignored: nothing written, nothing acted on.
        await executor.HandleActionRecordAsync(new ActionRecord { ActionId = "verified", Phase = ActionPhase.RollbackRequested, Actor = "user:alice", Reason = "late", At = Timestamp.FromDateTimeOffset(time.GetUtcNow()) }, cancellationToken: ct);
        Assert.Empty(sink.Records);

        // A diagnosis of the evicted resolved incident finds no incident (denied for it), while the incident of the
        // in-flight action is still known to be resolved (its diagnosis is skipped, no record).
        var target = FlowHarness.Ref(FlowHarness.ShopCluster, "apps/v1", "Deployment", FlowHarness.Namespace, "web");
        await executor.HandleDiagnosisAsync(FlowHarness.Diagnosis("inc-busy", FlowHarness.Tenant, 2, FlowHarness.Remediation("r-web", RemediationCatalog.RolloutRestart, target)), T0, ct);
        Assert.Empty(sink.Records);
        await executor.HandleDiagnosisAsync(FlowHarness.Diagnosis("inc-old", FlowHarness.Tenant, 2, FlowHarness.Remediation("r-web", RemediationCatalog.RolloutRestart, target)), T0, ct);
        var denied = Assert.Single(sink.Records, r => r.Phase == ActionPhase.Denied);
        Assert.StartsWith("incident: inc-old was not seen", denied.Reason, StringComparison.Ordinal);
    }
}
