namespace ChasiSre.Ingest.Scenarios;

/// <summary>An incident that must be found; <see cref="Category"/> is one of <see cref="IncidentCategories.All"/>,
/// <see cref="Evidence"/> are case-insensitive substrings of the evidence pack.</summary>
public sealed record ExpectedIncident(SubjectKey Subject, string Category, IncidentLayer Layer, IReadOnlyList<string> Evidence);
