using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>Maps an action's stored records to the API's views.</summary>
internal static class ActionViews
{
    public static ActionDetail Detail(ActionTrail trail) => new(Summary(trail), [.. trail.Steps.Select(s => Step(s.Record, s.At))]);

    public static ActionView Summary(ActionTrail trail)
    {
        var latest = trail.Latest;
        var remediation = trail.Remediation ?? new Remediation();
        var policy = trail.Steps.Select(s => s.Record).LastOrDefault(r => r.Decision.Length > 0);
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
            trail.Reversible,
            latest.Actor,
            latest.Reason,
            latest.Output,
            latest.Sequence,
            trail.Steps.Count,
            trail.Steps[0].At,
            trail.Steps[^1].At);
    }

    public static ActionStepView Step(ActionRecord record, DateTimeOffset at) => new(
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
        at);
}
