using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Options of the LLM pipeline: which provider, where, and the limits every request runs under.
/// The API key comes from configuration or the environment (<c>Diagnosis__Llm__ApiKey</c>) and is never logged.
/// </summary>
public sealed class LlmOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Diagnosis:Llm";

    /// <summary>The backend; <see cref="LlmProvider.Deterministic"/> (no LLM) unless configured.</summary>
    public LlmProvider Provider { get; set; } = LlmProvider.Deterministic;

    /// <summary>Base address: <c>https://api.deepseek.com/v1</c>, <c>http://localai:8080/v1</c>, <c>http://ollama:11434</c>. Required for OpenAI-compatible endpoints other than OpenAI itself.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Model name sent to the provider (OpenAI, Ollama); for LlamaSharp the reported model id.</summary>
    [MaxLength(256)]
    public string? Model { get; set; }

    /// <summary>GGUF file for <see cref="LlmProvider.LlamaSharp"/>.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Bearer key for OpenAI-compatible endpoints; may stay empty for local servers. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Context window of the local model (prompt plus output), LlamaSharp only.</summary>
    [Range(256, 1 << 20)]
    public int ContextSize { get; set; } = 4096;

    /// <summary>CPU threads of the local model; 0 lets llama.cpp choose. LlamaSharp only.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Limit of one attempt, from sending the request to the last streamed token.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest silence between two streamed chunks before the stream counts as stalled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:30:00")]
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per request including the first (1 disables retries).</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First backoff delay; doubled on each retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of a backoff delay and of an honoured <c>Retry-After</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Prompt token budget (all messages plus instructions), counted with the cl100k_base tokenizer.</summary>
    [Range(64, 1 << 20)]
    public int MaxInputTokens { get; set; } = 6000;

    /// <summary>Output tokens requested when the caller does not say.</summary>
    [Range(16, 1 << 16)]
    public int MaxOutputTokens { get; set; } = 1024;

    /// <summary>How a JSON schema is sent: pass-through, downgraded to <c>json_object</c> (DeepSeek), or prompt only.</summary>
    public LlmJsonMode JsonMode { get; set; } = LlmJsonMode.Schema;

    /// <summary>Extra attempts when a JSON answer comes back blank (DeepSeek's JSON mode does this now and then).</summary>
    [Range(0, 5)]
    public int BlankResponseRetries { get; set; } = 2;

    /// <summary>Requests started per minute towards the provider; 0 means no limit.</summary>
    [Range(0, 100_000)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Requests in flight towards the provider at once.</summary>
    [Range(1, 256)]
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>How long a cached answer is reused; zero disables the response cache.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Answers kept in the in-memory response cache.</summary>
    [Range(1, 100_000)]
    public int CacheMaxEntries { get; set; } = 512;
}
