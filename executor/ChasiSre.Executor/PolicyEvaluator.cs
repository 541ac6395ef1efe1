using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>
/// Decides a proposed action against an <see cref="ActionPolicy"/>. Pure: no clock, no I/O, no state — the time
/// and the tenant's recent action count are part of the <see cref="ActionRequest"/>, so the same input always
/// gives the same answer, and every answer can be replayed from the audit record.
/// </summary>
/// <remarks>
/// <para>Every check runs and the most restrictive outcome wins (auto &lt; approval &lt; deny):</para>
/// <list type="number">
/// <item>the action must be in the <see cref="RemediationCatalog"/>, its target kind one the action applies to,
/// its parameters exactly the catalog's and well-formed; the risk is raised to the catalog's minimum;</item>
/// <item>the target must have a layer and lie inside the incident's cluster and tenant (else deny, whatever any rule says);</item>
/// <item>blast radius: objects touched and the tenant's actions in the last hour within the policy's limits,
/// tightened by the matching rule's;</item>
/// <item>every active freeze window that matches caps the decision at its own;</item>
/// <item>the first rule that matches decides; without one, the default (approval), or for host-layer actions the
/// host default (deny).</item>
/// </list>
/// </remarks>
public static class PolicyEvaluator
{
    public static PolicyEvaluation Evaluate(ActionPolicy policy, ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        var reasons = new List<PolicyReason>();
        var decision = ActionDecision.Auto;
        void Refuse(ActionDecision at, string code, string message)
        {
            decision = (ActionDecision)Math.Max((int)decision, (int)at);
            reasons.Add(new PolicyReason(code, message));
        }

        var target = request.Target;
        var risk = request.Risk;
        var action = RemediationCatalog.Find(request.Action);
        if (action is null)
        {
            Refuse(ActionDecision.Deny, PolicyReasonCodes.UnknownAction, $"'{request.Action}' is not an action of the catalog ({string.Join(", ", RemediationCatalog.All.Keys.Order(StringComparer.Ordinal))})");
            risk = risk == Risk.Unspecified ? Risk.High : risk;
        }
        else
        {
            if (!action.TargetKinds.Contains(target.Kind))
            {
                Refuse(ActionDecision.Deny, PolicyReasonCodes.TargetKind, $"{action.Name} applies to {string.Join(" or ", action.TargetKinds)}, not to {target.Kind}");
            }

            foreach (var problem in ActionParameters.Validate(action, request.Parameters))
            {
                Refuse(ActionDecision.Deny, PolicyReasonCodes.InvalidParameters, problem);
            }

            if (risk < action.MinimumRisk)
            {
                reasons.Add(new PolicyReason(PolicyReasonCodes.RiskRaised, $"risk {Name(risk)} raised to {Name(action.MinimumRisk)}, the least {action.Name} is judged at"));
                risk = action.MinimumRisk;
            }
        }

        if (target.Layer == Layer.Unspecified)
        {
            Refuse(ActionDecision.Deny, PolicyReasonCodes.LayerUnspecified, $"the target {target} has no layer");
        }

        var incident = request.Incident;
        if (!string.Equals(target.Cluster, incident.Cluster, StringComparison.Ordinal))
        {
            Refuse(ActionDecision.Deny, PolicyReasonCodes.OutsideIncident, $"the target is in cluster '{target.Cluster}', incident {incident.IncidentId} in cluster '{incident.Cluster}'");
        }

        if (!string.Equals(target.Tenant, incident.Tenant, StringComparison.Ordinal))
        {
            Refuse(ActionDecision.Deny, PolicyReasonCodes.OutsideIncident, $"the target belongs to tenant '{target.Tenant}', incident {incident.IncidentId} to tenant '{incident.Tenant}'");
        }

        var rule = policy.Rules.FirstOrDefault(r => r.Match.Matches(request, risk, hostMustBeNamed: true));
        var limits = policy.Limits.Tighten(rule?.Limits);
        if (limits.MaxObjectsPerAction is { } maxObjects && request.ObjectsTouched > maxObjects)
        {
            Refuse(ActionDecision.Deny, PolicyReasonCodes.BlastRadiusObjects, $"the action would touch {request.ObjectsTouched} objects; the limit is {maxObjects}");
        }

        if (limits.MaxActionsPerTenantPerHour is { } maxRate && request.RecentTenantActions + 1 > maxRate)
        {
            Refuse(ActionDecision.Deny, PolicyReasonCodes.BlastRadiusRate, $"tenant '{target.Tenant}' had {request.RecentTenantActions} actions in the last hour; the limit is {maxRate}");
        }

        foreach (var window in policy.FreezeWindows.Where(w => w.IsActive(request.Now) && w.Match.Matches(request, risk, hostMustBeNamed: false)))
        {
            Refuse(window.Decision, PolicyReasonCodes.FreezeWindow, $"freeze window '{window.Name}' is active{At(window.Source)}: at most {Name(window.Decision)}");
        }

        if (rule is not null)
        {
            Refuse(rule.Decision, PolicyReasonCodes.Rule, $"rule '{rule.Name}'{At(rule.Source)} says {Name(rule.Decision)}");
        }
        else if (target.Layer == Layer.Host)
        {
            Refuse(policy.Defaults.HostLayer, PolicyReasonCodes.HostLayerDefault, $"no rule names host-layer {request.Action}: host default {Name(policy.Defaults.HostLayer)}");
        }
        else
        {
            Refuse(policy.Defaults.Decision, PolicyReasonCodes.DefaultDecision, $"no rule matches: default {Name(policy.Defaults.Decision)}");
        }

        return new PolicyEvaluation(decision, rule?.Name, risk, reasons);
    }

    private static string At(string source) => source.Length > 0 ? $" ({source})" : "";

    private static string Name(ActionDecision decision) => decision switch
    {
        ActionDecision.Auto => "auto",
        ActionDecision.Approval => "approval",
        _ => "deny",
    };

    private static string Name(Risk risk) => risk switch
    {
        Risk.Low => "low",
        Risk.Medium => "medium",
        Risk.High => "high",
        _ => "unspecified",
    };
}
