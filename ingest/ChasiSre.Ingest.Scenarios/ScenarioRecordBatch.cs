using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>What ingest publishes for one instant of a scenario.</summary>
/// <param name="At">Offset from the scenario's start.</param>
/// <param name="Records">Object snapshots and tombstones, events, log lines, metric samples and business records, in the
/// order they happened.</param>
public sealed record ScenarioRecordBatch(TimeSpan At, IReadOnlyList<DetectionInput> Records);
