namespace ChasiSre.Platform.Inference;

/// <summary>One generation: a raw prompt (already in the model's chat format, if any) and per-request overrides of <see cref="LocalLlmOptions"/>.</summary>
/// <param name="Prompt">The text the model continues.</param>
public sealed record LlmRequest(string Prompt)
{
    /// <summary>Constrains the output; null for free text.</summary>
    public GbnfGrammar? Grammar { get; init; }

    /// <summary>Overrides <see cref="LocalLlmOptions.MaxTokens"/>.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Overrides <see cref="LocalLlmOptions.Seed"/>.</summary>
    public uint? Seed { get; init; }

    /// <summary>Overrides <see cref="LocalLlmOptions.Temperature"/>.</summary>
    public float? Temperature { get; init; }

    /// <summary>Parse special-token markup in the prompt (e.g. a chat template's control tokens).</summary>
    public bool ParseSpecialTokens { get; init; }
}
