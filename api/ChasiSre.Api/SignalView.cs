namespace ChasiSre.Api;

/// <summary>A signal an incident grouped (the most recent ones; the incident's <c>SignalCount</c> has the total).</summary>
public sealed record SignalView(
    string Id,
    string Detector,
    ObjectRefView? Subject,
    string Severity,
    string Reason,
    string Message,
    string Category,
    bool Active,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    double Score);
