namespace ChasiSre.Ingest.Scenarios;

/// <summary>A business log entry at an absolute time.</summary>
public sealed record TimedBusinessLog(DateTimeOffset Timestamp, string Level, string Message);
