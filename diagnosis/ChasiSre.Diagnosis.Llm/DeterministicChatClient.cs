using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// The <see cref="LlmProvider.Deterministic"/> provider: not an LLM. It answers every request with an
/// empty assistant message marked "no LLM configured" (<see cref="IsNoLlmConfigured"/>), which the
/// diagnosis engine replaces with its rule-based diagnosis. Nothing leaves the process.
/// </summary>
public sealed class DeterministicChatClient : IChatClient
{
    /// <summary>Key of the marker in <see cref="ChatResponse.AdditionalProperties"/>.</summary>
    public const string NoLlmConfiguredProperty = "chasi.llm.not_configured";

    /// <summary>Model id reported for deterministic answers.</summary>
    public const string ModelId = "deterministic";

    private static readonly ChatClientMetadata Metadata = new("deterministic", providerUri: null, ModelId);

    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public DeterministicChatClient(TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>True when <paramref name="response"/> came from the deterministic provider rather than a model.</summary>
    public static bool IsNoLlmConfigured(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(NoLlmConfiguredProperty, out var value) == true && value is true;
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        _logger.NoLlmConfigured();
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Empty))
        {
            ModelId = ModelId,
            CreatedAt = _timeProvider.GetUtcNow(),
            FinishReason = ChatFinishReason.Stop,
            AdditionalProperties = new() { [NoLlmConfiguredProperty] = true },
        });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return Metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
