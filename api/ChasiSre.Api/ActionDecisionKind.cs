namespace ChasiSre.Api;

/// <summary>A person's decision on an action: <c>POST /api/v1/actions/{id}/approve|reject|rollback</c>.</summary>
public enum ActionDecisionKind
{
    /// <summary>Run the pending action (its dry run passed; the policy asked for approval).</summary>
    Approve,

    /// <summary>Do not run the pending action.</summary>
    Reject,

    /// <summary>Restore what the action changed (it ran and recorded a rollback state).</summary>
    Rollback,
}
