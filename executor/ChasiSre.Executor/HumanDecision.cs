namespace ChasiSre.Executor;

/// <summary>What a person can ask of an action (through the API or the CLI).</summary>
public enum HumanDecision
{
    /// <summary>Run a <c>PENDING_APPROVAL</c> action (record phase <c>APPROVED</c>).</summary>
    Approve = 0,

    /// <summary>Refuse a <c>PENDING_APPROVAL</c> action (record phase <c>REJECTED</c>).</summary>
    Reject = 1,

    /// <summary>Undo an executed reversible action (record phase <c>ROLLBACK_REQUESTED</c>).</summary>
    Rollback = 2,
}
