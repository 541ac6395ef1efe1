using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ChasiSre.Platform.Inference;

/// <summary>
/// <see cref="IChatClient"/> over a <see cref="LocalLlm"/>. A JSON schema response format
/// (<see cref="ChatResponseFormat.ForJsonSchema(JsonElement, string?, string?)"/>) is compiled to a
/// GBNF grammar, so the answer is JSON valid against the schema unless the token budget runs
/// out (then <see cref="ChatResponse.FinishReason"/> is <see cref="ChatFinishReason.Length"/>).
/// A raw grammar can be passed as a <see cref="GbnfGrammar"/> in
/// <see cref="ChatOptions.AdditionalProperties"/> under <see cref="GrammarPropertyName"/>.
/// Does not own the <see cref="LocalLlm"/>: disposing the client leaves the model loaded.
/// </summary>
public sealed class LocalLlmChatClient : IChatClient
{
    /// <summary>Key of a <see cref="GbnfGrammar"/> in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
    public const string GrammarPropertyName = "chasi.gbnf";

    private readonly LocalLlm _llm;
    private readonly TimeProvider _timeProvider;
    private readonly JsonSchemaGbnfOptions _grammarOptions;
    private readonly ChatClientMetadata _metadata;

    public LocalLlmChatClient(LocalLlm llm, TimeProvider? timeProvider = null, JsonSchemaGbnfOptions? grammarOptions = null)
    {
        ArgumentNullException.ThrowIfNull(llm);
        _llm = llm;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _grammarOptions = grammarOptions ?? JsonSchemaGbnfOptions.Default;
        _metadata = new ChatClientMetadata("llama.cpp", providerUri: null, llm.ModelId);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = BuildRequest(messages, options);
        var completion = await _llm.CompleteAsync(request, cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, completion.Text))
        {
            ModelId = _llm.ModelId,
            CreatedAt = _timeProvider.GetUtcNow(),
            FinishReason = FinishReason(completion.StopReason),
            Usage = Usage(completion),
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = BuildRequest(messages, options);
        string responseId = Guid.NewGuid().ToString("N");
        await foreach (var update in _llm.StreamAsync(request, cancellationToken))
        {
            var chatUpdate = new ChatResponseUpdate(ChatRole.Assistant, update.Text)
            {
                ResponseId = responseId,
                ModelId = _llm.ModelId,
                CreatedAt = _timeProvider.GetUtcNow(),
            };
            if (update.Completion is { } completion)
            {
                chatUpdate.FinishReason = FinishReason(completion.StopReason);
                chatUpdate.Contents.Add(new UsageContent(Usage(completion)));
            }

            yield return chatUpdate;
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
            return _metadata;
        }

        if (serviceType.IsInstanceOfType(_llm))
        {
            return _llm;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The LocalLlm is shared and owned by whoever loaded it.
    }

    private LlmRequest BuildRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (options?.Tools is { Count: > 0 })
        {
            throw new NotSupportedException("The local LLM runtime does not call tools; constrain the answer with a JSON schema response format instead.");
        }

        var turns = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            turns.Add(new(ChatRole.System.Value, options.Instructions));
        }

        foreach (var message in messages)
        {
            turns.Add(new(message.Role.Value, message.Text));
        }

        var (prompt, special) = _llm.RenderChat(turns);
        return new LlmRequest(prompt)
        {
            Grammar = Grammar(options),
            MaxTokens = options?.MaxOutputTokens,
            Temperature = options?.Temperature,
            Seed = options?.Seed is { } seed ? unchecked((uint)seed) : null,
            ParseSpecialTokens = special,
        };
    }

    private GbnfGrammar? Grammar(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.TryGetValue(GrammarPropertyName, out var raw) == true)
        {
            return raw as GbnfGrammar ?? throw new ArgumentException($"ChatOptions.AdditionalProperties['{GrammarPropertyName}'] must be a {nameof(GbnfGrammar)}.", nameof(options));
        }

        return options?.ResponseFormat switch
        {
            null or ChatResponseFormatText => null,
            ChatResponseFormatJson { Schema: { } schema } => JsonSchemaGbnfCompiler.Compile(schema, _grammarOptions),
            ChatResponseFormatJson => throw new NotSupportedException("The local LLM runtime needs a JSON schema to constrain JSON output (ChatResponseFormat.ForJsonSchema); schema-less JSON would be unbounded."),
            _ => throw new NotSupportedException($"Response format {options.ResponseFormat.GetType().Name} is not supported."),
        };
    }

    private static ChatFinishReason FinishReason(LlmStopReason reason) =>
        reason == LlmStopReason.EndOfGeneration ? ChatFinishReason.Stop : ChatFinishReason.Length;

    private static UsageDetails Usage(LlmCompletion completion) => new()
    {
        InputTokenCount = completion.PromptTokens,
        OutputTokenCount = completion.CompletionTokens,
        TotalTokenCount = completion.PromptTokens + completion.CompletionTokens,
    };
}
