namespace ChasiSre.Ingest.Scenarios;

/// <summary>What a good SRE concludes: incidents that must be found, subjects that must not appear, and a noise budget.</summary>
public sealed record ScenarioExpectations(
    IReadOnlyList<ExpectedIncident> Incidents,
    IReadOnlyList<SubjectKey> Absent,
    int? MaxIncidents);
