using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>
/// The state of one action as its records on <c>chasi.actions.v1</c> tell it: the read model the executor rebuilds its
/// ledger from, and the API and CLI show. Built by <see cref="ActionTransitions.Fold"/>; only the executor's records
/// (sequence 1, 2, ...) move it; requests from people (sequence 0) are listed in <see cref="Requests"/> until the
/// executor answers them.
/// </summary>
public sealed record ActionState
{
    public required string ActionId { get; init; }

    public string IncidentId { get; init; } = "";

    public string Tenant { get; init; } = "";

    public string IdempotencyKey { get; init; } = "";

    public long IncidentRevision { get; init; }

    /// <summary>The incident's revision when the action executed (0 before): a RESOLVED revision above it verifies it.</summary>
    public long VerifyAfterRevision { get; init; }

    /// <summary>The proposal, as the first record carried it (secret-looking values redacted).</summary>
    public Remediation? Remediation { get; init; }

    /// <summary>The phase of the executor's latest record; <see cref="ActionPhase.Unspecified"/> before the first.</summary>
    public ActionPhase Phase { get; init; }

    /// <summary>The sequence of the executor's latest record.</summary>
    public int Sequence { get; init; }

    /// <summary>Who moved it last (<c>executor</c>, <c>policy:&lt;rule&gt;</c>, <c>user:&lt;name&gt;</c>).</summary>
    public string Actor { get; init; } = "";

    public string Reason { get; init; } = "";

    /// <summary>The policy's answer (<c>auto</c>, <c>approval</c>, <c>deny</c>) and its rule, once decided.</summary>
    public string Decision { get; init; } = "";

    public string PolicyRule { get; init; } = "";

    /// <summary>The dry run's diff, once there was one.</summary>
    public string Diff { get; init; } = "";

    /// <summary>What a rollback restores; empty for an irreversible action or before execution.</summary>
    public string RollbackState { get; init; } = "";

    /// <summary>When it was proposed, started executing, and last changed.</summary>
    public DateTimeOffset? ProposedAt { get; init; }

    public DateTimeOffset? ExecutingAt { get; init; }

    public DateTimeOffset? SucceededAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Requests from people the executor has not answered yet, oldest first.</summary>
    public IReadOnlyList<ActionRecord> Requests { get; init; } = [];

    /// <summary>True once the action changed its target (it reached <see cref="ActionPhase.Succeeded"/>).</summary>
    public bool Executed => SucceededAt is not null;

    /// <summary>True when the catalog says the action can be undone.</summary>
    public bool Reversible => ExecutorCatalog.Find(Remediation?.Action) is { Reversible: true };

    /// <summary>True when no further step can follow (see <see cref="ActionTransitions.IsFinal"/>).</summary>
    public bool IsFinal => ActionTransitions.IsFinal(this);

    /// <summary>
    /// True while the action holds its target: from proposal until it is denied, rejected, failed, rolled back or
    /// verified (a NOT_VERIFIED reversible action still holds it until its rollback). One per object at a time.
    /// </summary>
    public bool InFlight => !IsFinal;

    /// <summary><see cref="RecordKeys.ForObject"/> of the target, or empty.</summary>
    public string TargetKey => Remediation?.Target is { } t ? RecordKeys.ForObject(t) : "";
}
