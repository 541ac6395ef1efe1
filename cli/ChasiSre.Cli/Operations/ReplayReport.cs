namespace ChasiSre.Cli.Operations;

/// <summary>
/// What <c>chasi replay --format json</c> prints, and what its <c>replays</c> row sums up. <c>Diagnosis</c> is the LLM
/// provider the diagnosis ran with (<c>Deterministic</c>: rules), null when none ran (<c>--detectors-only</c>, or no
/// incident); <c>ByCategory</c> counts the replay's incidents per category.
/// </summary>
internal sealed record ReplayReport(
    string ReplayId,
    string Label,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset ReplayedAt,
    bool DetectorsOnly,
    string? Diagnosis,
    ReplayInput Input,
    IReadOnlyList<ReplayIncident> Incidents,
    IReadOnlyDictionary<string, int> ByCategory,
    ReplayComparison Comparison);
