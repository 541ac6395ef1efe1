using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>What happens at <see cref="At"/> seconds after the scenario start.</summary>
/// <param name="At">Offset from <see cref="Scenario.StartTime"/>.</param>
/// <param name="Cluster">Cluster of <see cref="Apply"/>, <see cref="Delete"/> and <see cref="Logs"/>; null when the step has none of them.</param>
/// <param name="Apply">Full Kubernetes objects, created or replaced (status included).</param>
/// <param name="Delete">Objects deleted (apiVersion always set).</param>
/// <param name="Logs">Pod logs served by the pod log endpoint.</param>
/// <param name="Metrics">Metric series; each names its own cluster.</param>
/// <param name="Business">Business adapter reports; each names its tenant.</param>
/// <param name="Source">Where the step is written.</param>
public sealed record ScenarioStep(
    TimeSpan At,
    string? Cluster,
    IReadOnlyList<JsonObject> Apply,
    IReadOnlyList<ObjectKey> Delete,
    IReadOnlyList<ScenarioPodLogs> Logs,
    IReadOnlyList<ScenarioMetricSeries> Metrics,
    IReadOnlyList<ScenarioBusinessEntry> Business,
    ScenarioSource Source);
