namespace ChasiSre.Ingest.Metrics;

/// <summary>How a scrape ended.</summary>
public enum ScrapeStatus
{
    /// <summary>The body was read and parsed.</summary>
    Ok,

    /// <summary>No complete answer within the target's timeout.</summary>
    Timeout,

    /// <summary>The target answered with a non-2xx status.</summary>
    HttpError,

    /// <summary>No connection (refused, reset, DNS).</summary>
    Unreachable,

    /// <summary>The body is not valid exposition text or breaks a limit; it was dead-lettered.</summary>
    Invalid,
}
