using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.Tokenizers;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Holds the prompt to a token budget, counted with a Microsoft.ML.Tokenizers tokenizer (cl100k_base by
/// default: close enough for Llama/Qwen/DeepSeek vocabularies to budget with). Over budget, it drops
/// the most expendable messages (<see cref="LlmMessagePriority"/>) until the prompt fits, and fails with
/// <see cref="LlmTokenBudgetExceededException"/> when even the required messages do not. It also sets
/// <see cref="ChatOptions.MaxOutputTokens"/> when the caller left it open.
/// </summary>
public sealed class TokenBudgetChatClient : DelegatingChatClient
{
    /// <summary>Tokens the chat template adds around each message (role, separators), as OpenAI counts them.</summary>
    public const int PerMessageOverhead = 4;

    private static readonly Lazy<Tokenizer> DefaultTokenizer = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    private readonly int _maxInputTokens;
    private readonly int? _defaultMaxOutputTokens;
    private readonly Tokenizer _tokenizer;
    private readonly ILogger _logger;

    public TokenBudgetChatClient(IChatClient innerClient, int maxInputTokens, int? defaultMaxOutputTokens = null, Tokenizer? tokenizer = null, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInputTokens, 1);
        _maxInputTokens = maxInputTokens;
        _defaultMaxOutputTokens = defaultMaxOutputTokens;
        _tokenizer = tokenizer ?? DefaultTokenizer.Value;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The cl100k_base tokenizer used when none is given.</summary>
    public static Tokenizer Cl100kBase => DefaultTokenizer.Value;

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (fitted, fittedOptions) = Fit(messages, options);
        return base.GetResponseAsync(fitted, fittedOptions, cancellationToken);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (fitted, fittedOptions) = Fit(messages, options);
        await foreach (var update in base.GetStreamingResponseAsync(fitted, fittedOptions, cancellationToken))
        {
            yield return update;
        }
    }

    /// <summary>Prompt tokens of <paramref name="messages"/> plus the instructions, as this client counts them.</summary>
    public int CountTokens(IEnumerable<ChatMessage> messages, string? instructions = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        int total = instructions is null ? 0 : _tokenizer.CountTokens(instructions) + PerMessageOverhead;
        foreach (var message in messages)
        {
            total += Count(message);
        }

        return total;
    }

    private int Count(ChatMessage message) => _tokenizer.CountTokens(message.Text) + PerMessageOverhead;

    private (List<ChatMessage> Messages, ChatOptions? Options) Fit(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.ToList();
        if (_defaultMaxOutputTokens is { } maxOutput && options?.MaxOutputTokens is null)
        {
            options = options?.Clone() ?? new ChatOptions();
            options.MaxOutputTokens = maxOutput;
        }

        var counts = list.Select(Count).ToList();
        int instructionTokens = options?.Instructions is { } instructions ? _tokenizer.CountTokens(instructions) + PerMessageOverhead : 0;
        int before = instructionTokens + counts.Sum();
        if (before <= _maxInputTokens)
        {
            LlmTelemetry.PromptTokens.Record(before);
            return (list, options);
        }

        var droppable = Enumerable.Range(0, list.Count)
            .Where(i => list[i].GetPriority() > LlmMessagePriority.Required)
            .OrderByDescending(i => list[i].GetPriority())
            .ThenByDescending(i => i)
            .ToList();
        int total = before;
        var dropped = new HashSet<int>();
        foreach (int index in droppable)
        {
            if (total <= _maxInputTokens)
            {
                break;
            }

            dropped.Add(index);
            total -= counts[index];
        }

        if (total > _maxInputTokens)
        {
            throw new LlmTokenBudgetExceededException(total, _maxInputTokens);
        }

        _logger.PromptTrimmed(before, total, _maxInputTokens, dropped.Count);
        LlmTelemetry.PromptTokens.Record(total);
        return (list.Where((_, i) => !dropped.Contains(i)).ToList(), options);
    }
}
