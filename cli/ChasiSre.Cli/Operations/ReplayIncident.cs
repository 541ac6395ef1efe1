using ChasiSre.Api;

namespace ChasiSre.Cli.Operations;

/// <summary>
/// An incident a replay produced, as <c>chasi replay --format json</c> prints it: <c>ProductionIncidentId</c> is the
/// production incident of the same subject and category opened in the window (null when only the replay found it),
/// <c>Diagnosis</c> is null for <c>--detectors-only</c>.
/// </summary>
internal sealed record ReplayIncident(
    string Id,
    string Category,
    string Layer,
    string Severity,
    string State,
    ObjectRefView Subject,
    string Summary,
    DateTimeOffset? OpenedAt,
    long Revision,
    string? ProductionIncidentId,
    ReplayDiagnosis? Diagnosis);
