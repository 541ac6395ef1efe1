namespace ChasiSre.Platform.Inference;

/// <summary>Names of the inference runtime's ActivitySource, Meter, instruments and tags (dashboards depend on them).</summary>
public static class InferenceTelemetryNames
{
    /// <summary>ActivitySource and Meter name.</summary>
    public const string SourceName = "ChasiSre.Platform.Inference";

    /// <summary>Span of one LLM generation.</summary>
    public const string GenerateActivity = "llm.generate";

    /// <summary>Span of one embedding call.</summary>
    public const string EmbedActivity = "embeddings.generate";

    /// <summary>Histogram, seconds: wall time of a generation, prompt processing included.</summary>
    public const string LlmDuration = "chasisre.inference.llm.duration";

    /// <summary>Counter, {token}: tokens processed, tagged with <see cref="TokenTypeTag"/>.</summary>
    public const string LlmTokens = "chasisre.inference.llm.tokens";

    /// <summary>Histogram, seconds: wall time of an embedding call.</summary>
    public const string EmbeddingDuration = "chasisre.inference.embeddings.duration";

    /// <summary>Counter, {input}: texts embedded.</summary>
    public const string EmbeddingInputs = "chasisre.inference.embeddings.inputs";

    /// <summary>Tag: <c>input</c> or <c>output</c>.</summary>
    public const string TokenTypeTag = "chasisre.token.type";

    /// <summary>Tag: <see cref="LlmStopReason"/> of a generation.</summary>
    public const string StopReasonTag = "chasisre.llm.stop_reason";

    /// <summary>Tag: model id.</summary>
    public const string ModelTag = "chasisre.model";
}
