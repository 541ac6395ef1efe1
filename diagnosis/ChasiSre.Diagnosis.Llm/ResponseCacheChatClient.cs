using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Reuses answers for identical requests. The key hashes the model id, the messages and the options
/// that change the output (response format and schema, temperature, seed, token limits, ...), so a
/// re-run of the same incident costs nothing. Only complete answers (finish reason stop, non-blank) are
/// stored, in a bounded in-memory store with a time to live. Placed inside the redaction, it only ever
/// holds redacted text.
/// </summary>
public sealed class ResponseCacheChatClient : CachingChatClient
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeToLive;
    private readonly int _maxEntries;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ResponseCacheChatClient(IChatClient innerClient, TimeSpan timeToLive, int maxEntries, TimeProvider? timeProvider = null, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _timeToLive = timeToLive;
        _maxEntries = maxEntries;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Entries currently stored (expired ones included until they are next touched).</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    protected override string GetCacheKey(IEnumerable<ChatMessage> messages, ChatOptions? options, params ReadOnlySpan<object?> additionalValues)
    {
        string model = options?.ModelId ?? InnerClient.GetService<ChatClientMetadata>()?.DefaultModelId ?? string.Empty;
        return AIJsonUtilities.HashDataToString(["chasi-llm-cache-v1", model, messages, options, .. additionalValues], AIJsonUtilities.DefaultOptions);
    }

    /// <inheritdoc />
    protected override Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(Read(key) is { } json ? JsonSerializer.Deserialize<ChatResponse>(json, AIJsonUtilities.DefaultOptions) : null);

    /// <inheritdoc />
    protected override Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(Read(key) is { } json ? JsonSerializer.Deserialize<IReadOnlyList<ChatResponseUpdate>>(json, AIJsonUtilities.DefaultOptions) : null);

    /// <inheritdoc />
    protected override Task WriteCacheAsync(string key, ChatResponse value, CancellationToken cancellationToken)
    {
        if (value.FinishReason == ChatFinishReason.Stop && !string.IsNullOrWhiteSpace(value.Text))
        {
            Write(key, JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task WriteCacheStreamingAsync(string key, IReadOnlyList<ChatResponseUpdate> value, CancellationToken cancellationToken)
    {
        if (value.Any(u => u.FinishReason == ChatFinishReason.Stop) && !string.IsNullOrWhiteSpace(string.Concat(value.Select(u => u.Text))))
        {
            Write(key, JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions));
        }

        return Task.CompletedTask;
    }

    private string? Read(string key)
    {
        var now = _timeProvider.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt > now)
            {
                Lookup("hit", key);
                return entry.Json;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        Lookup("miss", key);
        return null;
    }

    private void Write(string key, string json)
    {
        var now = _timeProvider.GetUtcNow();
        _entries[key] = new Entry(json, now + _timeToLive);
        if (_entries.Count <= _maxEntries)
        {
            return;
        }

        foreach (var expired in _entries.Where(e => e.Value.ExpiresAt <= now).ToList())
        {
            _entries.TryRemove(expired);
        }

        foreach (var oldest in _entries.OrderBy(e => e.Value.ExpiresAt).Take(_entries.Count - _maxEntries).ToList())
        {
            _entries.TryRemove(oldest);
        }
    }

    private void Lookup(string outcome, string key)
    {
        LlmTelemetry.CacheLookups.Add(1, new KeyValuePair<string, object?>(LlmTelemetryNames.OutcomeTag, outcome));
        _logger.CacheLookup(outcome, key);
    }

    private sealed record Entry(string Json, DateTimeOffset ExpiresAt);
}
