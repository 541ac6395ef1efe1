using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Platform.Inference;

/// <summary>The ActivitySource and instruments of the inference runtime.</summary>
internal static class InferenceTelemetry
{
    public static readonly ActivitySource Source = new(InferenceTelemetryNames.SourceName);

    private static readonly Meter Meter = new(InferenceTelemetryNames.SourceName);

    public static readonly Histogram<double> LlmDuration = Meter.CreateHistogram<double>(InferenceTelemetryNames.LlmDuration, "s", "Wall time of an LLM generation.");

    public static readonly Counter<long> LlmTokens = Meter.CreateCounter<long>(InferenceTelemetryNames.LlmTokens, "{token}", "Tokens processed by the local LLM.");

    public static readonly Histogram<double> EmbeddingDuration = Meter.CreateHistogram<double>(InferenceTelemetryNames.EmbeddingDuration, "s", "Wall time of an embedding call.");

    public static readonly Counter<long> EmbeddingInputs = Meter.CreateCounter<long>(InferenceTelemetryNames.EmbeddingInputs, "{input}", "Texts embedded.");

    public static void RecordGeneration(string model, LlmCompletion completion)
    {
        var modelTag = new KeyValuePair<string, object?>(InferenceTelemetryNames.ModelTag, model);
        LlmDuration.Record(completion.Elapsed.TotalSeconds, modelTag, new(InferenceTelemetryNames.StopReasonTag, completion.StopReason.ToString()));
        LlmTokens.Add(completion.PromptTokens, modelTag, new(InferenceTelemetryNames.TokenTypeTag, "input"));
        LlmTokens.Add(completion.CompletionTokens, modelTag, new(InferenceTelemetryNames.TokenTypeTag, "output"));
    }
}
