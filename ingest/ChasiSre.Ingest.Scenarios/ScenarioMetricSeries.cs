namespace ChasiSre.Ingest.Scenarios;

/// <summary>One metric series as written in the scenario: samples are relative to the start time.</summary>
public sealed record ScenarioMetricSeries(
    string Cluster,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<ScenarioSample> Samples);
