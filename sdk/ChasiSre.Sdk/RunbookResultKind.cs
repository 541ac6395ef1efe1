namespace ChasiSre.Sdk;

/// <summary>Outcome of <see cref="IBusinessAdapter.ExecuteRunbookAsync"/>.</summary>
public enum RunbookResultKind
{
    /// <summary>The runbook ran and did what it says.</summary>
    Succeeded,

    /// <summary>The runbook ran and failed.</summary>
    Failed,

    /// <summary>The adapter refused to run it (preconditions, parameters).</summary>
    Rejected,

    /// <summary>No runbook has the requested id (NOT_FOUND on the wire).</summary>
    UnknownRunbook,

    /// <summary>The adapter executes no runbooks (UNIMPLEMENTED on the wire).</summary>
    NotSupported,
}
