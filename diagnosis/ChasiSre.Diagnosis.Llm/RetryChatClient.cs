using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Repeats an attempt that failed for a transient reason: 408/409/425/429/5xx, a dropped connection,
/// an attempt timeout or a stalled stream. It waits what <c>Retry-After</c> asks (seconds or HTTP-date)
/// or backs off exponentially with jitter, never longer than <c>maxDelay</c>: a server asking for more
/// gets its error passed on at once. Client errors (400, 401, 404, 422) fail at once. A stream is retried
/// only while it has not produced anything.
/// </summary>
public sealed class RetryChatClient : DelegatingChatClient
{
    private readonly int _maxAttempts;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public RetryChatClient(IChatClient innerClient, int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider? timeProvider = null, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _maxAttempts = maxAttempts;
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await base.GetResponseAsync(list, options, cancellationToken);
            }
            catch (Exception ex) when (ShouldRetry(ex, attempt, cancellationToken, out var delay))
            {
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        for (int attempt = 1; ; attempt++)
        {
            var enumerator = base.GetStreamingResponseAsync(list, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            bool yielded = false;
            TimeSpan delay = TimeSpan.Zero;
            bool retry = false;
            try
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await enumerator.MoveNextAsync();
                    }
                    catch (Exception ex) when (!yielded && ShouldRetry(ex, attempt, cancellationToken, out delay))
                    {
                        retry = true;
                        break;
                    }

                    if (!more)
                    {
                        yield break;
                    }

                    yielded = true;
                    yield return enumerator.Current;
                }
            }
            finally
            {
                await enumerator.DisposeAsync();
            }

            if (retry)
            {
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }

    private bool ShouldRetry(Exception exception, int attempt, CancellationToken cancellationToken, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (attempt >= _maxAttempts)
        {
            return false;
        }

        var failure = TransientFailure.Classify(exception, cancellationToken);
        if (!failure.IsTransient)
        {
            return false;
        }

        if (failure.RetryAfter is { } retryAfter)
        {
            if (retryAfter > _maxDelay)
            {
                return false;
            }

            delay = retryAfter;
        }
        else
        {
            double backoff = _baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
            double jittered = backoff * (0.8 + (0.4 * Random.Shared.NextDouble()));
            delay = TimeSpan.FromMilliseconds(Math.Min(jittered, _maxDelay.TotalMilliseconds));
        }

        LlmTelemetry.Retry(failure.Reason);
        _logger.RetryScheduled(exception, attempt, _maxAttempts, failure.Reason, delay);
        return true;
    }
}
