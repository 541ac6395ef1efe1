namespace ChasiSre.Api;

/// <summary>One incident with the objects it touches, its recent signals and its latest diagnosis (null until diagnosed).</summary>
public sealed record IncidentDetail(
    IncidentSummary Incident,
    string Fingerprint,
    IReadOnlyList<ObjectRefView> Affected,
    IReadOnlyList<SignalView> Signals,
    DiagnosisView? Diagnosis);
