using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>
/// The action state machine, as pure functions: which phase may follow which, which requests from people are valid, and
/// the fold of an action's records into its <see cref="ActionState"/>. The executor acts by these rules; the API and
/// CLI use the same ones to show an action and to refuse a request early.
/// </summary>
/// <remarks>
/// <code>
/// PROPOSED          → DENIED | PENDING_APPROVAL | APPROVED | FAILED
/// PENDING_APPROVAL  → APPROVED | REJECTED | FAILED
/// APPROVED          → EXECUTING | FAILED
/// EXECUTING         → SUCCEEDED | FAILED
/// SUCCEEDED         → VERIFIED | NOT_VERIFIED | ROLLBACK_REQUESTED
/// VERIFIED          → ROLLBACK_REQUESTED
/// NOT_VERIFIED      → ROLLED_BACK | FAILED          (reversible actions: the automatic rollback)
/// ROLLBACK_REQUESTED→ ROLLED_BACK | FAILED
/// </code>
/// DENIED, REJECTED, FAILED and ROLLED_BACK end an action. A refused request is audited as a record that repeats the
/// current phase, with the requester as actor and the refusal as reason.
/// </remarks>
public static class ActionTransitions
{
    private static readonly Dictionary<ActionPhase, ActionPhase[]> Next = new()
    {
        [ActionPhase.Unspecified] = [ActionPhase.Proposed],
        [ActionPhase.Proposed] = [ActionPhase.Denied, ActionPhase.PendingApproval, ActionPhase.Approved, ActionPhase.Failed],
        [ActionPhase.PendingApproval] = [ActionPhase.Approved, ActionPhase.Rejected, ActionPhase.Failed],
        [ActionPhase.Approved] = [ActionPhase.Executing, ActionPhase.Failed],
        [ActionPhase.Executing] = [ActionPhase.Succeeded, ActionPhase.Failed],
        [ActionPhase.Succeeded] = [ActionPhase.Verified, ActionPhase.NotVerified, ActionPhase.RollbackRequested],
        [ActionPhase.Verified] = [ActionPhase.RollbackRequested],
        [ActionPhase.NotVerified] = [ActionPhase.RolledBack, ActionPhase.Failed],
        [ActionPhase.RollbackRequested] = [ActionPhase.RolledBack, ActionPhase.Failed],
    };

    /// <summary>The phases that may follow <paramref name="from"/>.</summary>
    public static IReadOnlyList<ActionPhase> Successors(ActionPhase from) => Next.TryGetValue(from, out var next) ? next : [];

    /// <summary>True when <paramref name="to"/> may follow <paramref name="from"/>.</summary>
    public static bool IsValid(ActionPhase from, ActionPhase to) => Successors(from).Contains(to);

    /// <summary>
    /// True when no step follows on its own: ended (DENIED, REJECTED, FAILED, ROLLED_BACK), VERIFIED, or NOT_VERIFIED
    /// and irreversible. A settled action no longer holds its target (one in-flight action per object).
    /// </summary>
    public static bool IsFinal(ActionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Phase switch
        {
            ActionPhase.Denied or ActionPhase.Rejected or ActionPhase.Failed or ActionPhase.RolledBack or ActionPhase.Verified => true,
            ActionPhase.NotVerified => !state.Reversible,
            _ => false,
        };
    }

