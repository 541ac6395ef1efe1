using System.Globalization;
using ChasiSre.Cli.Scenarios;
using ChasiSre.Diagnosis.Engine;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Cli.Bench.Diagnosis;

/// <summary>
/// Scores diagnosed scenarios. Evidence recall: of the expected incidents that list evidence strings, the share whose
/// matching incident (same category, layer, subject or related object) has every string in its evidence pack — the text
/// the LLM reads; string recall counts strings instead; both also without the knowledge section, so a runbook's
/// generic wording cannot stand in for evidence. LLM calls: requests the engine sent per incident. The k8sgpt-style
/// baseline counts, on the same end state, one call per failing object: every object a detector (incident and posture
/// rules) flags, plus every pod such a finding names, which is how k8sgpt's analyzers report and explain.
/// </summary>
internal static class DiagnosisBenchmark
{
    private const string KnowledgeHeading = "## knowledge";

    public static BenchmarkReport Score(IReadOnlyList<ScenarioResult> results)
    {
        int expected = 0, complete = 0, completeWithoutKnowledge = 0, strings = 0, found = 0, foundWithoutKnowledge = 0;
        var misses = new List<string>();
        foreach (var result in results)
        {
            foreach (var e in result.Scenario.Expect?.Incidents.Where(e => e.Evidence.Count > 0) ?? [])
            {
                expected++;
                var packs = result.Incidents.Where(i => ScenarioJudge.Matches(e with { Evidence = [] }, i)).Select(i => result.Diagnoses[i.Id].Pack.Text).ToList();
                var present = e.Evidence.Where(s => packs.Any(p => p.Contains(s, StringComparison.OrdinalIgnoreCase))).ToList();
                var presentWithout = e.Evidence.Where(s => packs.Any(p => WithoutKnowledge(p).Contains(s, StringComparison.OrdinalIgnoreCase))).ToList();
                strings += e.Evidence.Count;
                found += present.Count;
                foundWithoutKnowledge += presentWithout.Count;
                complete += present.Count == e.Evidence.Count && packs.Count > 0 ? 1 : 0;
                completeWithoutKnowledge += presentWithout.Count == e.Evidence.Count && packs.Count > 0 ? 1 : 0;
                misses.AddRange(e.Evidence.Except(present).Select(s => $"{result.Scenario.Name}: {s}"));
            }
        }

        var outcomes = results.SelectMany(r => r.Diagnoses.Values).ToList();
        var tokens = outcomes.Select(o => (double)o.Pack.Tokens).Order().ToList();
        var calls = outcomes.Sum(o => o.LlmCalls);
        var k8sgpt = results.Sum(r => FailingObjects(r.Evidence));
        var incidents = outcomes.Count;
        var metrics = new Dictionary<string, double>
        {
            ["evidence_recall"] = Ratio(complete, expected),
            ["evidence_string_recall"] = Ratio(found, strings),
            ["evidence_recall_without_knowledge"] = Ratio(completeWithoutKnowledge, expected),
            ["evidence_string_recall_without_knowledge"] = Ratio(foundWithoutKnowledge, strings),
            ["evidence_tokens_p50"] = Percentile(tokens, 0.5),
            ["evidence_tokens_p90"] = Percentile(tokens, 0.9),
            ["evidence_tokens_max"] = tokens.Count == 0 ? 0 : tokens[^1],
            ["llm_calls_per_incident"] = Ratio(calls, incidents),
            ["llm_calls"] = calls,
            ["incidents"] = incidents,
            ["diagnoses_citing_runbooks"] = Ratio(outcomes.Count(o => o.Diagnosis.Citations.Count > 0), incidents),
            ["diagnoses_by_llm"] = Ratio(outcomes.Count(o => o.Source is DiagnosisSource.Llm or DiagnosisSource.LlmRepaired), incidents),
            ["expected_incidents_with_evidence"] = expected,
            ["scenarios"] = results.Count,
        };
        var baseline = new Dictionary<string, double>
        {
            ["k8sgpt_style_llm_calls"] = k8sgpt,
            ["k8sgpt_style_llm_calls_per_scenario"] = Ratio(k8sgpt, results.Count),
        };
        var ratios = new Dictionary<string, double> { ["llm_calls_vs_k8sgpt_style"] = Ratio(calls, k8sgpt) };
        var parameters = new Dictionary<string, string>
        {
            ["evidence_misses"] = string.Join(" | ", misses.Take(20)),
            ["providers"] = string.Join(",", outcomes.Select(o => o.Diagnosis.Engine).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
        };
        return new BenchmarkReport("diagnosis", metrics, baseline, ratios, parameters);
    }

    /// <summary>Objects k8sgpt would send to its LLM, one call each: flagged objects plus the pods their findings name.</summary>
    internal static int FailingObjects(EvidenceInputs evidence)
    {
        var now = evidence.Objects.Select(o => o.ObservedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue)
            .Concat(evidence.Events.Select(e => e.LastSeen?.ToDateTimeOffset() ?? DateTimeOffset.MinValue))
            .DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();
        var state = new InMemoryClusterState(now);
        foreach (var snapshot in evidence.Objects.Where(o => !o.ObjectJsonOmitted && !o.ObjectJson.IsEmpty))
        {
            state.Apply(snapshot);
        }

        foreach (var kubeEvent in evidence.Events)
        {
            state.AddEvent(kubeEvent);
        }

        state.AddLogs(evidence.Logs);
        var failing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var finding in new DetectorRunner(DetectorCatalog.All()).Scan(state))
        {
            failing.Add(Key(finding.Subject));
            foreach (var pod in finding.Related.Where(r => r.Kind == "Pod"))
            {
                failing.Add(Key(pod));
            }
        }

        return failing.Count;
    }

    private static string Key(ObjectRef r) => string.Create(CultureInfo.InvariantCulture, $"{r.Cluster}/{r.Kind}/{r.Namespace}/{r.Name}");

    private static string WithoutKnowledge(string pack)
    {
        var at = pack.IndexOf(KnowledgeHeading, StringComparison.Ordinal);
        return at < 0 ? pack : pack[..at];
    }

    private static double Ratio(double part, double whole) => whole == 0 ? 0 : Math.Round(part / whole, 4);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
