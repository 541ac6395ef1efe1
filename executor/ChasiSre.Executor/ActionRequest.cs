using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>
/// Everything the policy looks at for one proposed action. Evaluation is pure: the clock
/// (<see cref="Now"/>) and the recent history (<see cref="RecentTenantActions"/>) come in here.
/// </summary>
/// <param name="Action">The catalog action name (<c>rollout-restart</c>).</param>
/// <param name="Target">The object it would change.</param>
/// <param name="Parameters">Its parameters, as strings (as on the wire).</param>
/// <param name="Risk">The risk it was proposed with; the catalog's minimum applies when lower or unspecified.</param>
/// <param name="Incident">The incident it was proposed for.</param>
/// <param name="ObjectsTouched">How many objects it would change (from the executor's plan or dry run).</param>
/// <param name="RecentTenantActions">Actions run against <see cref="ActionTarget.Tenant"/> in the hour before <paramref name="Now"/>.</param>
/// <param name="Now">The time of evaluation (freeze windows).</param>
public sealed record ActionRequest(
    string Action,
    ActionTarget Target,
    IReadOnlyDictionary<string, string> Parameters,
    Risk Risk,
    IncidentScope Incident,
    int ObjectsTouched,
    int RecentTenantActions,
    DateTimeOffset Now);
