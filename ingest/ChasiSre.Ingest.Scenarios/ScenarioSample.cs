namespace ChasiSre.Ingest.Scenarios;

/// <summary>A metric sample: <see cref="Offset"/> from the scenario start (may be negative: history) and a finite value.</summary>
public readonly record struct ScenarioSample(TimeSpan Offset, double Value);
