namespace ChasiSre.Platform.Inference;

/// <summary>Why a generation stopped.</summary>
public enum LlmStopReason
{
    /// <summary>The model emitted an end-of-generation token (with a grammar: the grammar was complete).</summary>
    EndOfGeneration,

    /// <summary>The token budget ran out; grammar-constrained output may be incomplete.</summary>
    MaxTokens,

    /// <summary>The context window filled up; the output may be incomplete.</summary>
    ContextFull,
}
