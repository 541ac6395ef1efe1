using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Keeps tenant data away from the provider. Every message (system, evidence, events, logs) and the
/// instructions are rewritten before they leave: secrets are removed outright, and the names listed in
/// the request's <see cref="RedactionContext"/> plus every IP and registry path become typed tokens
/// (<c>&lt;tenant-1&gt;</c>, <c>&lt;pod-3&gt;</c>, <c>&lt;ip-2&gt;</c>, <c>&lt;registry-1&gt;</c>). The tokens in
/// the answer are put back, in streamed answers too (a token split over chunks included), so the
/// caller reads real names. Content it cannot redact (images, tool results) is refused.
/// </summary>
public sealed class RedactingChatClient : DelegatingChatClient
{
    private readonly ILogger _logger;

    public RedactingChatClient(IChatClient innerClient, ILogger? logger = null)
        : base(innerClient)
    {
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (pseudonymizer, redactedMessages, redactedOptions) = Redact(messages, options);
        var response = await base.GetResponseAsync(redactedMessages, redactedOptions, cancellationToken);
        foreach (var message in response.Messages)
        {
            for (int i = 0; i < message.Contents.Count; i++)
            {
                message.Contents[i] = message.Contents[i] switch
                {
                    TextContent text => CopyText(text, pseudonymizer.Restore(text.Text)),
                    TextReasoningContent reasoning => CopyReasoning(reasoning, pseudonymizer.Restore(reasoning.Text)),
                    var other => other,
                };
            }
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (pseudonymizer, redactedMessages, redactedOptions) = Redact(messages, options);
        var text = new StreamingTokenRestorer(pseudonymizer);
        var reasoning = new StreamingTokenRestorer(pseudonymizer);
        ChatResponseUpdate? last = null;
        await foreach (var update in base.GetStreamingResponseAsync(redactedMessages, redactedOptions, cancellationToken))
        {
            for (int i = 0; i < update.Contents.Count; i++)
            {
                update.Contents[i] = update.Contents[i] switch
                {
                    TextContent t => CopyText(t, text.Push(t.Text)),
                    TextReasoningContent r => CopyReasoning(r, reasoning.Push(r.Text)),
                    var other => other,
                };
            }

            last = update;
            yield return update;
        }

        string restText = text.Flush();
        string restReasoning = reasoning.Flush();
        if (restText.Length > 0 || restReasoning.Length > 0)
        {
            var tail = new ChatResponseUpdate(ChatRole.Assistant, [])
            {
                ResponseId = last?.ResponseId,
                MessageId = last?.MessageId,
                ModelId = last?.ModelId,
            };
            if (restReasoning.Length > 0)
            {
                tail.Contents.Add(new TextReasoningContent(restReasoning));
            }

            if (restText.Length > 0)
            {
                tail.Contents.Add(new TextContent(restText));
            }

            yield return tail;
        }
    }

    private (Pseudonymizer Pseudonymizer, List<ChatMessage> Messages, ChatOptions? Options) Redact(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        RedactionContext? context = null;
        if (options?.AdditionalProperties?.TryGetValue(RedactionContext.PropertyName, out var raw) == true)
        {
            context = raw as RedactionContext ?? throw new ArgumentException($"ChatOptions.AdditionalProperties['{RedactionContext.PropertyName}'] must be a {nameof(RedactionContext)}.", nameof(options));
        }

        var pseudonymizer = new Pseudonymizer(context);
        int secrets = 0;
        string Clean(string value)
        {
            string scrubbed = SecretScrubber.Scrub(value, out int removed);
            secrets += removed;
            return pseudonymizer.Pseudonymize(scrubbed);
        }

        ChatOptions? redactedOptions = options;
        if (options is not null)
        {
            redactedOptions = options.Clone();
            if (redactedOptions.Instructions is { } instructions)
            {
                redactedOptions.Instructions = Clean(instructions);
            }

            if (redactedOptions.AdditionalProperties is { } properties && properties.ContainsKey(RedactionContext.PropertyName))
            {
                var copy = new AdditionalPropertiesDictionary(properties);
                copy.Remove(RedactionContext.PropertyName);
                redactedOptions.AdditionalProperties = copy.Count == 0 ? null : copy;
            }
        }

        var redacted = new List<ChatMessage>();
        foreach (var message in messages)
        {
            var contents = new List<AIContent>(message.Contents.Count);
            foreach (var content in message.Contents)
            {
                contents.Add(content switch
                {
                    TextContent text => new TextContent(Clean(text.Text)),
                    TextReasoningContent reasoning => new TextReasoningContent(Clean(reasoning.Text)),
                    _ => throw new NotSupportedException($"Redaction cannot inspect {content.GetType().Name} content; send evidence as text."),
                });
            }

            redacted.Add(new ChatMessage(message.Role, contents)
            {
                AuthorName = message.AuthorName is { } author ? Clean(author) : null,
                AdditionalProperties = message.AdditionalProperties,
                MessageId = message.MessageId,
            });
        }

        if (pseudonymizer.Count > 0 || secrets > 0)
        {
            LlmTelemetry.Redactions.Add(pseudonymizer.Count, new KeyValuePair<string, object?>(LlmTelemetryNames.KindTag, "pseudonym"));
            LlmTelemetry.Redactions.Add(secrets, new KeyValuePair<string, object?>(LlmTelemetryNames.KindTag, "secret"));
        }

        _logger.Redacted(pseudonymizer.Count, secrets);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            _logger.RedactedPromptSensitive(string.Join("\n---\n", redacted.Select(m => $"{m.Role}: {m.Text}")));
        }

        return (pseudonymizer, redacted, redactedOptions);
    }

    private static TextContent CopyText(TextContent original, string text) => new(text)
    {
        AdditionalProperties = original.AdditionalProperties,
        RawRepresentation = original.RawRepresentation,
    };

    private static TextReasoningContent CopyReasoning(TextReasoningContent original, string text) => new(text)
    {
        AdditionalProperties = original.AdditionalProperties,
        RawRepresentation = original.RawRepresentation,
        ProtectedData = original.ProtectedData,
    };
}