    /// <summary>The record phase a person's decision is published with.</summary>
    public static ActionPhase PhaseOf(HumanDecision decision) => decision switch
    {
        HumanDecision.Approve => ActionPhase.Approved,
        HumanDecision.Reject => ActionPhase.Rejected,
        HumanDecision.Rollback => ActionPhase.RollbackRequested,
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "not a decision"),
    };

    /// <summary>
    /// Why a person may not ask for <paramref name="requested"/> now, or null when the request is valid: approve or
    /// reject only a PENDING_APPROVAL action; roll back only an executed reversible one (SUCCEEDED or VERIFIED).
    /// </summary>
    public static string? CheckRequest(ActionState state, ActionPhase requested)
    {
        ArgumentNullException.ThrowIfNull(state);
        var current = Name(state.Phase);
        return requested switch
        {
            ActionPhase.Approved or ActionPhase.Rejected => state.Phase == ActionPhase.PendingApproval
                ? null
                : $"only a PENDING_APPROVAL action can be {(requested == ActionPhase.Approved ? "approved" : "rejected")}; {state.ActionId} is {current}",
            ActionPhase.RollbackRequested => !state.Reversible
                ? $"{state.Remediation?.Action ?? "the action"} is not reversible"
                : state.Phase is ActionPhase.Succeeded or ActionPhase.Verified
                    ? null
                    : $"only an executed action (SUCCEEDED or VERIFIED) can be rolled back; {state.ActionId} is {current}",
            _ => $"{Name(requested)} is not a decision a person can publish (APPROVED, REJECTED, ROLLBACK_REQUESTED)",
        };
    }

    /// <summary>The state the records of one action (in topic order) describe; null when there are none.</summary>
    public static ActionState? Fold(IEnumerable<ActionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        ActionState? state = null;
        foreach (var record in records)
        {
            state = Apply(state, record);
        }

        return state;
    }

    /// <summary>
    /// <paramref name="state"/> after <paramref name="record"/>. A request from a person (sequence 0) is queued in
    /// <see cref="ActionState.Requests"/>; an executor record (sequence &gt; 0) moves the state, and a record whose actor
    /// is a queued requester answers that person's oldest request. Executor records at or below the current sequence
    /// (a redelivery) change nothing.
    /// </summary>
    public static ActionState Apply(ActionState? state, ActionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        state ??= new ActionState { ActionId = record.ActionId };
        if (record.Sequence <= 0)
        {
            return state with { Requests = [.. state.Requests, record] };
        }

        if (record.Sequence <= state.Sequence)
        {
            return state;
        }

        var at = record.At?.ToDateTimeOffset();
        var requests = state.Requests;
        var answered = requests.FirstOrDefault(r => r.Actor == record.Actor);
        if (answered is not null)
        {
            requests = [.. requests.Where(r => !ReferenceEquals(r, answered))];
        }

        return state with
        {
            IncidentId = Or(record.IncidentId, state.IncidentId),
            Tenant = Or(record.Tenant, state.Tenant),
            IdempotencyKey = Or(record.IdempotencyKey, state.IdempotencyKey),
            IncidentRevision = record.IncidentRevision != 0 ? record.IncidentRevision : state.IncidentRevision,
            VerifyAfterRevision = record.VerifyAfterRevision != 0 ? record.VerifyAfterRevision : state.VerifyAfterRevision,
            Remediation = state.Remediation ?? record.Remediation,
            Phase = record.Phase,
            Sequence = record.Sequence,
            Actor = record.Actor,
            Reason = record.Reason,
            Decision = Or(record.Decision, state.Decision),
            PolicyRule = Or(record.PolicyRule, state.PolicyRule),
            Diff = Or(record.Diff, state.Diff),
            RollbackState = Or(record.RollbackState, state.RollbackState),
            ProposedAt = record.Phase == ActionPhase.Proposed ? at : state.ProposedAt,
            ExecutingAt = record.Phase == ActionPhase.Executing ? at : state.ExecutingAt,
            SucceededAt = record.Phase == ActionPhase.Succeeded ? at : state.SucceededAt,
            UpdatedAt = at ?? state.UpdatedAt,
            Requests = requests,
        };
    }

    /// <summary><c>PENDING_APPROVAL</c> for <see cref="ActionPhase.PendingApproval"/>, as in the contract and the <c>actions</c> table.</summary>
    public static string Name(ActionPhase phase) =>
        ActionRecord.Descriptor.FindFieldByName("phase").EnumType.FindValueByNumber((int)phase) is { } value
            ? value.Name["ACTION_PHASE_".Length..]
            : ((int)phase).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Or(string value, string fallback) => value.Length > 0 ? value : fallback;
}
