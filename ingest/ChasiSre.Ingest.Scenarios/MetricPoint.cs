namespace ChasiSre.Ingest.Scenarios;

/// <summary>A metric sample at an absolute time.</summary>
public readonly record struct MetricPoint(DateTimeOffset Timestamp, double Value);
