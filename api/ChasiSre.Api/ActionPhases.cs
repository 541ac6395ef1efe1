using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>
/// Names of <see cref="ActionPhase"/>: the stored one (the contract's name without <c>ACTION_PHASE_</c>, as the sink
/// writes the <c>phase</c> column: <c>PENDING_APPROVAL</c>) and the API's (lowercase: <c>pending_approval</c>).
/// </summary>
internal static class ActionPhases
{
    private const string Prefix = "ACTION_PHASE_";

    private static readonly Dictionary<string, ActionPhase> ByStoredName = Enum.GetValues<ActionPhase>()
        .Where(p => p != ActionPhase.Unspecified)
        .ToDictionary(Stored, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every phase's API name, in contract order.</summary>
    public static IReadOnlyList<string> ApiNames { get; } = [.. ByStoredName.Values.Order().Select(Api)];

    /// <summary><c>PENDING_APPROVAL</c>.</summary>
    public static string Stored(ActionPhase phase) =>
        ActionRecord.Descriptor.FindFieldByName("phase").EnumType.FindValueByNumber((int)phase) is { } value && value.Name.StartsWith(Prefix, StringComparison.Ordinal)
            ? value.Name[Prefix.Length..]
            : ((int)phase).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>pending_approval</c>.</summary>
    public static string Api(ActionPhase phase) => Stored(phase).ToLowerInvariant();

    /// <summary>The phase named <paramref name="name"/> (API or stored name, any case).</summary>
    public static bool TryParse(string? name, out ActionPhase phase) => ByStoredName.TryGetValue(name ?? "", out phase);
}
