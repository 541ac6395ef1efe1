namespace ChasiSre.Ingest;

/// <summary>
/// Whether a cluster's API server answers: consecutive failures across its watchers, the last
/// error, and since when it has been failing. Thread-safe.
/// </summary>
public sealed class ClusterHealth
{
    private readonly TimeProvider timeProvider;
    private readonly Lock sync = new();
    private int consecutiveFailures;
    private DateTimeOffset? failingSince;
    private string? lastError;

    /// <summary>Creates the tracker.</summary>
    public ClusterHealth(TimeProvider timeProvider) => this.timeProvider = timeProvider;

    /// <summary>Failures since the last success.</summary>
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

    /// <summary>When the current run of failures began, or null when healthy.</summary>
    public DateTimeOffset? FailingSince
    {
        get
        {
            lock (sync)
            {
                return failingSince;
            }
        }
    }

    /// <summary>The last failure's message.</summary>
    public string? LastError
    {
        get
        {
            lock (sync)
            {
                return lastError;
            }
        }
    }

    /// <summary>A request succeeded.</summary>
    public void Succeeded()
    {
        lock (sync)
        {
            consecutiveFailures = 0;
            failingSince = null;
        }
    }

    /// <summary>A request failed.</summary>
    public void Failed(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (sync)
        {
            consecutiveFailures++;
            failingSince ??= timeProvider.GetUtcNow();
            lastError = error.Message;
        }
    }
}
