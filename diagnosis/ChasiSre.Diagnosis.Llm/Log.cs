using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Source-generated log methods of the LLM pipeline (event ids 3100-3199).</summary>
internal static partial class Log
{
    [LoggerMessage(3100, LogLevel.Information, "LLM pipeline: provider {Provider}, model {Model}, endpoint {Endpoint}, JSON mode {JsonMode}")]
    public static partial void PipelineCreated(this ILogger logger, LlmProvider provider, string model, string endpoint, LlmJsonMode jsonMode);

    [LoggerMessage(3101, LogLevel.Warning, "LLM attempt {Attempt}/{MaxAttempts} failed ({Reason}); retrying in {Delay}")]
    public static partial void RetryScheduled(this ILogger logger, Exception exception, int attempt, int maxAttempts, string reason, TimeSpan delay);

    [LoggerMessage(3102, LogLevel.Warning, "LLM answered blank content for a JSON request; asking again ({Attempt}/{MaxAttempts})")]
    public static partial void BlankJsonResponse(this ILogger logger, int attempt, int maxAttempts);

    [LoggerMessage(3103, LogLevel.Information, "LLM prompt trimmed to the token budget: {Before} -> {After} tokens (budget {Budget}), {Dropped} message(s) dropped")]
    public static partial void PromptTrimmed(this ILogger logger, int before, int after, int budget, int dropped);

    [LoggerMessage(3104, LogLevel.Debug, "LLM request redacted: {Pseudonyms} pseudonym(s), {Secrets} secret(s) removed")]
    public static partial void Redacted(this ILogger logger, int pseudonyms, int secrets);

    [LoggerMessage(3105, LogLevel.Trace, "LLM redacted prompt: {Prompt}")]
    public static partial void RedactedPromptSensitive(this ILogger logger, string prompt);

    [LoggerMessage(3106, LogLevel.Debug, "LLM response cache {Outcome} for {Key}")]
    public static partial void CacheLookup(this ILogger logger, string outcome, string key);

    [LoggerMessage(3107, LogLevel.Warning, "LLM attempt timed out after {Timeout} ({Kind})")]
    public static partial void AttemptTimedOut(this ILogger logger, TimeSpan timeout, string kind);

    [LoggerMessage(3108, LogLevel.Debug, "LLM request waited {Waited} for the rate limiter")]
    public static partial void RateLimited(this ILogger logger, TimeSpan waited);

    [LoggerMessage(3109, LogLevel.Information, "No LLM configured: answering with the deterministic placeholder")]
    public static partial void NoLlmConfigured(this ILogger logger);
}
