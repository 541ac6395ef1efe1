namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// Fault injection for the simulated API server: failed requests (429 storms with
/// Retry-After, 500s), added latency and dropped watch streams. Thread-safe.
/// </summary>
public sealed class SimulatorFaults
{
    private readonly Lock _gate = new();
    private readonly List<FailureRule> _rules = [];
    private readonly Action _dropWatches;
    private readonly Action _endWatches;
    private long _latencyTicks;

    internal SimulatorFaults(Action dropWatches, Action endWatches)
    {
        _dropWatches = dropWatches;
        _endWatches = endWatches;
    }

    /// <summary>Delay added to every request before it is answered (zero by default).</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _latencyTicks, value.Ticks);
        }
    }

    /// <summary>Failures still queued by <see cref="FailNext"/>.</summary>
    public int PendingFailures
    {
        get
        {
            lock (_gate)
            {
                return _rules.Sum(r => r.Remaining);
            }
        }
    }

    /// <summary>
    /// Fails the next <paramref name="count"/> requests (that <paramref name="match"/> accepts,
    /// if given) with <paramref name="statusCode"/> and a <c>Status</c> body; with
    /// <paramref name="retryAfter"/> the response carries <c>Retry-After</c> (whole seconds,
    /// at least 1) and <c>details.retryAfterSeconds</c>. Rules apply in the order added.
    /// </summary>
    public void FailNext(int count, int statusCode, TimeSpan? retryAfter = null, Func<SimulatedRequest, bool>? match = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        if (retryAfter is { } r)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(r, TimeSpan.Zero);
        }

        lock (_gate)
        {
            _rules.Add(new FailureRule(count, statusCode, retryAfter, match));
        }
    }

    /// <summary>Forgets every queued failure and the latency.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }

        Latency = TimeSpan.Zero;
    }

    /// <summary>
    /// Closes every open watch stream now, as a load balancer or an apiserver going away
    /// would: the connection is aborted mid-stream, without a final chunk.
    /// </summary>
    public void DropWatches() => _dropWatches();

    /// <summary>
    /// Ends every open watch stream cleanly after the events already queued, as the API server
    /// does when a watch's timeout elapses or it shuts down gracefully: clients see the end of the
    /// response, not a broken connection, and watch again.
    /// </summary>
    public void EndWatches() => _endWatches();

    /// <summary>
    /// Bearer tokens the server accepts; when set, any other request gets 401 Unauthorized, as an
    /// API server does after credentials are rotated or revoked. Empty (the default) accepts all.
    /// </summary>
    public IReadOnlySet<string> AcceptedBearerTokens
    {
        get => Volatile.Read(ref _acceptedTokens);
        set => Volatile.Write(ref _acceptedTokens, value ?? throw new ArgumentNullException(nameof(value)));
    }

    private IReadOnlySet<string> _acceptedTokens = new HashSet<string>(StringComparer.Ordinal);

    internal (int StatusCode, TimeSpan? RetryAfter)? TakeFailure(SimulatedRequest request)
    {
        lock (_gate)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (rule.Match is null || rule.Match(request))
                {
                    if (--rule.Remaining == 0)
                    {
                        _rules.RemoveAt(i);
                    }

                    return (rule.StatusCode, rule.RetryAfter);
                }
            }

            return null;
        }
    }

    private sealed class FailureRule(int count, int statusCode, TimeSpan? retryAfter, Func<SimulatedRequest, bool>? match)
    {
        public int Remaining { get; set; } = count;

        public int StatusCode { get; } = statusCode;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        public Func<SimulatedRequest, bool>? Match { get; } = match;
    }
}
