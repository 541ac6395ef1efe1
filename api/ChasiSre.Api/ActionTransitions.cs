using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>
/// Which human decision the API accepts on an action, given its latest phase: approve and reject only an action
/// <see cref="ActionPhase.PendingApproval"/>; roll back only one that ran (<see cref="ActionPhase.Succeeded"/>,
/// <see cref="ActionPhase.Verified"/>, <see cref="ActionPhase.NotVerified"/>) and recorded a rollback state. The API
/// checks these before publishing; the executor checks its own transitions again when it consumes the decision, so a
/// decision racing an executor step is refused there.
/// </summary>
internal static class ActionTransitions
{
    /// <summary>The phase a decision records.</summary>
    public static ActionPhase Target(ActionDecisionKind kind) => kind switch
    {
        ActionDecisionKind.Approve => ActionPhase.Approved,
        ActionDecisionKind.Reject => ActionPhase.Rejected,
        ActionDecisionKind.Rollback => ActionPhase.RollbackRequested,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a decision"),
    };

    /// <summary>The phases a decision may follow.</summary>
    public static IReadOnlyList<ActionPhase> From(ActionDecisionKind kind) => kind switch
    {
        ActionDecisionKind.Approve or ActionDecisionKind.Reject => [ActionPhase.PendingApproval],
        ActionDecisionKind.Rollback => [ActionPhase.Succeeded, ActionPhase.Verified, ActionPhase.NotVerified],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a decision"),
    };

    /// <summary>Whether <paramref name="kind"/> may follow <paramref name="current"/> (<paramref name="reversible"/>: a rollback state was recorded).</summary>
    public static bool Allows(ActionDecisionKind kind, ActionPhase current, bool reversible) =>
        From(kind).Contains(current) && (kind != ActionDecisionKind.Rollback || reversible);
}
