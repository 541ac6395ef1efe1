using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Executor.Tests;

public sealed class ActionTransitionsTests
{
    private static ActionRecord Step(int sequence, ActionPhase phase, string actor = "executor", string action = RemediationCatalog.Scale) => new()
    {
        ActionId = "act-1",
        IncidentId = "inc-1",
        Tenant = "shop",
        Phase = phase,
        Actor = actor,
        Sequence = sequence,
        At = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 28, 10, 0, sequence, TimeSpan.Zero)),
        Remediation = new Remediation { Id = "action-1", Action = action, Target = FlowHarness.Ref(FlowHarness.ShopCluster, "apps/v1", "Deployment", "web", "web") },
    };

    private static ActionState State(string action, params ActionPhase[] phases) =>
        ActionTransitions.Fold(phases.Select((p, i) => Step(i + 1, p, action: action)))!;

    [Theory]
    [InlineData(ActionPhase.Proposed, ActionPhase.PendingApproval, true)]
    [InlineData(ActionPhase.Proposed, ActionPhase.Executing, false)]
    [InlineData(ActionPhase.PendingApproval, ActionPhase.Approved, true)]
    [InlineData(ActionPhase.PendingApproval, ActionPhase.Executing, false)]
    [InlineData(ActionPhase.Executing, ActionPhase.Succeeded, true)]
    [InlineData(ActionPhase.Succeeded, ActionPhase.RolledBack, false)]
    [InlineData(ActionPhase.NotVerified, ActionPhase.RolledBack, true)]
    [InlineData(ActionPhase.Denied, ActionPhase.Approved, false)]
    [InlineData(ActionPhase.RolledBack, ActionPhase.RollbackRequested, false)]
    public void IsValid_Transition_AsTheTableSays(ActionPhase from, ActionPhase to, bool valid) =>
        Assert.Equal(valid, ActionTransitions.IsValid(from, to));

    [Fact]
    public void CheckRequest_ApproveRejectRollback_OnlyFromTheirPhases()
    {
        var pending = State(RemediationCatalog.Scale, ActionPhase.Proposed, ActionPhase.PendingApproval);
        var executed = State(RemediationCatalog.Scale, ActionPhase.Proposed, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded);
        var deleted = State(RemediationCatalog.DeletePod, ActionPhase.Proposed, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded);

        Assert.Null(ActionTransitions.CheckRequest(pending, ActionPhase.Approved));
        Assert.Null(ActionTransitions.CheckRequest(pending, ActionPhase.Rejected));
        Assert.Equal("only an executed action (SUCCEEDED or VERIFIED) can be rolled back; act-1 is PENDING_APPROVAL", ActionTransitions.CheckRequest(pending, ActionPhase.RollbackRequested));
        Assert.Equal("only a PENDING_APPROVAL action can be approved; act-1 is SUCCEEDED", ActionTransitions.CheckRequest(executed, ActionPhase.Approved));
        Assert.Null(ActionTransitions.CheckRequest(executed, ActionPhase.RollbackRequested));
        Assert.Equal("delete-pod is not reversible", ActionTransitions.CheckRequest(deleted, ActionPhase.RollbackRequested));
        Assert.StartsWith("EXECUTING is not a decision", ActionTransitions.CheckRequest(pending, ActionPhase.Executing), StringComparison.Ordinal);
    }

    [Fact]
    public void Fold_RequestsAndRedeliveries_StateFromExecutorRecordsOnly()
    {
        var request = Step(0, ActionPhase.Approved, actor: "user:alice");
        var records = new[]
        {
            Step(1, ActionPhase.Proposed), Step(2, ActionPhase.PendingApproval), request,
            Step(2, ActionPhase.PendingApproval), // redelivered
        };

        var waiting = ActionTransitions.Fold(records)!;
        var answered = ActionTransitions.Apply(waiting, Step(3, ActionPhase.Approved, actor: "user:alice"));

        Assert.Equal(ActionPhase.PendingApproval, waiting.Phase);
        Assert.Equal(2, waiting.Sequence);
        Assert.Same(request, Assert.Single(waiting.Requests));
        Assert.True(waiting.InFlight);
        Assert.Empty(answered.Requests);
        Assert.Equal(ActionPhase.Approved, answered.Phase);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 1, TimeSpan.Zero), answered.ProposedAt);
    }

    [Fact]
    public void IsFinal_NotVerified_FinalOnlyWhenIrreversible()
    {
        Assert.False(State(RemediationCatalog.Scale, ActionPhase.Proposed, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded, ActionPhase.NotVerified).IsFinal);
        Assert.True(State(RemediationCatalog.DeletePod, ActionPhase.Proposed, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded, ActionPhase.NotVerified).IsFinal);
        Assert.True(State(RemediationCatalog.Scale, ActionPhase.Proposed, ActionPhase.Denied).IsFinal);
        Assert.False(State(RemediationCatalog.Scale, ActionPhase.Proposed, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded).IsFinal);
    }

    [Fact]
    public void ForKey_SameKey_SameIdAndOtherKeyOtherId()
    {
        var key = ActionIds.IdempotencyKey("inc-1", 3, "action-1");

        Assert.Equal("inc-1/3/action-1", key);
        Assert.Equal(ActionIds.ForKey(key), ActionIds.ForKey("inc-1/3/action-1"));
        Assert.NotEqual(ActionIds.ForKey(key), ActionIds.ForKey(ActionIds.IdempotencyKey("inc-1", 4, "action-1")));
        Assert.Matches("^act-[0-9a-f]{32}$", ActionIds.ForKey(key));
    }

    [Fact]
    public void ExecutorCatalog_EveryContractAction_HasAnEntry()
    {
        Assert.Equal(RemediationCatalog.All.Keys.Order(StringComparer.Ordinal), ExecutorCatalog.All.Keys.Order(StringComparer.Ordinal));
        Assert.All(ExecutorCatalog.All.Values, e => Assert.NotEmpty(e.Requests));
        Assert.Equal([RemediationCatalog.DeletePod, RemediationCatalog.ExecuteRunbook], ExecutorCatalog.All.Values.Where(e => !e.Reversible).Select(e => e.Name).Order(StringComparer.Ordinal));
    }
}
