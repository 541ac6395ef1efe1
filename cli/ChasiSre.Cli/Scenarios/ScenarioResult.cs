using ChasiSre.Diagnosis.Engine;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Cli.Scenarios;

/// <summary>One scenario replayed and diagnosed: what the judge, the output and the diagnosis bench read.</summary>
internal sealed record ScenarioResult(
    Scenario Scenario,
    IReadOnlyList<Incident> Incidents,
    IReadOnlyList<DetectionInput> Records,
    EvidenceInputs Evidence,
    IReadOnlyDictionary<string, DiagnosisOutcome> Diagnoses,
    ScenarioOutput Output);
