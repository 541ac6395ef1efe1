using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Detection;
using ChasiSre.Streams.Metrics;
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
/// Metric and business steps (<see cref="ScenarioRecordBatch.Other"/>) become the records ingest and the adapter gateway
/// publish (<see cref="ScenarioTelemetry"/>) and go through <see cref="MetricAnomalyMonitor"/> and
/// <see cref="BusinessHealthMonitor"/>; their findings are correlated by a second <see cref="IncidentCorrelator"/> over the
/// engine's state (the engine does not take external findings yet), business findings linked first to the engine's open
/// incidents (<see cref="BusinessDependencyLinker"/>). Each instant: the engine flushes, then the telemetry of that instant
/// is judged, then both monitors and the second correlator advance.
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
        var telemetry = new TelemetryJudge(engine.State);
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
            Record(incidents, telemetry.Apply(scenario, batch.Other, incidents.Values, end));
        }

        Record(incidents, engine.Flush(end + Options.RefreshInterval));
        Record(incidents, telemetry.Advance(end + Options.RefreshInterval));
        return new ScenarioOutcome([.. incidents.Values.OrderBy(i => i.OpenedAt).ThenBy(i => i.Id, StringComparer.Ordinal)], runner.Failures);
    }

    private static void Record(Dictionary<string, Incident> incidents, IReadOnlyList<IncidentChange> changes)
    {
        foreach (var change in changes)
        {
            incidents[change.Key] = change.Incident;
        }
    }

    /// <summary>The metric and business half: monitors, and a correlator for their findings.</summary>
    private sealed class TelemetryJudge(IClusterState state)
    {
        private readonly MetricAnomalyMonitor metrics = new(new MetricAnomalyOptions());
        private readonly BusinessHealthMonitor business = new(new BusinessHealthOptions());
        private readonly IncidentCorrelator correlator = new(Options);

        public List<IncidentChange> Apply(Scenario scenario, IReadOnlyList<ClusterOperation> operations, IEnumerable<Incident> published, DateTimeOffset now)
        {
            var changes = new List<IncidentChange>();
            foreach (var operation in operations)
            {
                switch (operation)
                {
                    case PublishMetrics series:
                        changes.AddRange(Correlate(metrics.Observe(ScenarioTelemetry.Metric(scenario, series)), published));
                        break;
                    case PublishBusiness report:
                        foreach (var record in ScenarioTelemetry.Business(scenario, report))
                        {
                            changes.AddRange(Correlate(business.Observe(record), published));
                        }

                        break;
                    default:
                        throw new InvalidOperationException($"unexpected operation {operation.GetType().Name} among the metric and business steps");
                }
            }

            changes.AddRange(Advance(now, published));
            return changes;
        }

        public List<IncidentChange> Advance(DateTimeOffset now, IEnumerable<Incident>? published = null)
        {
            var changes = new List<IncidentChange>();
            changes.AddRange(Correlate(metrics.Advance(now), published ?? []));
            changes.AddRange(Correlate(business.Advance(now), published ?? []));
            changes.AddRange(correlator.Advance(now));
            return changes;
        }

        private List<IncidentChange> Correlate(IReadOnlyList<SourceFindings> updates, IEnumerable<Incident> published)
        {
            var changes = new List<IncidentChange>();
            foreach (var update in updates)
            {
                var findings = update.Findings.Select(f => BusinessDependencyLinker.Link(f, published, state)).ToList();
                changes.AddRange(correlator.Evaluate(update.SourceKey, findings, state));
            }

            return changes;
        }
    }
}
