using Microsoft.Extensions.Logging;

namespace ChasiSre.Platform.Inference;

/// <summary>Log messages of the inference runtime (event ids 5500-5599). Prompts and completions only at Trace through *Sensitive methods.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5500, Message = "llama.cpp: {NativeMessage}")]
    public static partial void LlamaNativeMessage(ILogger logger, LogLevel level, string nativeMessage);

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Loaded GGUF model {ModelPath} ({ParameterCount} parameters, vocabulary {VocabularySize}, embedding {EmbeddingSize}, context {ContextSize}) in {ElapsedMilliseconds} ms")]
    public static partial void ModelLoaded(ILogger logger, string modelPath, ulong parameterCount, int vocabularySize, int embeddingSize, int contextSize, long elapsedMilliseconds);

    [LoggerMessage(EventId = 5502, Level = LogLevel.Debug, Message = "Generated {CompletionTokens} tokens after a {PromptTokens}-token prompt in {ElapsedMilliseconds} ms, stop reason {StopReason}")]
    public static partial void GenerationCompleted(ILogger logger, int promptTokens, int completionTokens, long elapsedMilliseconds, LlmStopReason stopReason);

    [LoggerMessage(EventId = 5503, Level = LogLevel.Trace, Message = "Prompt: {Prompt}")]
    public static partial void PromptSensitive(ILogger logger, string prompt);

    [LoggerMessage(EventId = 5504, Level = LogLevel.Trace, Message = "Completion: {Completion}")]
    public static partial void CompletionSensitive(ILogger logger, string completion);

    [LoggerMessage(EventId = 5505, Level = LogLevel.Trace, Message = "Grammar (root {Root}): {Grammar}")]
    public static partial void GrammarUsed(ILogger logger, string root, string grammar);

    [LoggerMessage(EventId = 5506, Level = LogLevel.Debug, Message = "Generation cancelled after {CompletionTokens} tokens")]
    public static partial void GenerationCancelled(ILogger logger, int completionTokens);

    [LoggerMessage(EventId = 5510, Level = LogLevel.Information, Message = "Loaded MiniLM sentence encoder (all-MiniLM-L6-v2, {Dimensions} dimensions) in {ElapsedMilliseconds} ms")]
    public static partial void EmbedderLoaded(ILogger logger, int dimensions, long elapsedMilliseconds);

    [LoggerMessage(EventId = 5511, Level = LogLevel.Debug, Message = "Embedded {Count} inputs in {ElapsedMilliseconds} ms")]
    public static partial void EmbeddingsGenerated(ILogger logger, int count, long elapsedMilliseconds);

    [LoggerMessage(EventId = 5520, Level = LogLevel.Debug, Message = "Native library {Library} loaded from {Path}")]
    public static partial void NativeLibraryLoaded(ILogger logger, string library, string path);
}
