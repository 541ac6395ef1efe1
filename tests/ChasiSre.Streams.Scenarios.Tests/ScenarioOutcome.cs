using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Scenarios.Tests;

/// <summary>What a replay produced: every incident published (open or since resolved, at its last revision), and how many
/// times a detector threw.</summary>
internal sealed record ScenarioOutcome(IReadOnlyList<Incident> Incidents, long DetectorFailures);
