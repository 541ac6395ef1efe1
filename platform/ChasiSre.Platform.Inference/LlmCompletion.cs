namespace ChasiSre.Platform.Inference;

/// <summary>The result of a generation.</summary>
/// <param name="Text">The generated text (with a JSON-schema grammar: the JSON document).</param>
/// <param name="StopReason">Why generation stopped.</param>
/// <param name="PromptTokens">Tokens in the prompt.</param>
/// <param name="CompletionTokens">Tokens generated.</param>
/// <param name="Elapsed">Wall time, prompt processing included.</param>
public sealed record LlmCompletion(string Text, LlmStopReason StopReason, int PromptTokens, int CompletionTokens, TimeSpan Elapsed);
