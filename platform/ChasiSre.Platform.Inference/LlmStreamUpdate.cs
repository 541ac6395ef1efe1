namespace ChasiSre.Platform.Inference;

/// <summary>A piece of streamed output; the last update carries the <see cref="Completion"/> summary.</summary>
/// <param name="Text">Newly decoded text (may be empty).</param>
/// <param name="Completion">Set on the final update only.</param>
public sealed record LlmStreamUpdate(string Text, LlmCompletion? Completion);
