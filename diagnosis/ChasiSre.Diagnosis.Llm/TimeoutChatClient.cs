using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Bounds one attempt: the whole request by <c>requestTimeout</c>, and a streamed answer also by
/// <c>streamIdleTimeout</c> between two chunks (a stalled stream; SSE keep-alive comments do not count
/// as progress because they never surface as chunks). Either limit throws
/// <see cref="LlmTimeoutException"/>; the caller's own cancellation stays an
/// <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class TimeoutChatClient : DelegatingChatClient
{
    private readonly TimeSpan _requestTimeout;
    private readonly TimeSpan _streamIdleTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public TimeoutChatClient(IChatClient innerClient, TimeSpan requestTimeout, TimeSpan streamIdleTimeout, TimeProvider? timeProvider = null, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(streamIdleTimeout, TimeSpan.Zero);
        _requestTimeout = requestTimeout;
        _streamIdleTimeout = streamIdleTimeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await base.GetResponseAsync(messages, options, linked.Token);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is not LlmTimeoutException)
        {
            _logger.AttemptTimedOut(_requestTimeout, "request");
            throw new LlmTimeoutException($"The LLM did not answer within {_requestTimeout}.", ex);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout, _timeProvider);
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, idle.Token);
        var enumerator = base.GetStreamingResponseAsync(messages, options, linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            while (true)
            {
                idle.CancelAfter(_streamIdleTimeout);
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync();
                }
                catch (Exception ex) when ((timeout.IsCancellationRequested || idle.IsCancellationRequested) && !cancellationToken.IsCancellationRequested && ex is not LlmTimeoutException)
                {
                    throw TimedOut(idle.IsCancellationRequested && !timeout.IsCancellationRequested, ex);
                }

                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                if (!more)
                {
                    yield break;
                }

                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync();
        }
    }

    private LlmTimeoutException TimedOut(bool stalled, Exception inner)
    {
        if (stalled)
        {
            _logger.AttemptTimedOut(_streamIdleTimeout, "stream idle");
            return new LlmTimeoutException($"The LLM stream stalled: no chunk for {_streamIdleTimeout}.", inner, streamStalled: true);
        }

        _logger.AttemptTimedOut(_requestTimeout, "request");
        return new LlmTimeoutException($"The LLM did not finish streaming within {_requestTimeout}.", inner);
    }
}
