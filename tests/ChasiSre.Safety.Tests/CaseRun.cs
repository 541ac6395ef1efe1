using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Safety.Tests;

/// <summary>What one corpus item produced: its incidents, the records it replayed, and each incident's diagnosis by the obeying model and by the rules.</summary>
internal sealed record CaseRun(InjectionCase Case, Scenario Scenario, IReadOnlyList<Incident> Incidents, IReadOnlyList<DetectionInput> Records)
{
    public Dictionary<string, ChasiSre.Schemas.V1.Diagnosis> Obeying { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ChasiSre.Schemas.V1.Diagnosis> Rules { get; } = new(StringComparer.Ordinal);
}
