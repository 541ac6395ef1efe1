using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Detection;
using ChasiSre.Streams.Pipeline;

namespace ChasiSre.Streams.Scenarios.Tests;

/// <summary>
/// Replays a scenario through the detection half of the pipeline in process, with the production parts and the
/// same steps as <c>chasi scenario run</c> takes through Kafka: <see cref="ScenarioRecords"/> (the records ingest
/// publishes for each instant) into one <see cref="DetectionEngine"/> (the topology's per-fleet processor), one
/// flush per instant, and a last flush one correlation refresh interval after the end (the pipeline keeps running:
/// time-based detectors and lifecycles move on).
/// </summary>
/// <remarks>
/// Metric and business steps arrive as the samples and records ingest and the adapter gateway publish
/// (<see cref="ScenarioTelemetry"/>) and go through the engine's metric and business monitors, like the topology's.
/// </remarks>
internal static class ScenarioPipeline
{
    private static readonly CorrelationOptions Options = new();

    /// <summary>Replays <paramref name="scenario"/> and returns every incident published, each at its last revision.</summary>
    public static ScenarioOutcome Run(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var runner = new DetectorRunner(DetectorCatalog.Incidents());
        var engine = new DetectionEngine(runner, Options, scenario.StartTime, new StreamsOptions().ResyncInterval);
        var incidents = new Dictionary<string, Incident>(StringComparer.Ordinal);
        var end = scenario.StartTime;
        foreach (var batch in ScenarioRecords.Build(scenario))
        {
            end = scenario.StartTime + batch.At;
            foreach (var record in batch.Records)
            {
                engine.Apply(record, end);
            }

            Record(incidents, engine.Flush(end));
        }

        Record(incidents, engine.Flush(end + Options.RefreshInterval));
        return new ScenarioOutcome([.. incidents.Values.OrderBy(i => i.OpenedAt).ThenBy(i => i.Id, StringComparer.Ordinal)], runner.Failures);
    }

    private static void Record(Dictionary<string, Incident> incidents, IReadOnlyList<IncidentChange> changes)
    {
        foreach (var change in changes)
        {
            incidents[change.Key] = change.Incident;
        }
    }
}
