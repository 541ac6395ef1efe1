using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>
/// One action as the executor runs it: the contract's <see cref="RemediationAction"/> (target kinds, parameters,
/// minimum risk) plus whether it can be undone, how its effect is verified and undone, and the Kubernetes requests it
/// makes (each write is preceded by the same write with <c>dryRun=All</c>).
/// </summary>
/// <param name="Action">The contract's entry.</param>
/// <param name="Reversible">True when a rollback can restore what it changed.</param>
/// <param name="Verification">How its effect is judged.</param>
/// <param name="Rollback">What a rollback does, or why there is none.</param>
/// <param name="Requests">The requests it makes, in order.</param>
public sealed record CatalogEntry(RemediationAction Action, bool Reversible, string Verification, string Rollback, IReadOnlyList<string> Requests)
{
    public string Name => Action.Name;

    public Risk MinimumRisk => Action.MinimumRisk;

    public IReadOnlyList<string> Parameters => Action.Parameters;
}
