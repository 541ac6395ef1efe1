namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// One adapter's circuit breaker: closed until <c>failureThreshold</c> consecutive polls fail, then
/// open for <c>openDuration</c> (no polls), then half-open (one trial poll). A successful trial closes
/// it; a failed one reopens it for twice as long, up to <c>maxOpenDuration</c>. Used by one poll at a
/// time (the scheduler never overlaps polls of one adapter), read from anywhere.
/// </summary>
public sealed class CircuitBreaker
{
    private readonly int failureThreshold;
    private readonly TimeSpan openDuration;
    private readonly TimeSpan maxOpenDuration;
    private readonly TimeProvider timeProvider;
    private readonly Lock sync = new();
    private BreakerState state = BreakerState.Closed;
    private int consecutiveFailures;
    private TimeSpan currentOpenDuration;
    private DateTimeOffset openUntil;

    /// <summary>Creates a closed breaker.</summary>
    public CircuitBreaker(int failureThreshold, TimeSpan openDuration, TimeSpan maxOpenDuration, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failureThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(openDuration, TimeSpan.Zero);
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
        this.maxOpenDuration = maxOpenDuration < openDuration ? openDuration : maxOpenDuration;
        this.timeProvider = timeProvider;
        currentOpenDuration = openDuration;
    }

    /// <summary>The state now (an open breaker whose period ended reads as half-open).</summary>
    public BreakerState State
    {
        get
        {
            lock (sync)
            {
                return Current();
            }
        }
    }

    /// <summary>Failed polls since the last success.</summary>
    public int ConsecutiveFailures
    {
        get
        {
            lock (sync)
            {
                return consecutiveFailures;
            }
        }
    }

    /// <summary>When an open breaker lets the next (trial) poll through; <see cref="DateTimeOffset.MinValue"/> when closed.</summary>
    public DateTimeOffset RetryAt
    {
        get
        {
            lock (sync)
            {
                return state == BreakerState.Closed ? DateTimeOffset.MinValue : openUntil;
            }
        }
    }

    /// <summary>True when a poll may run now (closed, or half-open for the trial).</summary>
    public bool AllowsPoll()
    {
        lock (sync)
        {
            return Current() != BreakerState.Open;
        }
    }

    /// <summary>A poll succeeded: closes the breaker. Returns the state it left.</summary>
    public BreakerState Succeeded()
    {
        lock (sync)
        {
            var previous = Current();
            state = BreakerState.Closed;
            consecutiveFailures = 0;
            currentOpenDuration = openDuration;
            return previous;
        }
    }

    /// <summary>A poll failed: counts it, and opens the breaker at the threshold or after a failed trial. Returns the new state.</summary>
    public BreakerState Failed()
    {
        lock (sync)
        {
            consecutiveFailures++;
            var current = Current();
            if (current == BreakerState.HalfOpen)
            {
                currentOpenDuration = Min(currentOpenDuration + currentOpenDuration, maxOpenDuration);
                Open();
            }
            else if (current == BreakerState.Closed && consecutiveFailures >= failureThreshold)
            {
                Open();
            }

            return state;
        }
    }

    private void Open()
    {
        state = BreakerState.Open;
        openUntil = timeProvider.GetUtcNow() + currentOpenDuration;
    }

    private BreakerState Current()
    {
        if (state == BreakerState.Open && timeProvider.GetUtcNow() >= openUntil)
        {
            state = BreakerState.HalfOpen;
        }

        return state;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
