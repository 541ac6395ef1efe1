using ChasiSre.Executor;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>Maps an action's stored records to the API's views.</summary>
internal static class ActionViews
{
    private static readonly HumanDecision[] Decisions = [HumanDecision.Approve, HumanDecision.Reject, HumanDecision.Rollback];

    public static ActionDetail Detail(ActionTrail trail) => new(Summary(trail), [.. trail.Merged().Select(r => Entry(trail, r.Record, r.At))]);

    public static ActionView Summary(ActionTrail trail)
    {
        var latest = trail.Latest;
        var state = trail.State;
        var remediation = trail.Remediation ?? new Remediation();
        var policy = trail.Steps.Select(s => s.Record).LastOrDefault(r => r.Decision.Length > 0);
        var pending = state.Requests.Count > 0 ? state.Requests[0] : null;
        return new ActionView(
            trail.ActionId,
            trail.IncidentId,
            trail.Steps.Select(s => s.Record.IncidentRevision).LastOrDefault(r => r > 0),
            trail.Tenant,
            ActionPhases.Api(latest.Phase),
            remediation.Action,
            remediation.Title,
            remediation.Description,
            ProtoViews.Object(remediation.Target),
            new Dictionary<string, string>(remediation.Parameters, StringComparer.Ordinal),
            ProtoViews.Risk(remediation.Risk),
            policy?.Decision ?? "",
            policy?.PolicyRule ?? "",
            policy is null ? [] : [.. policy.Reasons],
            trail.Steps.Select(s => s.Record.Diff).LastOrDefault(d => d.Length > 0) ?? "",
            latest.DryRun,
            state.Reversible,
            latest.Actor,
            latest.Reason,
            latest.Output,
            latest.Sequence,
            trail.Steps.Count,
            pending is null ? [.. Decisions.Where(d => ActionTransitions.CheckRequest(state, ActionTransitions.PhaseOf(d)) is null).Select(ActionPhases.Verb)] : [],
            pending is null ? null : Request(pending, trail.Requests.First(r => ReferenceEquals(r.Record, pending)).At),
            trail.Steps[0].At,
            trail.Steps[^1].At);
    }

    /// <summary>The request's view; <paramref name="at"/> is when it was stored (its record's time).</summary>
    public static ActionRequestView Request(ActionRecord request, DateTimeOffset at) =>
        new(VerbOf(request.Phase), ActionPhases.Api(request.Phase), request.Actor, request.Reason, at);

    private static ActionStepView Entry(ActionTrail trail, ActionRecord record, DateTimeOffset at) => new(
        record.Sequence > 0 ? "step" : "request",
        record.Sequence,
        ActionPhases.Api(record.Phase),
        record.Actor,
        record.Reason,
        record.Output,
        record.DryRun,
        record.Decision,
        record.PolicyRule,
        [.. record.Reasons],
        record.Diff,
        record.RollbackState.Length > 0,
        record.Sequence <= 0 && trail.IsPending(record),
        at);

    private static string VerbOf(ActionPhase phase) => phase switch
    {
        ActionPhase.Approved => ActionPhases.Verb(HumanDecision.Approve),
        ActionPhase.Rejected => ActionPhases.Verb(HumanDecision.Reject),
        ActionPhase.RollbackRequested => ActionPhases.Verb(HumanDecision.Rollback),
        _ => ActionPhases.Api(phase),
    };
}
