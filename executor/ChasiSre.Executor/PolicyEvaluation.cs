using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>
/// The policy's answer for one proposed action: the decision, the rule that matched (null when a default
/// applied or the action was refused before rules), the risk it was judged at, and every reason — the
/// refusals, the freeze windows, the rule or default — in the order they were found, for the audit record.
/// </summary>
public sealed record PolicyEvaluation(ActionDecision Decision, string? Rule, Risk EffectiveRisk, IReadOnlyList<PolicyReason> Reasons)
{
    /// <summary>True when some reason has <paramref name="code"/>.</summary>
    public bool Has(string code) => Reasons.Any(r => r.Code == code);
}
