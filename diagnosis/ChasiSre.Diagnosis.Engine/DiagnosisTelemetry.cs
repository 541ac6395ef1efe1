using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>ActivitySource and Meter <c>ChasiSre.Diagnosis.Engine</c> and its instruments.</summary>
internal static class DiagnosisTelemetry
{
    public const string Name = "ChasiSre.Diagnosis.Engine";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Diagnoses = Meter.CreateCounter<long>(
        "chasisre.diagnosis.diagnoses", "{diagnosis}", "Diagnoses made, tagged by source (llm, llm_repaired, rules, rules_after_invalid_answer, rules_after_llm_failure).");

    private static readonly Counter<long> LlmCalls = Meter.CreateCounter<long>(
        "chasisre.diagnosis.llm_calls", "{call}", "Requests sent to the chat client by the diagnosis engine.");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "chasisre.diagnosis.duration", "s", "Time to diagnose one incident (retrieval, pack, LLM).");

    public static void Record(DiagnosisSource source, int calls, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("chasi.diagnosis.source", source switch
        {
            DiagnosisSource.Llm => "llm",
            DiagnosisSource.LlmRepaired => "llm_repaired",
            DiagnosisSource.Rules => "rules",
            DiagnosisSource.RulesAfterInvalidAnswer => "rules_after_invalid_answer",
            _ => "rules_after_llm_failure",
        });
        Diagnoses.Add(1, tag);
        LlmCalls.Add(calls);
        Duration.Record(elapsed.TotalSeconds, tag);
    }
}
