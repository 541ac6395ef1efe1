using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>The pipeline's process-wide instruments.</summary>
internal static class LlmTelemetry
{
    public static readonly Meter Meter = new(LlmTelemetryNames.SourceName, typeof(LlmTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(LlmTelemetryNames.Retries, "{retry}", "Retries towards the LLM provider.");

    public static readonly Counter<long> Redactions = Meter.CreateCounter<long>(LlmTelemetryNames.Redactions, "{item}", "Pseudonyms and secrets replaced in LLM prompts.");

    public static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(LlmTelemetryNames.CacheLookups, "{lookup}", "LLM response cache lookups.");

    public static readonly Histogram<long> PromptTokens = Meter.CreateHistogram<long>(LlmTelemetryNames.PromptTokens, "{token}", "Prompt tokens after the token budget.");

    public static void Retry(string reason) => Retries.Add(1, new TagList { { LlmTelemetryNames.ReasonTag, reason } });
}
