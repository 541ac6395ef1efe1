using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>What ingest publishes for one instant of a scenario.</summary>
/// <param name="At">Offset from the scenario's start.</param>
/// <param name="Records">Object snapshots and tombstones, events and log lines, in the order they happened.</param>
/// <param name="Other">Metric and business operations of that instant.</param>
public sealed record ScenarioRecordBatch(TimeSpan At, IReadOnlyList<DetectionInput> Records, IReadOnlyList<ClusterOperation> Other);
