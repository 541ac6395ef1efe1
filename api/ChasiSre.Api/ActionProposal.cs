namespace ChasiSre.Api;

/// <summary>
/// An action a stored diagnosis proposes (a remediation naming a machine-readable action). Read-only: approving and
/// running proposals is the executor's, under its policy.
/// </summary>
/// <param name="Id"><c>&lt;incident&gt;@&lt;revision&gt;/&lt;remediation id&gt;</c>, stable while the diagnosis stands.</param>
/// <param name="Action">The action name, e.g. <c>rollout-restart</c>.</param>
/// <param name="Risk"><c>low</c>, <c>medium</c>, <c>high</c> or <c>unspecified</c>.</param>
public sealed record ActionProposal(
    string Id,
    string IncidentId,
    long IncidentRevision,
    string Tenant,
    DateTimeOffset DiagnosedAt,
    string Action,
    string Title,
    string Description,
    ObjectRefView? Target,
    IReadOnlyDictionary<string, string> Parameters,
    string Risk,
    string Engine);
