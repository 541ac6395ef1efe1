namespace ChasiSre.Ingest.Scenarios;

/// <summary>A business event at an absolute time.</summary>
public sealed record TimedBusinessEvent(DateTimeOffset Timestamp, string Type, string Reason, string Message);
