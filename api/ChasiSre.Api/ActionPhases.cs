using ChasiSre.Executor;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>
/// Names of <see cref="ActionPhase"/>: the stored one (<see cref="ActionTransitions.Name"/>, as the sink writes the
/// <c>phase</c> column: <c>PENDING_APPROVAL</c>) and the API's (lowercase: <c>pending_approval</c>).
/// </summary>
internal static class ActionPhases
{
    private static readonly Dictionary<string, ActionPhase> ByStoredName = Enum.GetValues<ActionPhase>()
        .Where(p => p != ActionPhase.Unspecified)
        .ToDictionary(ActionTransitions.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every phase's API name, in contract order.</summary>
    public static IReadOnlyList<string> ApiNames { get; } = [.. ByStoredName.Values.Order().Select(Api)];

    /// <summary><c>PENDING_APPROVAL</c>.</summary>
    public static string Stored(ActionPhase phase) => ActionTransitions.Name(phase);

    /// <summary><c>pending_approval</c>.</summary>
    public static string Api(ActionPhase phase) => ActionTransitions.Name(phase).ToLowerInvariant();

    /// <summary>The phase named <paramref name="name"/> (API or stored name, any case).</summary>
    public static bool TryParse(string? name, out ActionPhase phase) => ByStoredName.TryGetValue(name ?? "", out phase);

    /// <summary><c>approve</c>, <c>reject</c>, <c>rollback</c>: the API's verb of a decision.</summary>
    public static string Verb(HumanDecision decision) => decision switch
    {
        HumanDecision.Approve => "approve",
        HumanDecision.Reject => "reject",
        HumanDecision.Rollback => "rollback",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "not a decision"),
    };
}
