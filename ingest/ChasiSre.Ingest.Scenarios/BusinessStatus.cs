namespace ChasiSre.Ingest.Scenarios;

/// <summary>A business adapter's status: health, a one-line summary and numeric business metrics.</summary>
public sealed record BusinessStatus(bool Healthy, string? Summary, IReadOnlyDictionary<string, double> Metrics);
