using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Detection;
using ChasiSre.Streams.Pipeline;
using ChasiSre.TestKit;

namespace ChasiSre.Diagnosis.Engine.Tests;

/// <summary>
/// Real incidents and evidence for the engine: a shared example replayed in process through the production detection
/// engine (the topology's per-fleet processor) and correlator, and the end state a store would hold.
/// </summary>
internal static class Replay
{
    public static (IReadOnlyList<Incident> Incidents, EvidenceInputs Evidence) Example(string name)
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example(name));
        var correlation = new CorrelationOptions();
        var engine = new DetectionEngine(new DetectorRunner(DetectorCatalog.Incidents()), correlation, scenario.StartTime, TimeSpan.FromMinutes(1));
        var incidents = new Dictionary<string, Incident>(StringComparer.Ordinal);
        var batches = ScenarioRecords.Build(scenario);
        var end = scenario.StartTime;
        foreach (var batch in batches)
        {
            end = scenario.StartTime + batch.At;
            foreach (var record in batch.Records)
            {
                engine.Apply(record, end);
            }

            foreach (var change in engine.Flush(end))
            {
                incidents[change.Key] = change.Incident;
            }
        }

        foreach (var change in engine.Flush(end + correlation.RefreshInterval))
        {
            incidents[change.Key] = change.Incident;
        }

        return ([.. incidents.Values.OrderBy(i => i.Id, StringComparer.Ordinal)], EvidenceInputs.FromRecords(batches.SelectMany(b => b.Records)));
    }

    public static (Incident Incident, EvidenceInputs Evidence) Single(string name, string category)
    {
        var (incidents, evidence) = Example(name);
        return (incidents.Single(i => i.Category == category), evidence);
    }
}
