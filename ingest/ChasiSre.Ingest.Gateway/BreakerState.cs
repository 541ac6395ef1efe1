namespace ChasiSre.Ingest.Gateway;

/// <summary>The state of an adapter's circuit breaker.</summary>
public enum BreakerState
{
    /// <summary>Polls run on schedule.</summary>
    Closed,

    /// <summary>Too many consecutive failures: no polls until the open period ends.</summary>
    Open,

    /// <summary>The open period ended: the next poll is a trial; success closes, failure reopens for longer.</summary>
    HalfOpen,
}
