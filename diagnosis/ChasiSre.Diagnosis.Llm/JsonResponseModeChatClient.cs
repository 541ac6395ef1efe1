using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Adapts a JSON-schema response format to what the provider accepts (<see cref="LlmJsonMode"/>): for a
/// <c>json_object</c>-only provider such as DeepSeek the schema becomes JSON mode plus the schema in the
/// instructions (which also satisfies DeepSeek's rule that the prompt mention "json"). When a JSON
/// request comes back blank, which DeepSeek's JSON mode does now and then, it asks again up to
/// <c>blankRetries</c> times; a stream is held while it has produced only whitespace.
/// </summary>
public sealed class JsonResponseModeChatClient : DelegatingChatClient
{
    private readonly LlmJsonMode _mode;
    private readonly int _blankRetries;
    private readonly ILogger _logger;

    public JsonResponseModeChatClient(IChatClient innerClient, LlmJsonMode mode, int blankRetries, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blankRetries);
        _mode = mode;
        _blankRetries = blankRetries;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        bool json = options?.ResponseFormat is ChatResponseFormatJson;
        options = Adapt(options);
        for (int attempt = 1; ; attempt++)
        {
            var response = await base.GetResponseAsync(list, options, cancellationToken);
            if (!json || !string.IsNullOrWhiteSpace(response.Text) || attempt > _blankRetries)
            {
                return response;
            }

            _logger.BlankJsonResponse(attempt, _blankRetries + 1);
            LlmTelemetry.Retry("blank");
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        bool json = options?.ResponseFormat is ChatResponseFormatJson;
        options = Adapt(options);
        for (int attempt = 1; ; attempt++)
        {
            var held = new List<ChatResponseUpdate>();
            bool flowing = !json;
            await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken))
            {
                if (flowing)
                {
                    yield return update;
                    continue;
                }

                held.Add(update);
                if (!string.IsNullOrWhiteSpace(update.Text))
                {
                    flowing = true;
                    foreach (var h in held)
                    {
                        yield return h;
                    }

                    held.Clear();
                }
            }

            if (flowing || attempt > _blankRetries)
            {
                foreach (var h in held)
                {
                    yield return h;
                }

                yield break;
            }

            _logger.BlankJsonResponse(attempt, _blankRetries + 1);
            LlmTelemetry.Retry("blank");
        }
    }

    private ChatOptions? Adapt(ChatOptions? options)
    {
        if (_mode == LlmJsonMode.Schema || options?.ResponseFormat is not ChatResponseFormatJson { Schema: { } schema } format)
        {
            return options;
        }

        var adapted = options.Clone();
        adapted.ResponseFormat = _mode == LlmJsonMode.JsonObject ? ChatResponseFormat.Json : null;
        string name = format.SchemaName is { Length: > 0 } n ? $" \"{n}\"" : string.Empty;
        string instruction = $"Answer with one JSON object only, no prose and no code fence. It must be valid against this JSON schema{name}:\n{JsonSerializer.Serialize(schema, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonElement)))}";
        adapted.Instructions = string.IsNullOrEmpty(adapted.Instructions) ? instruction : adapted.Instructions + "\n\n" + instruction;
        return adapted;
    }
}
