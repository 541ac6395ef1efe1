using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Takes one permit of a <see cref="RateLimiter"/> per request (a streamed request holds it until the
/// stream ends), waiting in the limiter's queue; a full queue throws <see cref="LlmRateLimitRejectedException"/>.
/// Chain two for a rate and a concurrency limit. Does not own the limiter.
/// </summary>
public sealed class RateLimitingChatClient : DelegatingChatClient
{
    private readonly RateLimiter _limiter;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public RateLimitingChatClient(IChatClient innerClient, RateLimiter limiter, TimeProvider? timeProvider = null, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        _limiter = limiter;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var lease = await AcquireAsync(cancellationToken);
        return await base.GetResponseAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var lease = await AcquireAsync(cancellationToken);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }

    private async Task<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        long started = _timeProvider.GetTimestamp();
        var lease = await _limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new LlmRateLimitRejectedException();
        }

        var waited = _timeProvider.GetElapsedTime(started);
        if (waited > TimeSpan.FromMilliseconds(1))
        {
            _logger.RateLimited(waited);
        }

        return lease;
    }
}
